"""Writes of the complaint procedure (C1-C19 minus the summaries C14/C15, which are in
complaints.reports), a package by stage over one small core:

- core.py: the permission check, the compare-and-set apply, the timeline event, the deadline sync;
- intake.py (C2, C3, C9, C10, C13), classification.py (C1, C8), handling.py (C3-C5, C10, C11),
  return_visits.py (C12), escalation.py (C16-C19), attachments.py, records.py (C5-C7).

Every state change is a compare-and-set on the state and the version the caller saw
(`filter(pk=..., state=seen, version=seen).update(...)`): two browser tabs, a double click, or eight
simultaneous POSTs cannot each move a complaint; the losers get a ValidationError, never a silent
overwrite or a duplicate. Every change appends a ComplaintEvent (the timeline). Deadlines live in the
clock: every state change ends with `sync_deadlines`, which hands the complaint's deadline plan
(rules.deadline_plan) to clock.deadlines.deadline_sync in the same transaction.

`run_action` runs one action of the registry (rules.TRANSITIONS) with its form's cleaned data.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from estates.models import User

from .. import rules
from ..models import Complaint
from .attachments import attachment_add, complaint_add_note
from .calendar import complaints_calendar_changed
from .classification import complaint_classify
from .contact import complaint_correct_contact
from .core import can_act, expect_version, may_act
from .escalation import (
    authority_limit,
    complaint_compensation_route,
    complaint_escalate_to_mr,
    complaint_hand_to_developer,
    complaint_mark_invalid,
    complaint_record_developer_answer,
)
from .handling import (
    complaint_forward,
    complaint_report_measures,
    complaint_respond,
    complaint_set_handling,
    complaint_tell_result,
)
from .intake import complaint_create
from .records import may_fill_records, record_f1_save, record_f2_save, special_report_save
from .return_visits import complaint_decide_return_visit, complaint_record_return_visit

__all__ = [
    "attachment_add",
    "authority_limit",
    "can_act",
    "complaint_add_note",
    "complaints_calendar_changed",
    "complaint_classify",
    "complaint_compensation_route",
    "complaint_correct_contact",
    "complaint_create",
    "complaint_decide_return_visit",
    "complaint_escalate_to_mr",
    "complaint_forward",
    "complaint_hand_to_developer",
    "complaint_mark_invalid",
    "complaint_record_developer_answer",
    "complaint_record_return_visit",
    "complaint_report_measures",
    "complaint_respond",
    "complaint_set_handling",
    "complaint_tell_result",
    "may_act",
    "may_fill_records",
    "record_f1_save",
    "record_f2_save",
    "run_action",
    "special_report_save",
]


def run_action(
    *,
    action: str,
    complaint: Complaint,
    by: User,
    data: dict[str, Any],
    version: int | None = None,
    file: UploadedFile | None = None,
) -> None:
    """Run `action` (an entry of rules.TRANSITIONS) with its form's cleaned data, posted from a page
    rendered at `version` of the complaint (a stale page is refused). `file`: a multipart action's upload."""
    transition = rules.TRANSITIONS[action]
    expect_version(complaint, version)
    kwargs = dict(data)
    if transition.multipart:
        kwargs["file"] = file
    globals()[transition.service](complaint=complaint, by=by, **kwargs)
