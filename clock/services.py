"""Writes of the clock: who answers for a role or a department, and the deadline calls made one
at a time (deadline_open/meet/cancel/reschedule; a process app uses clock.deadlines.deadline_sync).

The clock's other writes live in their own modules and are re-exported here for callers that import
them from `clock.services`: notifications and the email outbox (clock.notifications), the calendar
admin (clock.calendar_admin).

State changes are compare-and-set updates (`filter(state=...).update(...)`): two requests, two
workers or a request and the sweeper can race on the same deadline, and only one of them may win.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import COMPANY_ROLES, Company, Office, Role, User

from .models import (
    Deadline,
    DeadlineState,
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
            # Re-armed: the next warning is a new event (events are unique per due time).
            updates["warned_at"] = None
        Deadline.objects.filter(pk=current.pk, state=DeadlineState.OPEN).update(**updates)
    deadline.refresh_from_db()
    return deadline


# Re-exported: the clock's writes that moved to their own modules (issue 7).
from .calendar_admin import (  # noqa: E402
    calendar_day_remove,
    calendar_day_set,
    calendar_settings_update,
    calendar_year_enter,
)
from .notifications import (  # noqa: E402
    EMAIL_BACKOFF_MINUTES,
    EMAIL_CLAIM_TIMEOUT,
    EMAIL_MAX_ATTEMPTS,
    email_backoff,
    email_text,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    send_pending_emails,
)

__all__ = [
    "EMAIL_BACKOFF_MINUTES",
    "EMAIL_CLAIM_TIMEOUT",
    "EMAIL_MAX_ATTEMPTS",
    "calendar_day_remove",
    "calendar_day_set",
    "calendar_settings_update",
    "calendar_year_enter",
    "deadline_cancel",
    "deadline_escalation_users",
    "deadline_meet",
    "deadline_open",
    "deadline_reschedule",
    "deadline_responsible_users",
    "deadlines_for",
    "department_managers",
    "email_backoff",
    "email_text",
    "meet_deadlines",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "send_pending_emails",
    "users_for_role",
]
