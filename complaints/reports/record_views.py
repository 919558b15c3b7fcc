"""Exports and print views of the three records of the complaint procedure (issue 3, "Exports and
printing"):

- WY8.3-G01-F1 顾客投诉(建议)处理记录表, the complaint (suggestion) record of a class-1 complaint (C5);
- WY8.3-G01-F2 工程问题处理记录表, the engineering problem record of a class-2 complaint (C6);
- WY7.2.3-G01-F2 工作信息记录本, the work information log of every complaint received (C2).

Each as an Excel workbook laid out like the paper form (common/xlsx.py: free text never runs as a formula,
phones stay text, Shanghai wall time) and as a print page. Single records are looked up through
selectors.complaint_for_user (404 outside the user's offices); registers go through the same scoped,
filtered selectors as the page they are exported from, so they hold exactly the rows the page lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from common.xlsx import Column, add_record_sheet, register_workbook, xlsx_file_response, xlsx_response

from .. import selectors
from ..models import Complaint, ComplaintClass, ComplaintRecord, EngineeringRecord
from ..views import _filters, _querystring

F1_CODE = "WY8.3-G01-F1"
F2_CODE = "WY8.3-G01-F2"
LOG_CODE = "WY7.2.3-G01-F2"
# A print page is read by a person: beyond this many rows the work log asks for a narrower period
# (the workbook has no such limit: it streams).
PRINT_LIMIT = 500
EXPORT_CHUNK = 1000


def _f1_title() -> str:
    return _("Complaint (suggestion) handling record")


def _f2_title() -> str:
    return _("Engineering problem handling record")


def _log_title() -> str:
    return _("Work information log")


def _label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _phone(c: Complaint) -> str:
    return c.contact_phone or (c.resident.phone if c.resident_id else "")


def _unit(c: Complaint) -> str:
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


def _related(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def _head_fields(c: Complaint) -> list[tuple[str, Any]]:
    """The boxes at the top of both paper records: who complained, when, how and what."""
    return [
        (_label(Complaint, "number"), c.number),
        (_label(Complaint, "office"), c.office.name),
        (_label(Complaint, "received_at"), c.received_at),
        (_label(Complaint, "channel"), c.get_channel_display()),
        (_label(Complaint, "received_by"), str(c.received_by)),
        (_("Complainant"), c.who),
        (_label(Complaint, "unit"), _unit(c)),
        (_label(Complaint, "contact_phone"), _phone(c)),
        (_label(Complaint, "content"), c.content),
        (_label(Complaint, "complaint_class"), _class(c)),
    ]


def f1_fields(c: Complaint, record: ComplaintRecord | None) -> list[tuple[str, Any]]:
    """WY8.3-G01-F1 as label/value boxes, in the order of the paper form (C5). The QA-opinion and
    management-representative boxes are on the form and stay empty (None)."""
    return [
        *_head_fields(c),
        (_label(Complaint, "department"), (c.department.label if c.department_id else "")),
        (_label(Complaint, "handler"), str(c.handler or "")),
        (_label(Complaint, "handling_opinion"), c.handling_opinion),
        (_label(Complaint, "responded_at"), c.responded_at),
        (_label(ComplaintRecord, "handling_notes"), record.handling_notes if record else ""),
        (_label(ComplaintRecord, "follow_up"), record.follow_up if record else ""),
        (_label(ComplaintRecord, "result_told"), (record.result_told if record else "") or c.result),
        (_label(Complaint, "result_told_at"), c.result_told_at),
        (_("Return visit"), _return_visit(c)),
        (_label(Complaint, "state"), c.get_state_display()),
        (_label(ComplaintRecord, "filled_by"), str(record.filled_by or "") if record else ""),
        (_("QA department's opinion"), None),
        (_("Management representative's opinion"), None),
    ]


def f2_fields(c: Complaint, record: EngineeringRecord | None) -> list[tuple[str, Any]]:
    """WY8.3-G01-F2 as label/value boxes (C6): the problem, where, why, what was done, and for a
    problem with wide impact the written report to the customer service centre, copied to QA."""
    return [
        *_head_fields(c),
        (_label(EngineeringRecord, "problem"), record.problem if record else ""),
        (_label(EngineeringRecord, "location"), record.location if record else ""),
        (_label(EngineeringRecord, "cause"), record.cause if record else ""),
        (_label(EngineeringRecord, "measures"), record.measures if record else ""),
        (_label(EngineeringRecord, "wide_impact"), _yes_no(record.wide_impact) if record else ""),
        (_label(EngineeringRecord, "written_report_sent_at"), record.written_report_sent_at if record else None),
        (_label(EngineeringRecord, "copied_to_qa"), _yes_no(record.copied_to_qa) if record else ""),
        (_label(Complaint, "result"), c.result),
        (_label(Complaint, "result_told_at"), c.result_told_at),
        (_label(Complaint, "state"), c.get_state_display()),
        (_label(EngineeringRecord, "filled_by"), str(record.filled_by or "") if record else ""),
        (_("QA supervision"), None),
    ]


def _display(value: Any) -> str:
    """A value as the print page shows it: Shanghai wall time, empty boxes empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


# ---------------------------------------------------------------------------------------------
# Single records (F1, F2)

RECORDS = {
    # record -> (class it belongs to, form code, title, related name, fields)
    "f1": (ComplaintClass.CLASS_1, F1_CODE, _f1_title, "record_f1", f1_fields),
    "f2": (ComplaintClass.CLASS_2, F2_CODE, _f2_title, "record_f2", f2_fields),
}


def _record(request: HttpRequest, complaint_id: int, record: str):
    complaint = selectors.complaint_for_user(request.user, complaint_id)
    cls, code, title, related, fields = RECORDS[record]
    if complaint.complaint_class != cls:
        # C5/C6: F1 is the record of a class-1 complaint, F2 of a class-2 one.
        messages.error(request, _("This record belongs to another class of complaint."))
        return complaint, None
    return complaint, (code, title(), fields(complaint, _related(complaint, related)))


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def record_xlsx(request: HttpRequest, complaint_id: int, record: str) -> HttpResponse:
    complaint, form = _record(request, complaint_id, record)
    if form is None:
        return redirect(complaint.get_absolute_url())
    code, title, fields = form
    wb = Workbook()
    add_record_sheet(
        wb,
        title=title,
        form_code=code,
        subtitle=complaint.office.name,
        fields=[(label, _yes_no(v) if isinstance(v, bool) else v) for label, v in fields],
    )
    return xlsx_response(wb, f"{code} {complaint.number}.xlsx")


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def record_print(request: HttpRequest, complaint_id: int, record: str) -> HttpResponse:
    complaint, form = _record(request, complaint_id, record)
    if form is None:
        return redirect(complaint.get_absolute_url())
    code, title, fields = form
    return render(
        request,
        "complaints/print_record.html",
        {
            "complaint": complaint,
            "form_code": code,
            "form_title": title,
            "xlsx_url": reverse(f"complaints:record_{record}_xlsx", args=[complaint.pk]),
            "fields": [(label, _display(value)) for label, value in fields],
        },
    )


# ---------------------------------------------------------------------------------------------
# Registers: every F1 or F2 record matching the list's filters, one row per complaint


def _register_rows(qs: QuerySet[Complaint], record: str) -> Iterator[list[Any]]:
    for c in qs.iterator(chunk_size=EXPORT_CHUNK):
        rec = _related(c, "record_f1" if record == "f1" else "record_f2")
        head = [c.number, c.received_at, c.office.name, c.who, _unit(c), _phone(c), c.content]
        if record == "f1":
            yield [
                *head,
                c.get_category_display(),
                (c.department.label if c.department_id else ""),
                str(c.handler or ""),
                rec.handling_notes if rec else "",
                rec.follow_up if rec else "",
                (rec.result_told if rec else "") or c.result,
                c.result_told_at,
                _return_visit(c),
                c.get_state_display(),
            ]
        else:
            yield [
                *head,
                rec.problem if rec else "",
                rec.location if rec else "",
                rec.cause if rec else "",
                rec.measures if rec else "",
                _yes_no(rec.wide_impact) if rec else "",
                rec.written_report_sent_at if rec else None,
                _yes_no(rec.copied_to_qa) if rec else "",
                c.result_told_at,
                c.get_state_display(),
            ]


def _register_columns(record: str) -> list[Column]:
    head = [
        Column(_label(Complaint, "number"), 16, kind="text"),
        Column(_label(Complaint, "received_at"), 17),
        Column(_label(Complaint, "office"), 12),
        Column(_("Complainant"), 10),
        Column(_label(Complaint, "unit"), 16),
        Column(_label(Complaint, "contact_phone"), 14, kind="text"),
        Column(_label(Complaint, "content"), 36),
    ]
    if record == "f1":
        return [
            *head,
            Column(_label(Complaint, "category"), 10),
            Column(_label(Complaint, "department"), 12),
            Column(_label(Complaint, "handler"), 10),
            Column(_label(ComplaintRecord, "handling_notes"), 30),
            Column(_label(ComplaintRecord, "follow_up"), 24),
            Column(_label(ComplaintRecord, "result_told"), 24),
            Column(_label(Complaint, "result_told_at"), 17),
            Column(_("Return visit"), 24),
            Column(_label(Complaint, "state"), 10),
        ]
    return [
        *head,
        Column(_label(EngineeringRecord, "problem"), 30),
        Column(_label(EngineeringRecord, "location"), 16),
        Column(_label(EngineeringRecord, "cause"), 24),
        Column(_label(EngineeringRecord, "measures"), 30),
        Column(_label(EngineeringRecord, "wide_impact"), 8),
        Column(_label(EngineeringRecord, "written_report_sent_at"), 17),
        Column(_label(EngineeringRecord, "copied_to_qa"), 8),
        Column(_label(Complaint, "result_told_at"), 17),
        Column(_label(Complaint, "state"), 10),
    ]


def register_queryset(user, filters: selectors.Filters, record: str) -> QuerySet[Complaint]:
    """The list's rows (same scope, filters and sort) of the record's class, with the record and what
    a row shows joined in: one query whatever the number of rows."""
    cls = ComplaintClass.CLASS_1 if record == "f1" else ComplaintClass.CLASS_2
    related = ["record_f1"] if record == "f1" else ["record_f2"]
    return (
        selectors.complaint_list(user, filters)
        .filter(complaint_class=cls)
        .select_related(*related, "department__office", "return_visit_by", "resident")
    )


def _period(filters: selectors.Filters) -> str:
    if not (filters.date_from or filters.date_to):
        return ""
    return f"{filters.date_from or ''} – {filters.date_to or ''}"


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def register_xlsx(request: HttpRequest, record: str) -> HttpResponse:
    _form, f = _filters(request)
    cls, code, title, _related_name, _fields = RECORDS[record]
    wb = register_workbook(
        title=title(),
        form_code=code,
        subtitle=_period(f),
        columns=_register_columns(record),
        rows=_register_rows(register_queryset(request.user, f, record), record),
    )
    return xlsx_file_response(wb, f"{code} {_stamp()}.xlsx")


# ---------------------------------------------------------------------------------------------
# The work information log WY7.2.3-G01-F2 (C2)


def _log_columns() -> list[Column]:
    return [
        Column(_("Date"), 11),
        Column(_("Time"), 7),
        Column(_label(Complaint, "channel"), 10),
        Column(_("Complainant"), 10),
        Column(_label(Complaint, "unit"), 16),
        Column(_label(Complaint, "contact_phone"), 14, kind="text"),
        Column(_label(Complaint, "number"), 16, kind="text"),
        Column(_label(Complaint, "content"), 40),
        Column(_label(Complaint, "received_by"), 10),
        Column(_("Passed to"), 14),
    ]


def _log_rows(rows: Iterable[Complaint]) -> Iterator[list[Any]]:
    for c in rows:
        local = timezone.localtime(c.received_at)
        yield [
            local.date(),
            local.strftime("%H:%M"),
            c.get_channel_display(),
            c.who,
            _unit(c),
            _phone(c),
            c.number,
            c.content,
            str(c.received_by),
            c.passed_to,
        ]


def work_log_queryset(user, filters: selectors.Filters) -> QuerySet[Complaint]:
    return selectors.work_log(user, filters).select_related("department__office")


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def work_log_xlsx(request: HttpRequest) -> HttpResponse:
    _form, f = _filters(request)
    wb = register_workbook(
        title=_log_title(),
        form_code=LOG_CODE,
        subtitle=_period(f),
        columns=_log_columns(),
        rows=_log_rows(work_log_queryset(request.user, f).iterator(chunk_size=EXPORT_CHUNK)),
    )
    return xlsx_file_response(wb, f"{LOG_CODE} {_stamp()}.xlsx")


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def work_log_print(request: HttpRequest) -> HttpResponse:
    _form, f = _filters(request)
    rows = list(work_log_queryset(request.user, f)[: PRINT_LIMIT + 1])
    return render(
        request,
        "complaints/print_work_log.html",
        {
            "form_code": LOG_CODE,
            "form_title": _log_title(),
            "period": _period(f),
            "columns": [c.title for c in _log_columns()],
            "rows": [[_display(v) for v in row] for row in _log_rows(rows[:PRINT_LIMIT])],
            "truncated": len(rows) > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "qs": _querystring(request),
        },
    )
