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

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from common.xlsx import add_record_sheet, xlsx_response
from exports.views import xlsx_export

from .. import selectors
from ..views_lists import filters, querystring
from .exports import WORK_LOG, period, register_kind, work_log_queryset
from .records import LOG_CODE, LOG_LAYOUT, RECORDS, boxes, columns, display, log_title, related, row, yes_no

# A print page is read by a person: beyond this many rows the work log asks for a narrower period
# (the workbook has no such limit: it streams).
PRINT_LIMIT = 500


# ---------------------------------------------------------------------------------------------
# Single records (F1, F2)


def _record(request: HttpRequest, complaint_id: int, record: str):
    complaint = selectors.complaint_for_user(request.user, complaint_id)
    kind = RECORDS[record]
    if complaint.complaint_class != kind.complaint_class:
        # C5/C6: F1 is the record of a class-1 complaint, F2 of a class-2 one.
        messages.error(request, _("This record belongs to another class of complaint."))
        return complaint, None
    return complaint, (kind.code, kind.title(), boxes(kind.record, complaint, related(complaint, kind.related_name)))


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
        fields=[(label, yes_no(v) if isinstance(v, bool) else v) for label, v in fields],
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
            "fields": [(label, display(value)) for label, value in fields],
        },
    )


# ---------------------------------------------------------------------------------------------
# Registers (F1, F2 and the work information log WY7.2.3-G01-F2, C2): declared once as export kinds
# (reports/exports.py); exports.views.xlsx_export builds a small one here and a large one in the
# background, its file arriving in the user's inbox (issue 10). A POST from the page's button, or a GET.


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def register_xlsx(request: HttpRequest, record: str) -> HttpResponse:
    _form, f = filters(request)
    back = reverse("complaints:list") + _query(querystring(request, ("page", "after")))
    return xlsx_export(request, kind=register_kind(record), params=f, back=back)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def work_log_xlsx(request: HttpRequest) -> HttpResponse:
    _form, f = filters(request)
    back = reverse("complaints:work_log") + _query(querystring(request, ("page", "after")))
    return xlsx_export(request, kind=WORK_LOG, params=f, back=back)


def _query(qs: str) -> str:
    return f"?{qs}" if qs else ""


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def work_log_print(request: HttpRequest) -> HttpResponse:
    _form, f = filters(request)
    found = list(work_log_queryset(request.user, f)[: PRINT_LIMIT + 1])
    rows: list[list[Any]] = [[display(v) for v in row(LOG_LAYOUT, c)] for c in found[:PRINT_LIMIT]]
    return render(
        request,
        "complaints/print_work_log.html",
        {
            "form_code": LOG_CODE,
            "form_title": log_title(),
            "period": period(f),
            "columns": [c.title for c in columns(LOG_LAYOUT)],
            "rows": rows,
            "truncated": len(found) > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "qs": querystring(request),
        },
    )
