"""Reads of the clock: what dashboards and the header show. Querysets, aggregated in the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, QuerySet
from django.utils import timezone

from estates.models import Role, User

from .calendar import DEFAULT_PERIODS, WARN_FRACTION, WorkCalendar, chinesecalendar_covers, parse_periods

# What the dashboards read of the deadlines (who answers, who supervises, the groups) lives in
# clock.dashboard (issue 10); the names stay importable from here for their callers.
from .dashboard import (  # noqa: F401
    DUE_SOON,
    NO_OFFICE,
    BreachGroup,
    BreachGroups,
    deadline_buckets,
    live_deadlines_for,
    supervised_breach_groups,
    supervised_breaches_for,
    supervised_breaches_in,
)
from .models import (
    CalendarDay,
    CalendarSettings,
    CalendarYear,
    DayKind,
    DaySource,
    Deadline,
    DeadlineEvent,
    DeadlineState,
    EmailState,
    Notification,
)

LIVE_STATES = (DeadlineState.OPEN, DeadlineState.BREACHED)

# ---------------------------------------------------------------------------------------------
# The calendar: the one loader


def load_calendar() -> WorkCalendar:
    """The working-time calendar as stored (three small queries). Rows change rarely but must take
    effect at once, so nothing is cached across requests: load it once per request or task and pass it on."""
    # A read never creates the settings row (CalendarSettings.load would): the default applies.
    row = CalendarSettings.objects.filter(pk=1).values_list("periods", flat=True).first()
    periods = parse_periods(row if row is not None else [list(p) for p in DEFAULT_PERIODS])
    company_days: dict[datetime.date, bool] = {}
    state_days: dict[datetime.date, bool] = {}
    for date, kind, source in CalendarDay.objects.values_list("date", "kind", "source"):
        target = company_days if source == DaySource.COMPANY else state_days
        target[date] = kind == DayKind.WORK
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(periods=periods, company_days=company_days, state_days=state_days, entered_years=years)


def warn_fraction() -> Decimal:
    """The company's warning fraction (CalendarSettings), or the default 0.75 (clock.calendar.WARN_FRACTION)."""
    value = CalendarSettings.objects.filter(pk=1).values_list("warn_fraction", flat=True).first()
    return Decimal(value) if value is not None else WARN_FRACTION


def next_year_uncovered(today: datetime.date) -> int | None:
    """Next year, from 1 November on, when neither chinesecalendar nor the admin covers it."""
    if (today.month, today.day) < (11, 1):
        return None
    year = today.year + 1
    if chinesecalendar_covers(year) or CalendarYear.objects.filter(year=year).exists():
        return None
    return year


def uncovered_year(today: datetime.date) -> int | None:
    """The year the company admin must enter now: this year if nobody has (deadlines are being
    computed on fallback days right now), else next year from 1 November (next_year_uncovered)."""
    if not chinesecalendar_covers(today.year) and not CalendarYear.objects.filter(year=today.year).exists():
        return today.year
    return next_year_uncovered(today)


# ---------------------------------------------------------------------------------------------
# Deadlines of a subject: the one place that says how a subject's deadlines are found


def subject_deadlines(subject: models.Model) -> QuerySet[Deadline]:
    """Every deadline of a subject (any model), earliest due first."""
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("due_at", "pk")


def live_subject_deadlines(subject: models.Model) -> QuerySet[Deadline]:
    """The live deadlines of a subject: not closed, open or breached (what deadline_sync compares
    the plan with, and what a subject page lists as running)."""
    return subject_deadlines(subject).filter(closed_at__isnull=True, state__in=LIVE_STATES)


def deadlines_of_model(model: type[models.Model]) -> QuerySet[Deadline]:
    """Every deadline of every subject of `model`; filter on subject_id=OuterRef("pk") for a per-row
    subquery (subject_id is an integer, like the subjects' keys)."""
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(model))


def live_deadlines_of_model(model: type[models.Model]) -> QuerySet[Deadline]:
    """The live deadlines of every subject of `model`; filter on subject_id=OuterRef("pk") for a
    per-row subquery (subject_id is an integer, like the subjects' keys)."""
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(model), closed_at__isnull=True, state__in=LIVE_STATES
    )


# Notifications whose key starts so are emails only (a password reset link): sent through the same
# retrying outbox, never listed in the inbox (they are stored read, so no unread badge either).
EMAIL_ONLY_PREFIX = "email-only:"


def inbox_for(user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user)
        .exclude(key__startswith=EMAIL_ONLY_PREFIX)
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    """Read on every page (the header badge); served by the partial index on unread rows."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def failed_emails() -> QuerySet[Notification]:
    """Emails given up on after every retry: shown to administrators, never silently lost."""
    return (
        Notification.objects.filter(email_state=EmailState.FAILED, email_next_try_at__isnull=True)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def notification_problems(limit: int = 20) -> dict[str, list]:
    """What the company admin sees on the calendar page: deadline events whose notification failed
    (still retrying, or given up) and emails given up on — never silently lost (issue 6 section 5)."""
    events = (
        DeadlineEvent.objects.filter(notified_at__isnull=True)
        .exclude(error="")
        .select_related("deadline")
        .order_by("-created_at", "-pk")[:limit]
    )
    return {"events": list(events), "emails": list(failed_emails()[:limit])}


def can_manage_calendar(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role == Role.COMPANY_ADMIN or user.has_perm("clock.manage_calendar"))
    )


def calendar_warning_for(user: User, today: datetime.date | None = None) -> int | None:
    """The year whose State Council arrangement is missing, for a user who can enter it (the
    dashboard shows it); None when nothing is missing or the user cannot act on it."""
    if not can_manage_calendar(user):
        return None
    return uncovered_year(today or timezone.localdate())


@dataclass(frozen=True)
class YearStatus:
    year: int
    status: str  # "chinesecalendar", "entered" or "missing"
    entry: CalendarYear | None
    holidays: int
    workdays: int

    @property
    def provisional(self) -> bool:
        return self.status == "missing"


def calendar_years(today: datetime.date | None = None, first: int = 2025) -> list[YearStatus]:
    """The years the calendar page lists, from `first` to next year, and who covers each."""
    today = today or timezone.localdate()
    last = max(today.year + 1, first)
    entries = {e.year: e for e in CalendarYear.objects.filter(year__range=(first, last)).select_related("entered_by")}
    counts = {
        (row["date__year"], row["kind"]): row["n"]
        for row in CalendarDay.objects.filter(source=DaySource.STATE, date__year__range=(first, last))
        .values("date__year", "kind")
        .annotate(n=Count("pk"))
    }
    result = []
    for year in range(first, last + 1):
        if year in entries:
            status = "entered"
        elif chinesecalendar_covers(year):
            status = "chinesecalendar"
        else:
            status = "missing"
        result.append(
            YearStatus(
                year=year,
                status=status,
                entry=entries.get(year),
                holidays=counts.get((year, DayKind.OFF), 0),
                workdays=counts.get((year, DayKind.WORK), 0),
            )
        )
    return result


def company_days(since: datetime.date | None = None) -> QuerySet[CalendarDay]:
    """The company's own closed and open days, from `since` (default: the start of last year)."""
    since = since or datetime.date(timezone.localdate().year - 1, 1, 1)
    return CalendarDay.objects.filter(source=DaySource.COMPANY, date__gte=since).order_by("date")


def state_days_for_year(year: int) -> tuple[list[datetime.date], list[datetime.date]]:
    """The holidays and make-up working days entered for `year` (to prefill the entry form)."""
    rows = CalendarDay.objects.filter(source=DaySource.STATE, date__year=year).order_by("date")
    holidays = [r.date for r in rows if r.kind == DayKind.OFF]
    workdays = [r.date for r in rows if r.kind == DayKind.WORK]
    return holidays, workdays
