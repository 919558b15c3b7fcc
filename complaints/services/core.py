"""The small core every stage of the procedure writes through: the permission check, the
compare-and-set apply, the timeline event and the deadline sync (complaints.services' docstring)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clock.calendar import WorkCalendar
from clock.deadlines import deadline_sync
from clock.selectors import load_calendar
from clock.services import users_for_role
from estates.models import Office, User
from estates.scoping import user_can_see_office

from .. import rules
from ..models import Complaint, ComplaintEvent
from ..rules import Action, State

STALE = gettext_lazy("Someone else changed this complaint a moment ago. Reload the page and try again.")


def complaint_link(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def role_users(role: str, office: Office) -> list[User]:
    return list(users_for_role(role=role, office=office))


def may_act(user: User, complaint: Complaint, action: str) -> bool:
    if user.is_superuser:
        return True
    if not rules.role_may_on(complaint, user.role, action):
        return False
    if rules.role_may(user.role, action):
        return True
    # C5: the named person handles the complaint whatever their role.
    return complaint.handler_id == user.pk and action in rules.HANDLER_ACTIONS


def can_act(user: User, complaint: Complaint, action: str) -> bool:
    """Whether `user` may do `action` on `complaint` now (the detail page shows only these)."""
    return (
        user_can_see_office(user, complaint.office_id)
        and rules.allowed_from(complaint.state, action)
        and may_act(user, complaint, action)
    )


def check_action(user: User, complaint: Complaint, action: str) -> None:
    if not user_can_see_office(user, complaint.office_id):
        raise ValidationError(_("This complaint belongs to another management office."))
    if not rules.allowed_from(complaint.state, action):
        raise ValidationError(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": Action(action).label, "state": State(complaint.state).label}
        )
    if not may_act(user, complaint, action):
        raise ValidationError(_("Your role may not do “%(action)s”.") % {"action": Action(action).label})


def add_event(
    complaint: Complaint,
    *,
    kind: str,
    actor: User | None,
    note: str = "",
    from_state: str = "",
    to_state: str = "",
    at: datetime.datetime | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        at=at or timezone.now(),
        actor=actor,
        kind=kind,
        note=note,
        from_state=from_state,
        to_state=to_state,
    )
    event.full_clean()
    event.save()
    return event


def apply_change(
    complaint: Complaint,
    *,
    by: User,
    action: str,
    kind: str,
    updates: dict[str, Any],
    to_state: str | None = None,
    note: str = "",
) -> Complaint:
    """Compare-and-set: write `updates` (and the new state) only if the complaint is still in the
    state and at the version the caller checked; then append the timeline line and sync deadlines."""
    seen = complaint.state
    now = timezone.now()
    values = dict(updates)
    if to_state is not None:
        values["state"] = to_state
    values["updated_at"] = now
    values["version"] = F("version") + 1
    # The state and the version the caller saw: an action that leaves the state as it is (classify,
    # forward, hand to the developer, escalate) is still made once by eight simultaneous clicks.
    changed = Complaint.objects.filter(pk=complaint.pk, state=seen, version=complaint.version).update(**values)
    if changed != 1:
        raise ValidationError(STALE)
    complaint.refresh_from_db()
    add_event(
        complaint,
        kind=kind,
        actor=by,
        note=note,
        from_state=seen if to_state and to_state != seen else "",
        to_state=to_state if to_state and to_state != seen else "",
        at=now,
    )
    sync_deadlines(complaint, now=now)
    return complaint


def sync_deadlines(
    complaint: Complaint, *, now: datetime.datetime | None = None, calendar: WorkCalendar | None = None
) -> None:
    """Make the complaint's live deadlines what its plan says (issue 6): the one place deadlines of
    a complaint are opened, moved and closed. A final state plans nothing and loads no calendar."""
    if calendar is None and complaint.state in rules.WORKING_STATES:
        calendar = load_calendar()
    plan = rules.deadline_plan(complaint, calendar) if calendar is not None else []
    deadline_sync(complaint, plan, done=rules.deadlines_done(complaint), now=now, calendar=calendar)


def expect_version(complaint: Complaint, version: int | None) -> None:
    """Refuse an action posted from a page rendered before the complaint last changed (a second click
    after the first went through, another user's change): the page must be reloaded."""
    if version is not None and version != complaint.version:
        raise ValidationError(STALE)


def claim_version(complaint: Complaint) -> None:
    """Compare-and-set on the version alone, for writes that change no field of the complaint (a note,
    a record form): the duplicates of a double submit are refused like those of an action."""
    changed = Complaint.objects.filter(pk=complaint.pk, version=complaint.version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if changed != 1:
        raise ValidationError(STALE)
    complaint.version += 1
