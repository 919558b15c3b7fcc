"""Response and handling (C3, C4, C5, C8, C10, C11)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.notifications import TEXT, notify
from common.dates import check_window
from estates.models import QA_ROLES, Department, Role, User

from .. import rules
from ..models import (
    Complaint,
    EventKind,
    ResponseHow,
)
from ..rules import Action, State
from ..selectors import handlers_for
from .core import (
    apply_change,
    check_action,
    complaint_link,
    role_users,
)


@transaction.atomic
def complaint_respond(*, complaint: Complaint, by: User, how: str = "", note: str = "") -> Complaint:
    """C3: the first response to the resident; meets the C3 deadline (late stays late). Issue 9: it
    needs content — how the resident was answered (call, visit, message) and what they were told."""
    check_action(by, complaint, Action.RESPOND)
    errors = {}
    if how not in ResponseHow.values:
        errors["how"] = _("Say how the resident was answered: call, visit or message.")
    if not note.strip():
        errors["note"] = _("Write what the resident was told.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.RESPOND,
        kind=EventKind.RESPONDED,
        updates={"responded_at": now, "response_note": note.strip(), "response_how": how},
        to_state=State.RESPONDED,
        note=note.strip(),
    )
    return complaint


@transaction.atomic
def complaint_set_handling(
    *,
    complaint: Complaint,
    by: User,
    opinion: str,
    handler: User | None = None,
    department: Department | None = None,
    due_at: datetime.datetime | None = None,
) -> Complaint:
    """C4: the superior's handling opinion and the named person. From QA or the assistant GM it also
    answers C8 (their opinion and deadline, enforced by the clock as C8-DL) and C10."""
    check_action(by, complaint, Action.SET_HANDLING)
    if complaint.complaint_class is None:
        raise ValidationError(_("Classify the complaint first: the class decides who handles it (C1, C4)."))
    if not opinion.strip():
        raise ValidationError({"opinion": _("Write the handling opinion.")})
    # C4 names a person (issue 9): required (an earlier named handler stands), from the office's or the
    # responsible department's staff.
    if handler is None and complaint.handler_id is None:
        raise ValidationError({"handler": _("Name the person who handles it (C4).")})
    responsible = department or complaint.department
    if (
        handler is not None
        and not handlers_for(complaint.office_id, complaint.office.company_id, responsible.pk if responsible else None)
        .filter(pk=handler.pk)
        .exists()
    ):
        raise ValidationError(
            {"handler": _("The handler must work for this management office or the responsible department.")}
        )
    if department is not None and department.company_id != complaint.office.company_id:
        raise ValidationError({"department": _("The department belongs to another company.")})
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": _("The deadline must be in the future.")})
    check_window(due_at, rules.HANDLING_DUE_WINDOW, field="due_at", now=now)
    updates: dict[str, Any] = {"handling_opinion": opinion.strip()}
    if handler is not None:
        updates["handler"] = handler
    if department is not None:
        updates["department"] = department
    if due_at is not None:
        updates["handling_due_at"] = due_at
        updates["handling_due_set_at"] = now
    from_qa = by.role in (*QA_ROLES, Role.ASSISTANT_GM, Role.MGMT_REP) or by.is_superuser
    if from_qa:
        updates["needs_qa_opinion"] = False
        if complaint.c8_since is not None and complaint.c8_answered_at is None:
            updates["c8_answered_at"] = now  # C8 answered: QA's or the assistant GM's opinion
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.SET_HANDLING,
        kind=EventKind.HANDLING,
        updates=updates,
        to_state=State.IN_HANDLING,
        note=opinion.strip(),
    )
    return complaint


@transaction.atomic
def complaint_forward(*, complaint: Complaint, by: User, department: Department, note: str = "") -> Complaint:
    """C10/C11: the customer service centre or QA gives the complaint to a department, which reports
    its measures to QA within 1 working day; a re-forward restarts it for the new department (C11)."""
    check_action(by, complaint, Action.FORWARD)
    if department.company_id != complaint.office.company_id or department.office_id not in (None, complaint.office_id):
        raise ValidationError({"department": _("Choose a department of this management office.")})
    now = timezone.now()
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.FORWARD,
        kind=EventKind.FORWARDED,
        updates={"department": department, "forwarded_at": now, "measures_reported_at": None},
        note=department.label + (f" — {note.strip()}" if note.strip() else ""),
    )
    return complaint


@transaction.atomic
def complaint_report_measures(*, complaint: Complaint, by: User, measures: str) -> Complaint:
    """C11: the department's measures reach QA; meets the C11 deadline."""
    check_action(by, complaint, Action.REPORT_MEASURES)
    if complaint.forwarded_at is None:
        raise ValidationError(_("The complaint has not been forwarded to a department."))
    if not measures.strip():
        raise ValidationError({"measures": _("Describe the measures.")})
    now = timezone.now()
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.REPORT_MEASURES,
        kind=EventKind.MEASURES,
        updates={"measures": measures.strip(), "measures_reported_at": now},
        note=measures.strip(),
    )
    office = complaint.office
    notify(
        recipients=role_users(Role.QA_STAFF, office) + role_users(Role.QA_MANAGER, office),
        key=f"complaint:{complaint.pk}:c11:{now.timestamp()}",
        title=N_("Measures reported on complaint %(number)s"),
        body=[(TEXT, {"text": measures.strip()[:500]})],
        params={"number": complaint.number},
        link=complaint_link(complaint),
    )
    return complaint


@transaction.atomic
def complaint_tell_result(*, complaint: Complaint, by: User, result: str) -> Complaint:
    """C5: the resident is told the result; the handling deadline (C8-DL) is met."""
    check_action(by, complaint, Action.TELL_RESULT)
    if not result.strip():
        raise ValidationError({"result": _("Write the result told to the resident.")})
    now = timezone.now()
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.TELL_RESULT,
        kind=EventKind.RESULT_TOLD,
        updates={"result": result.strip(), "result_told_at": now},
        to_state=State.RESULT_TOLD,
        note=result.strip(),
    )
    return complaint
