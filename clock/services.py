"""Writes of the clock: deadlines, notifications, email sending and the calendar admin.

State changes are compare-and-set updates (`filter(state=...).update(...)`): two requests, two
workers or a request and the sweeper can race on the same deadline, and only one of them may win.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import COMPANY_ROLES, Company, Office, Role, User

from .calendar import parse_periods
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
from .selectors import live_subject_deadlines, subject_deadlines, warn_fraction

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Who answers for a role


def users_for_role(*, role: str, office: Office | None = None, company: Company | None = None) -> QuerySet[User]:
    """Active users holding `role` for `office`: a company role (QA, management representative,
    assistant GM, company admin) means its holders in the office's company; an office role means its
    holders who work in that office. With no office, the role's holders in `company`."""
    users = User.objects.filter(role=role, is_active=True)
    if office is not None:
        if role in COMPANY_ROLES:
            return users.filter(company_id=office.company_id)
        return users.filter(offices=office).distinct()
    if company is not None:
        return users.filter(company=company)
    return users.none()


def department_managers(department_id: int, office: Office | None) -> list[User]:
    """Who answers for a department: its active department managers; if it has none, the
    department-manager role holders of the office (issue 6, "Who answers")."""
    managers = list(User.objects.filter(department_id=department_id, role=Role.DEPT_MANAGER, is_active=True))
    if managers or office is None:
        return managers
    return list(users_for_role(role=Role.DEPT_MANAGER, office=office))


def deadline_responsible_users(deadline: Deadline) -> list[User]:
    """The responsible person, the department's manager, or the holders of the responsible role
    where the deadline lives."""
    if deadline.responsible_user_id:
        user = deadline.responsible_user
        return [user] if user is not None and user.is_active else []
    if deadline.responsible_department_id:
        return department_managers(deadline.responsible_department_id, deadline.office)
    if deadline.responsible_role:
        return list(users_for_role(role=deadline.responsible_role, office=deadline.office, company=deadline.company))
    return []


def deadline_escalation_users(deadline: Deadline) -> list[User]:
    found: list[User] = []
    for role in deadline.escalate_roles or []:
        found.extend(users_for_role(role=role, office=deadline.office, company=deadline.company))
    return found


# ---------------------------------------------------------------------------------------------
# Deadlines


def _warn_at(opened_at: datetime.datetime, due_at: datetime.datetime, fraction: Decimal) -> datetime.datetime:
    if due_at <= opened_at:
        return due_at
    return opened_at + (due_at - opened_at) * float(fraction)


def _default_warn_fraction() -> Decimal:
    return warn_fraction()


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": role})


def _aware(value: datetime.datetime, name: str) -> None:
    if timezone.is_naive(value):
        raise ValueError(f"{name} must be an aware datetime")


def deadlines_for(subject: models.Model) -> QuerySet[Deadline]:
    """Every deadline of a subject, earliest due first (clock.selectors.subject_deadlines)."""
    return subject_deadlines(subject)


def _live_for(subject: models.Model, rule: str) -> QuerySet[Deadline]:
    return live_subject_deadlines(subject).filter(rule=rule)


def deadline_open(
    *,
    subject: models.Model,
    rule: str,
    title: str,
    due_at: datetime.datetime,
    opened_at: datetime.datetime | None = None,
    office: Office | None = None,
    responsible_user: User | None = None,
    responsible_role: str = "",
    escalate_roles: list[str] | tuple[str, ...] = (),
    provisional: bool = False,
    link: str = "",
    warn_fraction: Decimal | float | None = None,
    company: Company | None = None,
) -> Deadline:
    """Open the deadline of `rule` on `subject`, or return the live one if it is already open (a
    double click or a retried task makes one record; the partial unique constraint backs this up).

    The warning falls `warn_fraction` of the way from opening to due (default: the calendar
    setting, 0.75). `company` is needed only for a deadline with no office (taken from the
    responsible person, or the only company of the installation)."""
    if subject.pk is None:
        raise ValueError("deadline_open needs a saved subject")
    _aware(due_at, "due_at")
    opened_at = opened_at or timezone.now()
    _aware(opened_at, "opened_at")
    if responsible_user is None and not responsible_role:
        raise ValidationError(_("A deadline needs a responsible person or a responsible role."))
    if responsible_role:
        _check_role(responsible_role)
    escalate = list(dict.fromkeys(str(r) for r in escalate_roles))
    for role in escalate:
        _check_role(role)
    fraction = Decimal(str(warn_fraction)) if warn_fraction is not None else _default_warn_fraction()
    if not Decimal(0) <= fraction <= Decimal(1):
        raise ValidationError(_("The warning fraction must be between 0 and 1."))

    if office is not None:
        company = office.company
    elif company is None:
        if responsible_user is not None and responsible_user.company_id:
            company = responsible_user.company
        else:
            companies = list(Company.objects.all()[:2])
            if len(companies) != 1:
                raise ValidationError(_("A deadline without an office must name its company."))
            company = companies[0]

    existing = _live_for(subject, rule).first()
    if existing is not None:
        return existing

    deadline = Deadline(
        office=office,
        company=company,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        rule=rule,
        title=title[:200],
        # No basis recorded by this older entry point: the due time is a fixed moment.
        basis_at=due_at,
        responsible_user=responsible_user,
        responsible_role=str(responsible_role),
        escalate_roles=escalate,
        opened_at=opened_at,
        due_at=due_at,
        warn_at=_warn_at(opened_at, due_at, fraction),
        provisional=provisional,
        link=link,
    )
    # Constraints are checked by the database below: full_clean's own uniqueness query would race.
    deadline.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            deadline.save()
    except IntegrityError:
        # Another request opened it between our read and our insert: theirs is the one.
        existing = _live_for(subject, rule).first()
        if existing is None:
            raise
        return existing
    return deadline


def _close(*, deadline: Deadline, at: datetime.datetime | None, open_to: str) -> Deadline:
    at = at or timezone.now()
    live = Deadline.objects.filter(pk=deadline.pk, closed_at__isnull=True)
    # open -> met/cancelled; a breached deadline stays breached (lateness is never forgotten) but is
    # closed. Each a compare-and-set: the sweeper may flip open -> breached at the same moment.
    if not live.filter(state=DeadlineState.OPEN).update(state=open_to, closed_at=at):
        live.filter(state=DeadlineState.BREACHED).update(closed_at=at)
    deadline.refresh_from_db()
    return deadline


def deadline_meet(*, deadline: Deadline, at: datetime.datetime | None = None) -> Deadline:
    """The step is done: open -> met; breached stays breached, closed. A closed deadline is unchanged."""
    return _close(deadline=deadline, at=at, open_to=DeadlineState.MET)


def deadline_cancel(*, deadline: Deadline, at: datetime.datetime | None = None) -> Deadline:
    """The step is no longer needed: open -> cancelled; breached stays breached, closed."""
    return _close(deadline=deadline, at=at, open_to=DeadlineState.CANCELLED)


def meet_deadlines(*, subject: models.Model, rule: str, at: datetime.datetime | None = None) -> int:
    """Close every live deadline of `rule` on `subject`; returns how many were closed."""
    closed = 0
    for deadline in _live_for(subject, rule):
        before = deadline.closed_at
        deadline = deadline_meet(deadline=deadline, at=at)
        closed += int(before is None and deadline.closed_at is not None)
    return closed


def deadline_reschedule(*, deadline: Deadline, due_at: datetime.datetime, provisional: bool = False) -> Deadline:
    """Move an open deadline (a handling opinion with a new deadline, C8, or a calendar correction).
    The warning keeps its fraction of the way; if the new warning time is still ahead, the warning
    is re-armed. A breached or closed deadline cannot be moved: its lateness stays on record."""
    _aware(due_at, "due_at")
    now = timezone.now()
    with transaction.atomic():
        current = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if current.state != DeadlineState.OPEN or current.closed_at is not None:
            raise ValidationError(_("Only an open deadline can be rescheduled."))
        span = current.due_at - current.opened_at
        if span > datetime.timedelta(0):
            fraction = Decimal(str((current.warn_at - current.opened_at) / span))
        else:
            fraction = _default_warn_fraction()
        warn_at = _warn_at(current.opened_at, due_at, min(max(fraction, Decimal(0)), Decimal(1)))
        updates = {"due_at": due_at, "warn_at": warn_at, "provisional": provisional}
        if warn_at > now and current.warned_at is not None:
            updates["warned_at"] = None
            # The warning event is unique per deadline; drop the old one so the next warning is recorded.
            DeadlineEvent.objects.filter(deadline=current, kind=DeadlineEvent.Kind.WARNING).delete()
        Deadline.objects.filter(pk=current.pk, state=DeadlineState.OPEN).update(**updates)
    deadline.refresh_from_db()
    return deadline


# ---------------------------------------------------------------------------------------------
# Notifications


def notify(
    *,
    recipients: Iterable[User],
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    deadline: Deadline | None = None,
    email: bool = True,
) -> list[Notification]:
    """One notification per recipient, stored once per (recipient, key): notifying again with the
    same key returns the stored rows and sends nothing new."""
    now = timezone.now()
    result: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        state = EmailState.PENDING if email and user.email else EmailState.NONE
        # get_or_create retries the read after an IntegrityError, so a concurrent notify is safe.
        notification, _created = Notification.objects.get_or_create(
            recipient=user,
            key=key[:120],
            defaults={
                "title": title[:200],
                "body": body,
                "link": link[:300],
                "deadline": deadline,
                "created_at": now,
                "email_state": state,
            },
        )
        result.append(notification)
    return result


# Minutes to wait after the n-th failed attempt; the last value repeats. After EMAIL_MAX_ATTEMPTS
# the row stays failed with no next try, visible in clock.selectors.failed_emails().
EMAIL_BACKOFF_MINUTES = (1, 5, 30, 120, 360, 720, 1440)
EMAIL_MAX_ATTEMPTS = 8
EMAIL_CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def email_backoff(attempts: int) -> datetime.timedelta:
    index = min(max(attempts, 1), len(EMAIL_BACKOFF_MINUTES)) - 1
    return datetime.timedelta(minutes=EMAIL_BACKOFF_MINUTES[index])


def _email_claimable(now: datetime.datetime) -> Q:
    due = Q(email_next_try_at__isnull=True) | Q(email_next_try_at__lte=now)
    return (
        (Q(email_state=EmailState.PENDING) & due)
        | Q(email_state=EmailState.FAILED, email_next_try_at__lte=now)
        # A sender that died mid-send leaves its claim behind; take it over after a while.
        | Q(email_state=EmailState.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
    )


def email_text(notification: Notification) -> str:
    """The email body: the message and the absolute link, always built on SITE_URL (never a Host header)."""
    parts = [notification.body.strip()] if notification.body.strip() else []
    if notification.link:
        link = notification.link if "://" in notification.link else settings.SITE_URL + notification.link
        parts.append(link)
    return "\n\n".join(parts) or notification.title


def send_pending_emails(now: datetime.datetime | None = None, batch: int = 50) -> int:
    """Send the emails of unsent notifications; returns how many were sent. Each row is claimed with
    a compare-and-set, so two senders never send the same email; a failure is recorded and retried
    with back-off (1, 5, 30, 120 minutes, ...); after EMAIL_MAX_ATTEMPTS it stays failed and logged."""
    now = now or timezone.now()
    claimable = _email_claimable(now)
    candidates = list(
        Notification.objects.filter(claimable).order_by("email_next_try_at", "pk").values_list("pk", flat=True)[:batch]
    )
    sent = 0
    for pk in candidates:
        claimed = Notification.objects.filter(claimable, pk=pk).update(
            email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
        if claimed != 1:
            continue  # another sender took it
        notification = Notification.objects.select_related("recipient").get(pk=pk)
        mine = Notification.objects.filter(pk=pk, email_state=EmailState.SENDING, email_claimed_at=now)
        address = notification.recipient.email
        if not address:
            mine.update(email_state=EmailState.NONE, email_error=_("The recipient has no email address."))
            continue
        if notification.email_attempts > EMAIL_MAX_ATTEMPTS:
            # A row whose sending kept dying without an exception (a crashed worker): give up visibly.
            mine.update(email_state=EmailState.FAILED, email_next_try_at=None)
            logger.error("notification %s: email abandoned after %s attempts", pk, notification.email_attempts - 1)
            continue
        try:
            send_mail(
                subject=notification.title,
                message=email_text(notification),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
            )
        except Exception as exc:  # any transport error: record it, retry later
            attempts = notification.email_attempts
            next_try = None if attempts >= EMAIL_MAX_ATTEMPTS else now + email_backoff(attempts)
            mine.update(
                email_state=EmailState.FAILED,
                email_error=f"{type(exc).__name__}: {exc}"[:2000],
                email_next_try_at=next_try,
            )
            if next_try is None:
                logger.error("notification %s: email to %s failed %s times, giving up: %s", pk, address, attempts, exc)
            else:
                logger.warning("notification %s: email to %s failed (attempt %s): %s", pk, address, attempts, exc)
            continue
        mine.update(email_state=EmailState.SENT, email_sent_at=now, email_error="", email_next_try_at=None)
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------------
# The calendar (company admin)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Enter a year between 2000 and 2100."))


def calendar_year_enter(
    *, year: int, holidays: list[datetime.date], workdays: list[datetime.date], by: User | None, note: str = ""
) -> CalendarYear:
    """Record the State Council arrangement of `year`: its holidays and 调休 make-up working days
    replace whatever was entered for that year before, all at once, and the year stops being
    provisional."""
    _check_year(year)
    holiday_set, workday_set = set(holidays), set(workdays)
    outside = sorted(d for d in holiday_set | workday_set if d.year != year)
    if outside:
        raise ValidationError(_("%(date)s is not in %(year)s.") % {"date": outside[0].isoformat(), "year": year})
    both = sorted(holiday_set & workday_set)
    if both:
        raise ValidationError(
            _("%(date)s is entered both as a holiday and as a working day.") % {"date": both[0].isoformat()}
        )
    now = timezone.now()
    with transaction.atomic():
        CalendarDay.objects.filter(source=DaySource.STATE, date__year=year).delete()
        rows = [
            CalendarDay(date=d, kind=DayKind.OFF, source=DaySource.STATE, changed_by=by, changed_at=now)
            for d in sorted(holiday_set)
        ] + [
            CalendarDay(date=d, kind=DayKind.WORK, source=DaySource.STATE, changed_by=by, changed_at=now)
            for d in sorted(workday_set)
        ]
        CalendarDay.objects.bulk_create(rows)
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"entered_by": by, "source_note": note[:200]}
        )
    return entry


def calendar_day_set(*, date: datetime.date, kind: str, note: str = "", by: User | None) -> CalendarDay:
    """A company extra closed day (kind=off) or open day (kind=work); it wins over the statutory one."""
    if kind not in DayKind.values:
        raise ValidationError(_("Choose a closed day or an open day."))
    day, _created = CalendarDay.objects.update_or_create(
        date=date,
        source=DaySource.COMPANY,
        defaults={"kind": kind, "note": note[:100], "changed_by": by, "changed_at": timezone.now()},
    )
    return day


def calendar_day_remove(*, date: datetime.date, by: User | None = None) -> bool:
    """Remove the company's own entry for `date` (the statutory calendar applies again)."""
    deleted, _detail = CalendarDay.objects.filter(date=date, source=DaySource.COMPANY).delete()
    if deleted:
        logger.info("company calendar day %s removed by %s", date, getattr(by, "pk", None))
    return bool(deleted)


def calendar_settings_update(
    *, periods: list[list[str]], warn_fraction: Decimal | float | str, by: User | None
) -> CalendarSettings:
    """Change the working periods and the default warning fraction. Deadlines already open keep
    their due times; new ones use the new periods."""
    try:
        parse_periods(periods)
    except ValueError as exc:
        raise ValidationError({"periods": str(exc)}) from exc
    fraction = Decimal(str(warn_fraction))
    if not Decimal("0") < fraction < Decimal("1"):
        raise ValidationError({"warn_fraction": _("The warning fraction must be more than 0 and less than 1.")})
    with transaction.atomic():
        obj = CalendarSettings.load()
        obj.periods = [[str(start), str(end)] for start, end in periods]
        obj.warn_fraction = fraction
        obj.updated_by = by
        obj.full_clean()
        obj.save(update_fields=["periods", "warn_fraction", "updated_by", "updated_at"])
    return obj
