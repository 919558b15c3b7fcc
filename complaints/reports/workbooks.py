"""The C14 and C15 workbooks, laid out like the paper summaries (common.xlsx: never a formula)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from common.xlsx import Column, add_form_sheet
from estates.models import User

from ..models import MonthlySummary, QuarterlyAnalysis
from .presenters import RepeatRow, SummaryRow, analysis_title, analysis_view_data, summary_title, summary_view_data


def _row_cells(r: SummaryRow) -> list:
    return [
        r.number,
        r.received_at,
        r.office,
        r.unit,
        r.who,
        r.phone,
        r.content,
        r.class_label,
        r.category_label,
        r.channel_label,
        r.state_label,
        r.on_time_label,
        _("Yes") if r.carried else "",
    ]


def summary_workbook(summary: MonthlySummary, reader: User | None = None) -> Workbook:
    view = summary_view_data(summary, reader)
    title = summary_title(summary)
    state = summary.get_state_display()
    if summary.approved_at:
        state = f"{state} {summary.approved_by} {summary.approved_at:%Y-%m-%d}"
    subtitle = f"{summary.department.label} · {summary.month:%Y-%m} · {state}"
    wb = Workbook()
    totals = list(view["totals"]) + list(view["compliance"])
    totals.append((_("Share answered on time (%)"), view["rate"] if view["rate"] is not None else "—"))
    add_form_sheet(
        wb,
        title=title,
        form_code="C14",
        subtitle=subtitle,
        sheet_title=_("Totals"),
        columns=[Column(_("Item"), 40), Column(_("Count"), 12)],
        rows=totals,
    )
    grouped = [(group, label, n) for group, items in view["groups"] for label, n in items]
    add_form_sheet(
        wb,
        title=title,
        form_code="C14",
        subtitle=subtitle,
        sheet_title=_("By class, channel, category"),
        columns=[Column(_("Grouped by"), 18), Column(_("Item"), 30), Column(_("Count"), 10)],
        rows=grouped,
    )
    columns = [
        Column(_("Number"), 16, "text"),
        Column(_("Received"), 17),
        Column(_("Management office"), 14),
        Column(_("Unit"), 18),
        Column(_("Resident"), 12),
        Column(_("Phone"), 14, "text"),
        Column(_("Content"), 40),
        Column(_("Class"), 8),
        Column(_("Category"), 12),
        Column(_("Channel"), 12),
        Column(_("State"), 12),
        Column(_("Responded on time"), 10),
        Column(_("Carried over"), 8),
    ]
    add_form_sheet(
        wb,
        title=title,
        form_code="C14",
        subtitle=subtitle,
        sheet_title=_("Complaints"),
        columns=columns,
        rows=[_row_cells(r) for r in view["rows"]],
    )
    add_form_sheet(
        wb,
        title=_("Made to the company, group or a government body (C9)"),
        form_code="C14",
        subtitle=subtitle,
        sheet_title="C9",
        columns=columns,
        rows=[_row_cells(r) for r in view["c9_rows"]],
    )
    return wb


def _repeat_unit(row: RepeatRow) -> str:
    """The unit's label for a reader of its office; otherwise no label (snapshot v3, STYLE.md 17)."""
    if row.visible:
        return row.unit
    return _("A unit of another office") if row.unit_id else "—"


def analysis_workbook(analysis: QuarterlyAnalysis, reader: User | None = None) -> Workbook:
    view = analysis_view_data(analysis, reader)
    title = analysis_title(analysis)
    subtitle = f"{analysis.company} · {analysis.get_state_display()}"
    wb = Workbook()
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Trend"),
        columns=[Column(_("Month"), 12), Column(_("Total"), 10)]
        + [Column(label, 10) for label in view["class_labels"]]
        + [Column(_("Not classified"), 10)],
        rows=[[f"{t.month:%Y-%m}", t.total, *t.classes, t.unclassified] for t in view["trend"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Pareto of causes"),
        columns=[
            Column(_("Category"), 20),
            Column(_("Count"), 10),
            Column(_("Share %"), 10),
            Column(_("Cumulative %"), 12),
        ],
        rows=[[p.label, p.count, p.percent, p.cumulative] for p in view["pareto"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Response times"),
        columns=[Column(_("Time to first response"), 24), Column(_("Count"), 10)],
        rows=[[b.label, b.count] for b in view["response_times"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Repeat complaints"),
        columns=[Column(_("Management office"), 16), Column(_("Unit"), 24, "text"), Column(_("Count"), 10)],
        rows=[[r.office or "—", _repeat_unit(r), r.count] for r in view["repeats"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Offices and departments"),
        columns=[Column(_("Management office"), 16), Column(_("Department"), 20), Column(_("Count"), 10)],
        rows=[[o.office, "", o.total] for o in view["by_office"]]
        + [[d.office, d.department or _("No department yet"), d.total] for d in view["by_department"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Conclusions"),
        columns=[Column(_("QA's conclusions"), 100)],
        rows=[[analysis.conclusions or "—"]],
    )
    return wb
