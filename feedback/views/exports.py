"""Excel exports and print views: the register laid out like the paper 与顾客沟通登记表 (streamed, with
the list's filters and the user's office scope) and the monthly archive (F2).

Every cell goes through the shared Excel helpers: never a formula, phones as text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from common.xlsx import Column, add_form_sheet, register_workbook, xlsx_response
from exports.registry import Built, ExportKind, register
from exports.views import xlsx_export

from .. import selectors
from .archive import figures
from .common import filters, querystring

EXPORT_LIMIT = 100_000
PRINT_LIMIT = 1000
REGISTER_TITLE = "与顾客沟通登记表"
REGISTER_EXPORT = "feedback.register"


def _who(entry) -> str:
    if entry.resident_id:
        return entry.resident.name
    return entry.contact_name


def _unit(entry) -> str:
    if not entry.unit_id:
        return ""
    unit = entry.unit
    return f"{unit.building.community.name} {unit.building.name}-{unit.number}"


def _phone(entry) -> str:
    return entry.contact_phone or (entry.resident.phone if entry.resident_id else "")


def register_columns() -> list[Column]:
    return [
        Column(_("Number"), 11, "text"),
        Column(_("Date and time"), 17),
        Column(_("Name"), 10),
        Column(_("Unit"), 18),
        Column(_("Phone"), 14, "text"),
        Column(_("Channel"), 10),
        Column(_("Kind"), 10),
        Column(_("Category"), 10),
        Column(pgettext("feedback", "What was said"), 40),
        Column(_("Received by"), 10),
        Column(_("What was done"), 30),
        Column(_("Outcome"), 24),
        Column(_("State"), 10),
    ]


def register_row(entry) -> list:
    return [
        entry.number,
        entry.received_at,
        _who(entry),
        _unit(entry),
        _phone(entry),
        entry.get_channel_display(),
        entry.get_kind_display(),
        entry.category.label if entry.category_id else "",
        entry.content,
        str(entry.received_by) if entry.received_by_id else _("Online"),
        entry.action,
        entry.outcome,
        entry.state_display,
    ]


def build_register(f: selectors.Filters, user) -> Built:
    """The register workbook of `user`'s scope and filter (exports.registry: inline or in the background)."""
    rows = selectors.export_rows(user, f, EXPORT_LIMIT).iterator(chunk_size=2000)
    wb = register_workbook(
        title=REGISTER_TITLE,
        form_code="",
        subtitle=_("Exported %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        columns=register_columns(),
        rows=(register_row(e) for e in rows),
        sheet_title=REGISTER_TITLE,
    )
    return Built(wb, f"{REGISTER_TITLE}.xlsx")


def register_exports() -> None:
    register(
        ExportKind(
            name=REGISTER_EXPORT,
            title=gettext_noop("Customer communication register"),
            params=selectors.Filters,
            rows=lambda f, user: selectors.filtered(user, f),
            build=build_register,
        )
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("feedback.view_entry", raise_exception=True)
def register_xlsx(request: HttpRequest) -> HttpResponse:
    """Built here when small; a large register is built in the background and arrives in the inbox."""
    _form, f = filters(request)
    query = querystring(request)
    back = reverse("feedback:register") + (f"?{query}" if query else "")
    return xlsx_export(request, kind=REGISTER_EXPORT, params=f, back=back)


@require_GET
@login_required
@permission_required("feedback.view_entry", raise_exception=True)
def register_print(request: HttpRequest) -> HttpResponse:
    _form, f = filters(request)
    rows = list(selectors.export_rows(request.user, f, PRINT_LIMIT + 1))
    return render(
        request,
        "feedback/register_print.html",
        {
            "rows": rows[:PRINT_LIMIT],
            "truncated": len(rows) > PRINT_LIMIT,
            "limit": PRINT_LIMIT,
            "title": REGISTER_TITLE,
        },
    )


@require_GET
@login_required
@permission_required("feedback.view_monthlyarchive", raise_exception=True)
def archive_xlsx(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    fig = figures(archive)
    title = _("%(office)s monthly summary of customer opinions and requests %(month)s") % {
        "office": archive.office.name,
        "month": f"{archive.month:%Y-%m}",
    }
    state = archive.get_state_display()
    wb = Workbook()
    add_form_sheet(
        wb,
        title=title,
        form_code="",
        subtitle=state,
        sheet_title=_("Figures"),
        columns=[Column(_("Item"), 24), Column(_("Count"), 10), Column(_("Share"), 10), Column(_("Cumulative"), 12)],
        rows=[
            *[(_("Kind") + ": " + label, n, None, None) for label, n in fig["by_kind"]],
            *[(_("Channel") + ": " + label, n, None, None) for label, n in fig["by_channel"]],
            *[(r["label"], r["count"], f"{r['percent']}%", f"{r['cumulative']}%") for r in fig["pareto"]],
            (_("Total"), fig["total"], None, None),
            (_("Still open at the end of the month"), fig["open_count"], None, None),
            *[(m["month"], m["total"], None, None) for m in fig["earlier"]],
        ],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="",
        subtitle=_("Analysis of the main factors"),
        sheet_title=_("Analysis"),
        columns=[Column(_("Analysis of the main factors"), 100)],
        rows=[(archive.analysis,), (archive.meeting_note,)],
    )
    actions = archive.actions.select_related("owner", "department").order_by("due_on", "pk")
    add_form_sheet(
        wb,
        title=title,
        form_code="",
        subtitle=_("Corrective and preventive actions"),
        sheet_title=_("Corrective actions"),
        columns=[
            Column(_("Nonconformity or main factor"), 30),
            Column(_("Action to take"), 36),
            Column(pgettext("feedback", "Owner"), 14),
            Column(_("Due date"), 12),
            Column(_("State"), 12),
            Column(_("What was done"), 30),
            Column(_("Effectiveness"), 30),
        ],
        rows=[
            (
                a.title,
                a.description,
                " ".join(str(x) for x in (a.owner, a.department) if x is not None),
                a.due_on,
                a.get_state_display(),
                a.done_note,
                a.effectiveness,
            )
            for a in actions
        ],
    )
    return xlsx_response(wb, f"{title}.xlsx")
