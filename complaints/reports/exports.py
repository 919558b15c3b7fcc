"""The complaint registers as export kinds (issue 10, exports.registry): the work information log
WY7.2.3-G01-F2 (C2) and the F1/F2 registers. Declared once here; the views and the background builder
both go through them, with the same scoped, filtered selectors as the page the export comes from."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from common.xlsx import register_workbook
from exports.registry import Built, ExportKind, register

from .. import selectors
from ..models import Complaint
from .records import LOG_CODE, LOG_LAYOUT, LOG_WIDTHS, RECORDS, columns, log_title, related, row

EXPORT_CHUNK = 1000
WORK_LOG = "complaints.work_log"
# The titles as msgids (the notification renders them in its reader's language).
REGISTER_TITLES = {
    "f1": gettext_noop("Complaint (suggestion) handling record"),
    "f2": gettext_noop("Engineering problem handling record"),
}


def register_kind(record: str) -> str:
    return f"complaints.register_{record}"


def period(filters: selectors.Filters) -> str:
    if not (filters.date_from or filters.date_to):
        return ""
    return f"{filters.date_from or ''} – {filters.date_to or ''}"


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


# ---------------------------------------------------------------------------------------------
# The F1 and F2 registers: every record matching the list's filters, one row per complaint


def register_queryset(user, filters: selectors.Filters, record: str) -> QuerySet[Complaint]:
    """The list's rows (same scope, filters and sort) of the record's class, with the record and what
    a row shows joined in: one query whatever the number of rows."""
    kind = RECORDS[record]
    return (
        selectors.complaint_list(user, filters)
        .filter(complaint_class=kind.complaint_class)
        .select_related(kind.related_name, "department__office", "return_visit_by", "handler", "received_by")
    )


def build_register(record: str, filters: selectors.Filters, user) -> Built:
    kind = RECORDS[record]
    rows = (
        row(kind.register, c, related(c, kind.related_name))
        for c in register_queryset(user, filters, record).iterator(chunk_size=EXPORT_CHUNK)
    )
    wb = register_workbook(
        title=kind.title(), form_code=kind.code, subtitle=period(filters), columns=columns(kind.register), rows=rows
    )
    return Built(wb, f"{kind.code} {_stamp()}.xlsx")


# ---------------------------------------------------------------------------------------------
# The work information log WY7.2.3-G01-F2 (C2)


def work_log_queryset(user, filters: selectors.Filters) -> QuerySet[Complaint]:
    # An export plans its one query once for thousands of rows: join everything (no prefetch per chunk).
    return (
        selectors.work_log(user, filters)
        .prefetch_related(None)
        .select_related("department__office", "handler", "received_by")
    )


def build_work_log(filters: selectors.Filters, user) -> Built:
    wb = register_workbook(
        title=log_title(),
        form_code=LOG_CODE,
        subtitle=period(filters),
        columns=columns(LOG_LAYOUT, LOG_WIDTHS),
        rows=(row(LOG_LAYOUT, c) for c in work_log_queryset(user, filters).iterator(chunk_size=EXPORT_CHUNK)),
    )
    return Built(wb, f"{LOG_CODE} {_stamp()}.xlsx")


def register_exports() -> None:
    register(
        ExportKind(
            name=WORK_LOG,
            title=gettext_noop("Work information log"),
            params=selectors.Filters,
            rows=lambda f, user: selectors.work_log(user, f),
            build=build_work_log,
        )
    )
    for record, title in REGISTER_TITLES.items():
        register(
            ExportKind(
                name=register_kind(record),
                title=title,
                params=selectors.Filters,
                rows=lambda f, user, record=record: register_queryset(user, f, record),
                build=lambda f, user, record=record: build_register(record, f, user),
            )
        )
