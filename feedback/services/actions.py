"""Writes of corrective and preventive actions (纠正和预防措施); the life is in
feedback.models.actions. Other apps call these four functions for their own nonconformities
(surveys S17, inspections Q1) after pointing their own foreign key at the action.

Every state change is a compare-and-set on the state the caller saw: two tabs cannot both verify.
The due date is a clock deadline (rule F2-CA), kept in step by `deadlines.sync` at each change.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Department, Office, Role, User
from estates.scoping import user_can_see_office

from .. import deadlines
from ..models import CorrectiveAction, MonthlyArchive
from ..rules import ActionSource, ActionState, Verifier

QA_ROLES = (Role.QA_STAFF, Role.QA_MANAGER)
# Who may verify an office-verified action (the office manager, QA, and the management representative).
OFFICE_VERIFIERS = (Role.OFFICE_MANAGER, Role.QA_STAFF, Role.QA_MANAGER, Role.MGMT_REP)
# Due dates further out than this are a typing mistake, not a plan.
MAX_DUE = datetime.timedelta(days=366)


def may_verify(user: User, action: CorrectiveAction) -> bool:
    if not user_can_see_office(user, action.office_id):
        return False
    if user.is_superuser:
        return True
    if action.verifier == Verifier.QA:
        return user.role in QA_ROLES
    return user.role in OFFICE_VERIFIERS


def may_record_done(user: User, action: CorrectiveAction) -> bool:
    if not user_can_see_office(user, action.office_id):
        return False
    if user.is_superuser or action.owner_id == user.pk:
        return True
    if action.department_id and user.department_id == action.department_id:
        return True
    return user.role in (Role.OFFICE_MANAGER, Role.CS_ASSISTANT, Role.DEPT_MANAGER)


def action_create(
    *,
    office: Office,
    by: User,
    title: str,
    due_on: datetime.date,
    description: str = "",
    owner: User | None = None,
    department: Department | None = None,
    archive: MonthlyArchive | None = None,
    source: str = ActionSource.OTHER,
    verifier: str = Verifier.OFFICE,
) -> CorrectiveAction:
    """Set a corrective and preventive action with an owner and/or department and a due date (the
    clock's F2-CA deadline). An archive's action may be added only while the archive is a draft."""
    if not user_can_see_office(by, office.pk):
        raise ValidationError(_("You do not work for this management office."))
    if owner is None and department is None:
        raise ValidationError({"owner": _("Name an owner or a department.")})
    if owner is not None and not user_can_see_office(owner, office.pk):
        raise ValidationError({"owner": _("This person does not work for this management office.")})
    if department is not None and department.company_id != office.company_id:
        raise ValidationError({"department": _("The department belongs to another company.")})
    if department is not None and department.office_id not in (None, office.pk):
        raise ValidationError({"department": _("The department belongs to another management office.")})
    if archive is not None:
        if archive.office_id != office.pk:
            raise ValidationError(_("The archive belongs to another management office."))
        if not archive.is_draft:
            raise ValidationError(_("The archive is approved and can no longer change."))
        source = ActionSource.ARCHIVE
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if due_on > today + MAX_DUE:
        raise ValidationError({"due_on": _("The due date is more than a year ahead.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what is to be corrected.")})
    action = CorrectiveAction(
        office=office,
        archive=archive,
        source=source,
        title=title,
        description=(description or "").strip(),
        owner=owner,
        department=department,
        due_on=due_on,
        verifier=verifier,
        created_by=by,
        created_at=timezone.now(),
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        deadlines.sync(action)
    return action


def _apply(action: CorrectiveAction, *, seen: str, updates: dict) -> CorrectiveAction:
    with transaction.atomic():
        changed = CorrectiveAction.objects.filter(pk=action.pk, state=seen).update(**updates, updated_at=timezone.now())
        if changed != 1:
            raise ValidationError(_("Someone else changed this action a moment ago. Reload the page and try again."))
        action.refresh_from_db()
        deadlines.sync(action)
    return action


def action_record_done(
    *, action: CorrectiveAction, by: User, done_note: str, effectiveness: str = ""
) -> CorrectiveAction:
    """open → done, awaiting verification: what was done (and, if known, how it worked)."""
    if not may_record_done(by, action):
        raise ValidationError(_("You may not record this action as done."))
    if action.state != ActionState.OPEN:
        raise ValidationError(_("Only an open action can be recorded as done."))
    done_note = (done_note or "").strip()
    if not done_note:
        raise ValidationError({"done_note": _("Write down what was done.")})
    updates = {"state": ActionState.DONE, "done_note": done_note, "done_at": timezone.now(), "done_by": by}
    if effectiveness.strip():
        updates["effectiveness"] = effectiveness.strip()
    return _apply(action, seen=ActionState.OPEN, updates=updates)


def action_verify(*, action: CorrectiveAction, by: User, effectiveness: str) -> CorrectiveAction:
    """done → verified: the verifier records that it worked (effectiveness, required before closing,
    as a nonconformity requires). An action that did not work is sent back instead."""
    if not may_verify(by, action):
        raise ValidationError(_("You may not verify this action."))
    if action.state != ActionState.DONE:
        raise ValidationError(_("Only an action recorded as done can be verified."))
    effectiveness = (effectiveness or "").strip() or action.effectiveness
    if not effectiveness:
        raise ValidationError({"effectiveness": _("Record whether the action worked before closing it.")})
    return _apply(
        action,
        seen=ActionState.DONE,
        updates={
            "state": ActionState.VERIFIED,
            "effectiveness": effectiveness,
            "effective": True,
            "verified_by": by,
            "verified_at": timezone.now(),
        },
    )


def action_send_back(
    *, action: CorrectiveAction, by: User, reason: str, due_on: datetime.date | None = None
) -> CorrectiveAction:
    """done → open again: not done, or not effective; the reason is recorded, the deadline reopens
    (on a new due date when given)."""
    if not may_verify(by, action):
        raise ValidationError(_("You may not send this action back."))
    if action.state != ActionState.DONE:
        raise ValidationError(_("Only an action recorded as done can be sent back."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is sent back.")})
    updates: dict = {
        "state": ActionState.OPEN,
        "sent_back_note": reason,
        "sent_back_count": F("sent_back_count") + 1,
        "effective": False,
    }
    if due_on is not None:
        if due_on < timezone.localdate():
            raise ValidationError({"due_on": _("The due date cannot be in the past.")})
        updates["due_on"] = due_on
    return _apply(action, seen=ActionState.DONE, updates=updates)
