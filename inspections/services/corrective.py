"""Q1: a finding becomes a corrective action kept by the register app (feedback.CorrectiveAction,
source "QA check", verifier QA only: the office records what it did, only QA verifies it after an
effectiveness check or sends it back). This module is the one place inspections writes to it, always
through feedback's own services; the action's due date is its clock deadline (feedback's plan)."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from estates.models import User
from feedback.models import CorrectiveAction
from feedback.rules import ActionSource, Verifier
from feedback.services import actions as feedback_actions

from ..models import Check, Finding, Item
from .checks import _require_qa, finding_add


def _action_for(finding: Finding, *, by: User, owner: User, due_on: datetime.date) -> CorrectiveAction:
    title = finding.description.strip().splitlines()[0][:200] if finding.description.strip() else "—"
    return feedback_actions.action_create(
        office=finding.check_run.office,
        by=by,
        title=title,
        description=finding.description,
        due_on=due_on,
        owner=owner,
        source=ActionSource.INSPECTION,
        verifier=Verifier.QA,
    )


@transaction.atomic
def finding_with_action(
    *,
    check: Check,
    by: User,
    description: str,
    evidence: str = "",
    item: Item | None = None,
    owner: User | None = None,
    due_on: datetime.date | None = None,
    form_token: uuid.UUID | None = None,
) -> Finding:
    """Record a finding; with an owner and a due date it becomes a corrective action at once."""
    if (owner is None) != (due_on is None):
        raise ValidationError(_("Name both the owner and the due date of the corrective action, or neither."))
    finding = finding_add(
        check=check, by=by, description=description, evidence=evidence, item=item, form_token=form_token
    )
    if owner is not None and finding.corrective_action_id is None:
        finding.corrective_action = _action_for(finding, by=by, owner=owner, due_on=due_on)
        finding.save(update_fields=["corrective_action"])
    return finding


@transaction.atomic
def finding_set_action(*, finding: Finding, by: User, owner: User, due_on: datetime.date) -> Finding:
    """A finding recorded without an action (a failed call-back) becomes one later."""
    _require_qa(by)
    finding = Finding.objects.select_for_update().select_related("check_run__office").get(pk=finding.pk)
    if finding.corrective_action_id is not None:
        raise ValidationError(_("This finding already has its corrective action."))
    finding.corrective_action = _action_for(finding, by=by, owner=owner, due_on=due_on)
    finding.save(update_fields=["corrective_action"])
    return finding


def _action(finding: Finding) -> CorrectiveAction:
    if finding.corrective_action_id is None:
        raise ValidationError(_("This finding has no corrective action yet."))
    return finding.corrective_action


def action_done(*, finding: Finding, by: User, done_note: str) -> CorrectiveAction:
    """The office records what it did (feedback's rules say who may)."""
    return feedback_actions.action_record_done(action=_action(finding), by=by, done_note=done_note)


def action_verify(*, finding: Finding, by: User, effectiveness: str) -> CorrectiveAction:
    """Only QA verifies, after checking that the action worked."""
    return feedback_actions.action_verify(action=_action(finding), by=by, effectiveness=effectiveness)


def action_send_back(*, finding: Finding, by: User, reason: str, due_on: datetime.date | None = None):
    return feedback_actions.action_send_back(action=_action(finding), by=by, reason=reason, due_on=due_on)


def findings_with_actions(check: Check) -> list[Finding]:
    return list(
        check.findings.select_related(
            "item", "created_by", "corrective_action__owner", "corrective_action__verified_by"
        )
        .prefetch_related("photos")
        .order_by("pk")
    )
