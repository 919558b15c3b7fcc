"""The class records: WY8.3-G01-F1 (C5), WY8.3-G01-F2 (C6) and the special report (C7)."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import check_window
from estates.models import User

from .. import rules
from ..models import (
    Complaint,
    ComplaintRecord,
    EngineeringRecord,
    EventKind,
    SpecialReport,
)
from ..rules import Action
from .core import add_event, check_action, claim_version

M = TypeVar("M", ComplaintRecord, EngineeringRecord, SpecialReport)


def may_fill_records(user: User, complaint: Complaint) -> bool:
    """C5-C7: the record forms are filled by those who classify, and by the complaint's named handler."""
    return user.is_superuser or user.role in rules.TRANSITIONS[Action.CLASSIFY].roles or complaint.handler_id == user.pk


def _record_check(complaint: Complaint, by: User, cls: int) -> None:
    check_action(by, complaint, Action.ADD_NOTE)
    if not may_fill_records(by, complaint):
        raise ValidationError(_("Your role may not fill this record."))
    if complaint.complaint_class != cls:
        raise ValidationError(_("This record belongs to a complaint of another class."))
    if not complaint.is_open:
        # Issue 9: a finished complaint's record is what was signed; it is read, not rewritten.
        raise ValidationError(_("The complaint is finished: its record is read-only."))


def _save(model: type[M], complaint: Complaint, by: User, fields: dict[str, Any], note: str) -> M:
    """The one way a record form is saved: once per complaint (update_or_create on its one-to-one),
    signed by who filled it, as a compare-and-set on the complaint's version (a double submit is
    refused), with a line on the timeline."""
    claim_version(complaint)
    record, _created = model.objects.update_or_create(
        complaint=complaint, defaults={**fields, "filled_by": by, "updated_at": timezone.now()}
    )
    add_event(complaint, kind=EventKind.RECORD, actor=by, note=note)
    return record


@transaction.atomic
def record_f1_save(*, complaint: Complaint, by: User, handling_notes: str, follow_up: str = "") -> ComplaintRecord:
    """C5: the named person's complaint (suggestion) record WY8.3-G01-F1 (class 1). Its "result told
    to the resident" is the one typed at 告知住户结果 (complaint_tell_result), shown from the complaint
    (reports.records.f1_result), never typed a second time here (issue 9). A record saved before keeps
    its own stored text as the fallback for a complaint whose result was not told through the action."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_1)
    fields = {
        "handling_notes": handling_notes.strip(),
        "follow_up": follow_up.strip(),
    }
    return _save(ComplaintRecord, complaint, by, fields, _("Record WY8.3-G01-F1 updated."))


@transaction.atomic
def record_f2_save(
    *,
    complaint: Complaint,
    by: User,
    problem: str,
    location: str = "",
    cause: str = "",
    measures: str = "",
    wide_impact: bool = False,
    written_report_sent_at: datetime.datetime | None = None,
    copied_to_qa: bool = False,
) -> EngineeringRecord:
    """C6: the engineering problem record WY8.3-G01-F2 (class 2); a wide-impact problem is reported
    in writing to the customer service centre, copied to QA."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_2)
    if not problem.strip():
        raise ValidationError({"problem": _("Describe the problem.")})
    check_window(written_report_sent_at, rules.REPORT_SENT_WINDOW, field="written_report_sent_at")
    if wide_impact and (written_report_sent_at is None or not copied_to_qa):
        raise ValidationError(
            _("A problem with wide impact is reported in writing to the customer service centre and copied to QA (C6).")
        )
    fields = {
        "problem": problem.strip(),
        "location": location.strip(),
        "cause": cause.strip(),
        "measures": measures.strip(),
        "wide_impact": bool(wide_impact),
        "written_report_sent_at": written_report_sent_at,
        "copied_to_qa": bool(copied_to_qa),
    }
    return _save(EngineeringRecord, complaint, by, fields, _("Record WY8.3-G01-F2 updated."))


@transaction.atomic
def special_report_save(
    *,
    complaint: Complaint,
    by: User,
    impact: str,
    sent_to: str = "",
    result: str = "",
    publish: bool = False,
) -> SpecialReport:
    """C7: a special report on a class-3 complaint, sent to the related departments; the result
    is published."""
    _record_check(complaint, by, rules.ComplaintClass.CLASS_3)
    if not impact.strip():
        raise ValidationError({"impact": _("Describe the impact.")})
    if publish and not result.strip():
        raise ValidationError({"result": _("Write the result before publishing it.")})
    now = timezone.now()
    existing = SpecialReport.objects.filter(complaint=complaint).first()
    fields: dict[str, Any] = {"impact": impact.strip(), "sent_to": sent_to.strip(), "result": result.strip()}
    if sent_to.strip() and (existing is None or existing.sent_at is None):
        fields["sent_at"] = now
    if publish and (existing is None or existing.result_published_at is None):
        fields["result_published_at"] = now
    return _save(SpecialReport, complaint, by, fields, _("Special report updated (C7)."))
