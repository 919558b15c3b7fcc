"""Reads of the clock: what dashboards and the header show. Querysets, aggregated in the database."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from estates.models import Office, Role, User
from estates.scoping import office_ids_for

from .breach_counts import NO_OFFICE_KEY, BreachCount
from .calendar import DEFAULT_PERIODS, WARN_FRACTION, WorkCalendar, chinesecalendar_covers, parse_periods
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

DUE_SOON = datetime.timedelta(hours=24)
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


def live_deadlines_for(user: User) -> QuerySet[Deadline]:
    """Unfinished deadlines the user answers for: named on them, or holding their role in one of their
    offices (a company role: in any office of the company, or company-level ones with no office)."""
    mine = Q(responsible_user=user)
    if user.role == Role.DEPT_MANAGER:
        # A department's deadline: its manager's; a department without one falls to the office's
        # department managers (clock.services.department_managers).
        if user.department_id:
            mine |= Q(responsible_user__isnull=True, responsible_department_id=user.department_id)
        managerless = ~Exists(
            User.objects.filter(
                department_id=OuterRef("responsible_department_id"), role=Role.DEPT_MANAGER, is_active=True
            )
        )
        mine |= (
            Q(responsible_user__isnull=True, office_id__in=office_ids_for(user))
            & Q(responsible_department__isnull=False)
            & managerless
        )
    if user.role:
        role_q = Q(responsible_role=user.role, responsible_user__isnull=True, responsible_department__isnull=True)
        if user.is_company_wide:
            # Office-less (company-level) deadlines only of the user's own company.
            mine |= role_q & (
                Q(office_id__in=office_ids_for(user)) | Q(office__isnull=True, company_id=user.company_id)
            )
        else:
            mine |= role_q & Q(office_id__in=office_ids_for(user))
    return (
        Deadline.objects.filter(mine, closed_at__isnull=True, state__in=[DeadlineState.OPEN, DeadlineState.BREACHED])
        .select_related("office", "responsible_user")
        .order_by("due_at")
    )


def _supervised_scope(user: User) -> Q:
    scope = Q(office_id__in=office_ids_for(user))
    if user.is_company_wide:
        scope |= Q(office__isnull=True, company_id=user.company_id)
    return scope


def _escalates_to(user: User) -> Q:
    """Deadlines whose breach is told to the user's role (see supervised_breaches_for)."""
    if connection.vendor == "postgresql":
        return Q(escalate_roles__contains=[user.role])
    return Q(escalate_roles__icontains=f'"{user.role}"')


def supervised_breaches_for(user: User) -> QuerySet[Deadline]:
    """Breached, unfinished deadlines whose rule names the user's role as an escalation target (QA for
    C3/C11, the assistant GM for C8, …), in the user's offices, excluding those the user answers for.

    Issue 10: read in due order through the partial index on breached, unfinished rows
    (deadline_breached_live_idx), so a page of 20 costs 20 rows, not every breach of the company. The
    role test is JSON containment on PostgreSQL (escalate_roles @> '["qa_staff"]', a partial GIN
    index); SQLite has no JSON containment, so there the quoted role is matched in the list's text
    ("qa" never matches "qa_manager")."""
    if not user.role:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            _supervised_scope(user), _escalates_to(user), state=DeadlineState.BREACHED, closed_at__isnull=True
        )
        .exclude(pk__in=live_deadlines_for(user).values("pk"))
        .select_related("office", "responsible_user")
        .order_by("due_at")
    )


# Company-level deadlines (no office) in the supervised list's office filter.
NO_OFFICE = "none"


def supervised_breaches_in(user: User, *, rule: str = "", office: str = "") -> QuerySet[Deadline]:
    """supervised_breaches_for narrowed to one rule and/or one office (an office id, or NO_OFFICE for
    company-level deadlines); what a group of the dashboard links to. An office outside the user's
    scope simply finds nothing (the scope filter stays)."""
    qs = supervised_breaches_for(user)
    if rule:
        qs = qs.filter(rule=rule)
    if office == NO_OFFICE:
        qs = qs.filter(office__isnull=True)
    elif office:
        try:
            qs = qs.filter(office_id=int(office))
        except ValueError:
            return qs.none()
    return qs


@dataclass(frozen=True)
class BreachGroup:
    rule: str
    office_id: int | None
    office_name: str
    count: int
    oldest_due_at: datetime.datetime

    @property
    def office_param(self) -> str:
        return str(self.office_id) if self.office_id is not None else NO_OFFICE


@dataclass(frozen=True)
class BreachGroups:
    """The groups shown (oldest first, at most `limit`), with the total over every group."""

    groups: list[BreachGroup]
    total: int
    hidden: int  # groups beyond the limit, not shown


def supervised_breach_groups(user: User, limit: int = 20) -> BreachGroups:
    """The breaches the user supervises (supervised_breaches_for), one row per (rule, office) with how
    many and the oldest due time, oldest first (issue 9: QA's dashboard was a 4,700 px column of cards).

    Issue 10: the counts come from clock_breachcount (clock.breach_counts: per company, office, rule
    and escalation role, kept exact by triggers in the deadline's own transaction), a few rows per
    office, instead of aggregating every breach of the company on every view; minus the user's own
    breached deadlines of those groups (what supervised_breaches_for excludes: read from the user's
    own live deadlines, as the dashboard's other lists are). The oldest due time of each group is one
    probe of deadline_breached_group_idx (rule, office, due order, first row). Two queries, their cost
    following the number of groups, not of breaches. The dashboard shows the `limit` oldest groups and
    says how many more there are (each group costs ~0.4 ms of template; 60 groups were 40% of the page)."""
    if not user.role:
        return BreachGroups([], 0, 0)
    company_wide = user.is_company_wide
    scope = Q(office_key__in=office_ids_for(user))
    if company_wide:
        scope |= Q(office_key=NO_OFFICE_KEY, company_key=user.company_id)
    role = _escalates_to(user)
    # The user's own live deadlines of these groups; "state" is grouped, not filtered, so PostgreSQL
    # reads them through the user's indexes, not every breach through the breached-rows index.
    mine = live_deadlines_for(user).filter(_supervised_scope(user), role).select_related(None).order_by()
    own = Counter(
        {
            (r["rule"], r["office_id"] or NO_OFFICE_KEY): r["n"]
            for r in mine.values("rule", "office_id", "state").annotate(n=Count("pk"))
            if r["state"] == DeadlineState.BREACHED
        }
    )
    breached = Deadline.objects.filter(
        role, rule=OuterRef("rule"), state=DeadlineState.BREACHED, closed_at__isnull=True
    ).order_by("due_at")
    if own:  # rare: the user answers for some of what the role supervises (compiling this costs ~5 ms)
        breached = breached.exclude(pk__in=mine.values("pk"))
    breached = breached.values("due_at")
    oldest = Subquery(breached.filter(office_id=OuterRef("office_key"))[:1])
    if company_wide:
        company_level = breached.filter(office__isnull=True, company_id=OuterRef("company_key"))
        oldest = Coalesce(oldest, Subquery(company_level[:1]))
    rows = (
        BreachCount.objects.filter(scope, role=user.role, n__gt=0)
        .annotate(
            oldest=oldest,
            office_name=Subquery(Office.objects.filter(pk=OuterRef("office_key")).order_by().values("name")[:1]),
        )
        .values_list("rule", "office_key", "office_name", "n", "oldest")
    )
    groups = [
        BreachGroup(
            rule=rule,
            office_id=office_key or None,
            office_name=office_name or "",
            count=n - own[(rule, office_key)],
            oldest_due_at=oldest_at,
        )
        for rule, office_key, office_name, n, oldest_at in rows
        if n > own[(rule, office_key)] and oldest_at is not None
    ]
    groups.sort(key=lambda g: (g.oldest_due_at, g.rule, g.office_id or 0))
    return BreachGroups(groups[:limit], sum(g.count for g in groups), max(0, len(groups) - limit))


def deadline_buckets(user: User, now: datetime.datetime | None = None, limit: int = 20) -> dict[str, list]:
    """The dashboard's lists: overdue, due soon (within 24 hours), provisional — of the deadlines the
    user answers for — and the breaches the user supervises as an escalation target, grouped by rule
    and office, the `limit` oldest groups with the total (supervised_breach_groups; the rows
    themselves are on the supervised list page)."""
    now = now or timezone.now()
    live = live_deadlines_for(user)
    return {
        "overdue": list(live.filter(due_at__lte=now)[:limit]),
        "due_soon": list(live.filter(due_at__gt=now, due_at__lte=now + DUE_SOON)[:limit]),
        "provisional": list(live.filter(provisional=True)[:limit]),
        "supervised": supervised_breach_groups(user, limit=limit),
    }


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
