"""Invalid complaints, the developer and the management representative (C16-C19)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from clock.notifications import notify
from clock.services import users_for_role
from estates.models import Office, Role, User

from .. import rules
from ..models import (
    Complaint,
    ComplaintSettings,
    EventKind,
)
from ..rules import Action, State
from .core import (
    apply_change,
    check_action,
    complaint_link,
    role_users,
)


def authority_limit(office: Office) -> Decimal:
    """C17: the company's compensation authority (a company setting; RULES default otherwise)."""
    found = ComplaintSettings.objects.filter(company_id=office.company_id).values_list(
        "compensation_authority", flat=True
    )
    value = next(iter(found), None)
    return Decimal(value) if value is not None else rules.DEFAULT_COMPENSATION_AUTHORITY


@transaction.atomic
def complaint_mark_invalid(*, complaint: Complaint, by: User, explanation: str) -> Complaint:
    """C16: an invalid complaint gets a reasonable, patient explanation, recorded. Explaining it to
    the resident is a response, so C3 is met; the other step deadlines are no longer needed."""
    check_action(by, complaint, Action.MARK_INVALID)
    if not explanation.strip():
        raise ValidationError({"explanation": _("Record the explanation given to the resident (C16).")})
    now = timezone.now()
    updates: dict[str, Any] = {"invalid": True, "invalid_explanation": explanation.strip(), "closed_at": now}
    if complaint.responded_at is None:
        updates["responded_at"] = now
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.MARK_INVALID,
        kind=EventKind.INVALID,
        updates=updates,
        to_state=State.INVALID,
        note=explanation.strip(),
    )
    return complaint


def complaint_compensation_route(complaint: Complaint) -> str:
    """C17/C18 for this complaint: "developer" or "company"."""
    if complaint.return_exchange_request:
        return rules.CompensationRoute.DEVELOPER
    return rules.compensation_route(
        complaint.compensation_amount, complaint.developer_involved, authority_limit(complaint.office)
    )


@transaction.atomic
def complaint_hand_to_developer(
    *,
    complaint: Complaint,
    by: User,
    sent_what: str,
    compensation_amount: Decimal | None = None,
    developer_involved: bool = False,
    return_exchange_request: bool = False,
) -> Complaint:
    """C17: compensation that involves the developer or exceeds the company's authority, and C18: a
    request to return or exchange the home, go to the developer: what was sent and when is recorded.
    Anything else the company handles itself, and is refused here."""
    check_action(by, complaint, Action.HAND_TO_DEVELOPER)
    if compensation_amount is not None and compensation_amount < 0:
        raise ValidationError({"compensation_amount": _("The amount cannot be negative.")})
    if not sent_what.strip():
        raise ValidationError({"sent_what": _("Record what was sent to the developer.")})
    route = (
        rules.CompensationRoute.DEVELOPER
        if return_exchange_request
        else rules.compensation_route(compensation_amount, developer_involved, authority_limit(complaint.office))
    )
    if route != rules.CompensationRoute.DEVELOPER:
        raise ValidationError(
            _(
                "Within the company's authority of %(limit)s yuan and not involving the developer: "
                "the company handles it (C17)."
            )
            % {"limit": authority_limit(complaint.office)}
        )
    now = timezone.now()
    reason = _("C18: request to return or exchange the home.") if return_exchange_request else _("C17: compensation.")
    return apply_change(
        complaint,
        by=by,
        action=Action.HAND_TO_DEVELOPER,
        kind=EventKind.TO_DEVELOPER,
        updates={
            "compensation_amount": compensation_amount,
            "developer_involved": bool(developer_involved),
            "return_exchange_request": bool(return_exchange_request),
            "developer_sent_at": now,
            "developer_sent_what": sent_what.strip(),
        },
        note=f"{reason} {sent_what.strip()}",
    )


@transaction.atomic
def complaint_record_developer_answer(*, complaint: Complaint, by: User, answer: str) -> Complaint:
    check_action(by, complaint, Action.DEVELOPER_ANSWER)
    if complaint.developer_sent_at is None:
        raise ValidationError(_("The complaint has not been handed to the developer."))
    if not answer.strip():
        raise ValidationError({"answer": _("Record the developer's answer.")})
    return apply_change(
        complaint,
        by=by,
        action=Action.DEVELOPER_ANSWER,
        kind=EventKind.DEVELOPER_ANSWER,
        updates={"developer_answer": answer.strip(), "developer_answered_at": timezone.now()},
        note=answer.strip(),
    )


@transaction.atomic
def complaint_escalate_to_mr(*, complaint: Complaint, by: User, reason: str) -> Complaint:
    """C19: what the departments could not resolve goes to the management representative, who
    becomes its handler."""
    check_action(by, complaint, Action.ESCALATE_TO_MR)
    if complaint.escalated_to_mr:
        raise ValidationError(_("The complaint is already with the management representative."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the departments could not resolve it.")})
    office = complaint.office
    mr = users_for_role(role=Role.MGMT_REP, office=office).order_by("pk").first()
    updates: dict[str, Any] = {"escalated_to_mr": True, "escalated_at": timezone.now(), "escalation_reason": reason}
    if mr is not None:
        updates["handler"] = mr
    complaint = apply_change(
        complaint,
        by=by,
        action=Action.ESCALATE_TO_MR,
        kind=EventKind.ESCALATED,
        updates=updates,
        note=reason.strip(),
    )
    notify(
        recipients=role_users(Role.MGMT_REP, office),
        key=f"complaint:{complaint.pk}:c19",
        title=N_("Complaint %(number)s escalated to you"),
        body=N_("C19: the departments could not resolve it. %(reason)s"),
        params={"number": complaint.number, "reason": reason.strip()[:400]},
        link=complaint_link(complaint),
    )
    return complaint
