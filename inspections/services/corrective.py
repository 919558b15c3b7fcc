"""Q1: a finding becomes a corrective action, kept by the register app (feedback.CorrectiveAction,
verified by QA only). This module is the one place inspections meets it; while the register app is
not installed, findings are recorded without an action."""

from __future__ import annotations

import datetime
import uuid

from django.apps import apps
from django.db import transaction

from estates.models import User

from ..models import Check, Finding, Item
from .checks import finding_add


def available() -> bool:
    return apps.is_installed("feedback")


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
    return finding_add(check=check, by=by, description=description, evidence=evidence, item=item, form_token=form_token)


def findings_with_actions(check: Check) -> list[Finding]:
    return list(check.findings.select_related("item", "created_by").order_by("pk"))
