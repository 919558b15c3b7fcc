"""The boxes of the complaint records, once: WY8.3-G01-F1 (C5), WY8.3-G01-F2 (C6) and the work
information log WY7.2.3-G01-F2 (C2). Each box is a named field (label, how to read its value from the
complaint and its record, column width and kind); the single record, its print page and the register
workbook are layouts — lists of field names — over the same fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from common.xlsx import Column

from ..models import Complaint, ComplaintClass, ComplaintRecord, EngineeringRecord

F1_CODE = "WY8.3-G01-F1"
F2_CODE = "WY8.3-G01-F2"
LOG_CODE = "WY7.2.3-G01-F2"


def _label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def phone(c: Complaint) -> str:
    return c.contact_phone or (c.resident.phone if c.resident_id else "")


def unit(c: Complaint) -> str:
    return c.unit.label if c.unit_id else ""


def _class(c: Complaint) -> str:
    parts = [c.get_complaint_class_display() if c.complaint_class else "", c.get_category_display()]
    return " · ".join(p for p in parts if p)


def _return_visit(c: Complaint) -> str:
    if c.return_visit_at is None:
        if c.return_visit_required is False:
            return _("No return visit (QA's decision)")
        return ""
    parts = [
        timezone.localtime(c.return_visit_at).strftime("%Y-%m-%d %H:%M"),
        str(c.return_visit_by or ""),
        _("Satisfied") if c.return_visit_satisfied else _("Not satisfied"),
        c.return_visit_note,
    ]
    return " · ".join(p for p in parts if p)


def related(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Field:
    label: Callable[[], str]  # called at render time: the reader's language
    value: Callable[[Complaint, Any], Any]  # (complaint, its F1/F2 record or None) -> the box's value
    width: int = 14
    kind: str = "auto"  # common.xlsx.Column kind: "text" keeps digits as text (numbers, phones)


def _c(name: str, value: Callable[[Complaint], Any], width: int = 14, kind: str = "auto") -> Field:
    """A box read from the complaint itself, labelled by the complaint's field."""
    return Field(lambda: _label(Complaint, name), lambda c, rec: value(c), width, kind)


def _r(model, name: str, value: Callable[[Any], Any], width: int = 14) -> Field:
    """A box of the F1 or F2 record; empty while the record is not filled in."""
    return Field(lambda: _label(model, name), lambda c, rec: value(rec) if rec else "", width)


def _empty(label: Callable[[], str]) -> Field:
    """A box on the paper form that is signed by hand (QA's opinion, the representative's)."""
    return Field(label, lambda c, rec: None)


def f1_result(complaint: Complaint, record: ComplaintRecord | None) -> str:
    """The result told to the resident as F1 shows it (issue 9): typed once, at 告知住户结果
    (Complaint.result); a record filled before that rule keeps its own text when the complaint has none."""
    return complaint.result or (record.result_told if record else "")


FIELDS: dict[str, Field] = {
    "number": _c("number", lambda c: c.number, 16, "text"),
    "office": _c("office", lambda c: c.office.name, 12),
    "received_at": _c("received_at", lambda c: c.received_at, 17),
    "channel": _c("channel", lambda c: c.get_channel_display(), 10),
    "received_by": _c("received_by", lambda c: str(c.received_by), 10),
    "complainant": Field(lambda: _("Complainant"), lambda c, rec: c.who, 10),
    "unit": _c("unit", unit, 16),
    "phone": _c("contact_phone", phone, 14, "text"),
    "content": _c("content", lambda c: c.content, 36),
    "class": _c("complaint_class", _class),
    "category": _c("category", lambda c: c.get_category_display(), 10),
    "department": _c("department", lambda c: c.department.label if c.department_id else "", 12),
    "handler": _c("handler", lambda c: str(c.handler or ""), 10),
    "handling_opinion": _c("handling_opinion", lambda c: c.handling_opinion),
    "responded_at": _c("responded_at", lambda c: c.responded_at),
    "result": _c("result", lambda c: c.result),
    "result_told_at": _c("result_told_at", lambda c: c.result_told_at, 17),
    "return_visit": Field(lambda: _("Return visit"), lambda c, rec: _return_visit(c), 24),
    "state": _c("state", lambda c: c.get_state_display(), 10),
    # F1 (C5)
    "handling_notes": _r(ComplaintRecord, "handling_notes", lambda r: r.handling_notes, 30),
    "follow_up": _r(ComplaintRecord, "follow_up", lambda r: r.follow_up, 24),
    "result_told": Field(lambda: _label(ComplaintRecord, "result_told"), lambda c, rec: f1_result(c, rec), 24),
    "f1_filled_by": _r(ComplaintRecord, "filled_by", lambda r: str(r.filled_by or "")),
    "qa_opinion": _empty(lambda: _("QA department's opinion")),
    "mr_opinion": _empty(lambda: _("Management representative's opinion")),
    # F2 (C6)
    "problem": _r(EngineeringRecord, "problem", lambda r: r.problem, 30),
    "location": _r(EngineeringRecord, "location", lambda r: r.location, 16),
    "cause": _r(EngineeringRecord, "cause", lambda r: r.cause, 24),
    "measures": _r(EngineeringRecord, "measures", lambda r: r.measures, 30),
    "wide_impact": _r(EngineeringRecord, "wide_impact", lambda r: yes_no(r.wide_impact), 8),
    "written_report_sent_at": Field(
        lambda: _label(EngineeringRecord, "written_report_sent_at"),
        lambda c, rec: rec.written_report_sent_at if rec else None,
        17,
    ),
    "copied_to_qa": _r(EngineeringRecord, "copied_to_qa", lambda r: yes_no(r.copied_to_qa), 8),
    "f2_filled_by": _r(EngineeringRecord, "filled_by", lambda r: str(r.filled_by or "")),
    "qa_supervision": _empty(lambda: _("QA supervision")),
    # The work log (C2): the paper book's date and time columns.
    "date": Field(lambda: _("Date"), lambda c, rec: timezone.localtime(c.received_at).date(), 11),
    "time": Field(lambda: _("Time"), lambda c, rec: timezone.localtime(c.received_at).strftime("%H:%M"), 7),
    "passed_to": Field(lambda: _("Passed to"), lambda c, rec: c.passed_to, 14),
}

# The boxes at the top of both paper records: who complained, when, how and what.
_RECORD_HEAD = ("number", "office", "received_at", "channel", "received_by", "complainant", "unit", "phone")
_RECORD_HEAD += ("content", "class")
# The first columns of both registers.
_REGISTER_HEAD = ("number", "received_at", "office", "complainant", "unit", "phone", "content")


@dataclass(frozen=True)
class RecordKind:
    """One record of the procedure: the class it belongs to, its form code and title, the related name
    of its model on Complaint, and its layouts."""

    complaint_class: int
    code: str
    title: Callable[[], str]
    related_name: str
    record: tuple[str, ...]  # the single record and its print page, in the order of the paper form
    register: tuple[str, ...]  # one row per complaint in the register workbook


RECORDS: dict[str, RecordKind] = {
    "f1": RecordKind(
        ComplaintClass.CLASS_1,
        F1_CODE,
        lambda: _("Complaint (suggestion) handling record"),
        "record_f1",
        record=(
            *_RECORD_HEAD,
            *("department", "handler", "handling_opinion", "responded_at", "handling_notes", "follow_up"),
            *("result_told", "result_told_at", "return_visit", "state", "f1_filled_by", "qa_opinion", "mr_opinion"),
        ),
        register=(
            *_REGISTER_HEAD,
            *("category", "department", "handler", "handling_notes", "follow_up", "result_told", "result_told_at"),
            *("return_visit", "state"),
        ),
    ),
    "f2": RecordKind(
        ComplaintClass.CLASS_2,
        F2_CODE,
        lambda: _("Engineering problem handling record"),
        "record_f2",
        record=(
            *_RECORD_HEAD,
            *("problem", "location", "cause", "measures", "wide_impact", "written_report_sent_at", "copied_to_qa"),
            *("result", "result_told_at", "state", "f2_filled_by", "qa_supervision"),
        ),
        register=(
            *_REGISTER_HEAD,
            *("problem", "location", "cause", "measures", "wide_impact", "written_report_sent_at", "copied_to_qa"),
            *("result_told_at", "state"),
        ),
    ),
}
# The work information log WY7.2.3-G01-F2 (C2), with its own content width.
LOG_LAYOUT = ("date", "time", "channel", "complainant", "unit", "phone", "number", "content", "received_by")
LOG_LAYOUT += ("passed_to",)
LOG_WIDTHS = {"content": 40}


def log_title() -> str:
    return _("Work information log")


def boxes(layout: tuple[str, ...], c: Complaint, record: Any = None) -> list[tuple[str, Any]]:
    """(label, value) of each box of `layout`, for the single record and its print page."""
    return [(FIELDS[name].label(), FIELDS[name].value(c, record)) for name in layout]


def columns(layout: tuple[str, ...], widths: dict[str, int] | None = None) -> list[Column]:
    widths = widths or {}
    return [
        Column(FIELDS[name].label(), widths.get(name, FIELDS[name].width), kind=FIELDS[name].kind) for name in layout
    ]


def row(layout: tuple[str, ...], c: Complaint, record: Any = None) -> list[Any]:
    return [FIELDS[name].value(c, record) for name in layout]


def display(value: Any) -> str:
    """A value as a print page shows it: Shanghai wall time, empty boxes empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)
