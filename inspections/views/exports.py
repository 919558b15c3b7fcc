"""Excel exports: the office scorecard, the company comparison and a signed check, with the common
Excel helpers (never a formula, text stays text)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.xlsx import Column, register_workbook, xlsx_response

from .. import reports, selectors
from ..services.checks import check_score
from ..services.corrective import findings_with_actions
from .reports import MONTHS, _month_office


def _columns(first: str) -> list[Column]:
    return [
        Column(first, 20),
        Column(_("Check score"), 12),
        Column(_("Findings"), 10),
        Column(_("Findings open"), 10),
        Column(_("Findings verified"), 10),
        Column(_("Verification failures"), 12),
        Column(_("Call-backs made"), 12),
        Column(_("Repairs"), 10),
        Column(_("Repairs visited"), 12),
        Column(_("Repair return-visit score"), 14),
    ]


def _cells(r: dict) -> list:
    score = r.get("score")
    repair = r.get("repair_score")
    return [
        score,
        r.get("findings", 0),
        r.get("findings_open", 0),
        r.get("findings_closed", 0),
        r.get("failed", 0),
        r.get("called", 0),
        r.get("repairs", 0),
        r.get("visited", 0),
        round(repair, 2) if repair is not None else None,
    ]


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def scorecard_export(request: HttpRequest) -> HttpResponse:
    _form, offices, month, office = _month_office(request)
    office = office or offices.order_by("name").first()
    rows = reports.scorecard(office.pk, month, MONTHS) if office else []
    title = _("Office scorecard") + (f" {office.name}" if office else "")
    wb = register_workbook(
        title=title,
        form_code="",
        subtitle=f"{rows[0]['month']:%Y-%m} – {month:%Y-%m}" if rows else "",
        columns=_columns(_("Month")),
        rows=([f"{r['month']:%Y-%m}", *_cells(r)] for r in rows),
        sheet_title=_("Scorecard"),
    )
    return xlsx_response(wb, f"{title} {month:%Y-%m}.xlsx")


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def comparison_export(request: HttpRequest) -> HttpResponse:
    if not request.user.is_company_wide:
        raise PermissionDenied
    _form, offices, month, _office = _month_office(request)
    rows = reports.comparison(offices.order_by("name"), month)
    wb = register_workbook(
        title=_("Company comparison"),
        form_code="",
        subtitle=f"{month:%Y-%m}",
        columns=_columns(_("Office")),
        rows=([r["office"].name, *_cells(r)] for r in rows),
        sheet_title=_("Comparison"),
    )
    return xlsx_response(wb, f"{_('Company comparison')} {month:%Y-%m}.xlsx")


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def check_export(request: HttpRequest, check_id: int) -> HttpResponse:
    check = selectors.check_for_user(request.user, check_id)
    sections, loose = selectors.check_sheet(check)
    score = check_score(check)
    rows: list[list] = []
    for row in sections:
        rows.append([row.section.title, "", "", "", score.sections.get(row.section.pk), ""])
        for r in row.rows:
            rows.append(
                [
                    "",
                    r.item.text + (" [" + _("red line") + "]" if r.item.red_line else ""),
                    r.item.points,
                    r.result.get_outcome_display() if r.result else "",
                    -r.result.deduction if r.result and r.result.outcome == "fail" else None,
                    r.result.note if r.result else "",
                ]
            )
    figures = [f for row in sections for r in row.rows for f in r.figures] + loose
    rows += [[_("Figure"), f.label, "", f.value, None, f.source] for f in figures]
    rows += [[_("Finding"), f.description, "", "", None, f.evidence] for f in findings_with_actions(check)]
    rows.append([_("Score"), "", "", "", check.score if not check.is_open else score.score, check.conclusion])
    wb = register_workbook(
        title=f"{check.standard.name} {check.office.name}",
        form_code="",
        subtitle=f"{check.period_start:%Y-%m} v{check.version.number}",
        columns=[
            Column(_("Section"), 18),
            Column(_("What is checked"), 40),
            Column(_("Points"), 8),
            Column(_("Outcome"), 12),
            Column(_("Score"), 10),
            Column(_("Note"), 40),
        ],
        rows=rows,
        sheet_title=_("Check"),
    )
    return xlsx_response(wb, f"{check.office.name} {check.period_start:%Y-%m}.xlsx")
