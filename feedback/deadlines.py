"""Makes the clock's live deadlines of a subject match `rules.deadline_plan(subject)`.

Called once at the end of every state change, in the same transaction. Until the clock's deadline
core v2 (`clock.deadlines.deadline_sync`) is on main, this does its job with the v1 services
(open / reschedule / meet); `sync` is the one place to switch over.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import NoReverseMatch
from django.utils import timezone

from clock.models import DeadlineState
from clock.services import deadline_meet, deadline_open, deadline_reschedule
from clock.services import deadlines_for as clock_deadlines_for
from clock.worktime import add_working_hours_info, within_days
from estates.models import Department, Office, Role, User

from .rules import PlannedDeadline, deadline_plan


def _due(item: PlannedDeadline) -> tuple[datetime.datetime, bool]:
    if item.measure == "working_hours":
        due = add_working_hours_info(item.basis, item.amount)
        return due.at, due.provisional
    if item.measure == "wall_hours":
        return item.basis + datetime.timedelta(hours=item.amount), False
    if item.measure == "days":
        return within_days(item.basis, item.amount), False
    assert item.due_at is not None
    return item.due_at, False


def _answerer(item: PlannedDeadline) -> tuple[User | None, str]:
    if item.user_id:
        return User.objects.filter(pk=item.user_id).first(), ""
    if item.department_id:
        # v1 has no department as answerer: its manager answers, else the office manager's role.
        department = Department.objects.filter(pk=item.department_id).first()
        if department is not None:
            manager = department.staff.filter(role=Role.DEPT_MANAGER, is_active=True).order_by("pk").first()
            if manager is not None:
                return manager, ""
        return None, Role.OFFICE_MANAGER
    return None, item.role or Role.OFFICE_MANAGER


def _link(subject: models.Model) -> str:
    try:
        return subject.get_absolute_url()  # type: ignore[attr-defined]
    except NoReverseMatch:  # a deadline without a link is still a deadline
        return ""


def sync(subject: models.Model) -> None:
    """Open what the plan wants and is not live, move what moved, close what it no longer wants."""
    plan = {item.rule: item for item in deadline_plan(subject)}
    live = {d.rule: d for d in clock_deadlines_for(subject).filter(closed_at__isnull=True)}
    now = timezone.now()
    for rule, deadline in live.items():
        if rule not in plan:
            deadline_meet(deadline=deadline, at=now)
    for rule, item in plan.items():
        due_at, provisional = _due(item)
        current = live.get(rule)
        if current is not None:
            if current.due_at != due_at and current.state == DeadlineState.OPEN:
                deadline_reschedule(deadline=current, due_at=due_at, provisional=provisional)
            continue
        user, role = _answerer(item)
        deadline_open(
            subject=subject,
            rule=rule,
            title=item.title,
            due_at=due_at,
            opened_at=min(item.basis, now),
            office=Office.objects.get(pk=item.office_id) if item.office_id else None,
            responsible_user=user,
            responsible_role=role,
            escalate_roles=item.tell_roles,
            provisional=provisional,
            link=_link(subject),
        )
