"""Return visits (C12)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import User

from .. import rules
from ..models import (
    Complaint,
    EventKind,
)
from ..rules import Action, State
from .core import (
    apply_change,
    check_action,
)


@transaction.atomic
def complaint_decide_return_visit(*, complaint: Complaint, by: User, required: bool, note: str = "") -> Complaint:
    """C12: QA decides whether to return-visit; an important complaint always gets one."""
    check_action(by, complaint, Action.DECIDE_RETURN_VISIT)
    if not required and rules.return_visit_required(complaint.important):
        raise ValidationError(_("An important complaint always gets a return visit by QA (C12)."))
    now = timezone.now()
    target = rules.DECIDE_TARGETS[bool(required)]
    updates: dict[str, Any] = {"return_visit_required": bool(required), "return_visit_decided_at": now}
    if target == State.CLOSED:
        updates["closed_at"] = now
    return apply_change(
        complaint,
        by=by,
        action=Action.DECIDE_RETURN_VISIT,
        kind=EventKind.RV_DECIDED if required else EventKind.CLOSED,
        updates=updates,
        to_state=target,
        note=note.strip() or (_("Return visit required.") if required else _("No return visit needed.")),
    )


@transaction.atomic
def complaint_record_return_visit(*, complaint: Complaint, by: User, satisfied: bool, note: str = "") -> Complaint:
    """The call outcome: satisfied -> closed; unsatisfied -> back in handling (reopened)."""
    check_action(by, complaint, Action.RECORD_RETURN_VISIT)
    now = timezone.now()
    target = rules.RETURN_VISIT_TARGETS[bool(satisfied)]
    updates: dict[str, Any] = {
        "return_visit_at": now,
        "return_visit_by": by,
        "return_visit_satisfied": bool(satisfied),
        "return_visit_note": note.strip(),
    }
    if satisfied:
        updates["closed_at"] = now
    else:
        updates["reopen_count"] = F("reopen_count") + 1
    text = note.strip() or (_("Resident satisfied.") if satisfied else _("Resident not satisfied."))
    return apply_change(
        complaint,
        by=by,
        action=Action.RECORD_RETURN_VISIT,
        kind=EventKind.RV_DONE if satisfied else EventKind.REOPENED,
        updates=updates,
        to_state=target,
        note=text,
    )
