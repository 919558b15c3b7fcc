"""What a C14 summary or C15 analysis shows — on its page, its print view and in its workbook — read
from the typed snapshot (labels follow the reader's language; the snapshot stores keys)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..models import MonthlySummary, QuarterlyAnalysis
from ..rules import ComplaintClass
from .labels import category_label, channel_label, class_label
from .snapshot import Group, MonthlySnapshot, QuarterlySnapshot


def _labelled(groups: tuple[Group, ...], label) -> list[tuple[str, int]]:
    return [(label(g.key), g.count) for g in groups]


def summary_view_data(summary: MonthlySummary) -> dict[str, Any]:
    snap = MonthlySnapshot.from_json(summary.data)
    totals, compliance = snap.totals, snap.compliance
    rows = list(snap.rows)
    return {
        "snapshot": snap,
        "totals": [
            (_("Received in the month"), totals.received),
            (_("Complaints"), totals.complaints),
            (_("Suggestions"), totals.suggestions),
            (_("Effective complaints (class 1)"), totals.effective),
            (_("Invalid complaints"), totals.invalid),
            (_("Made to the company, group or a government body (C9)"), totals.c9),
            (_("Carried over from earlier months"), totals.carried_over),
            (_("Open at the end of the month"), totals.open_at_end),
        ],
        "compliance": [
            (_("First response on time (C3)"), compliance.met),
            (_("First response late"), compliance.late),
            (_("Not yet due"), compliance.pending),
            (_("No response deadline"), compliance.none),
        ],
        "rate": compliance.rate,
        "groups": [
            (_("By class"), _labelled(snap.by_class, class_label)),
            (_("By channel"), _labelled(snap.by_channel, channel_label)),
            (_("By category"), _labelled(snap.by_category, category_label)),
            (_("By management office"), _labelled(snap.by_office, lambda k: k or "—")),
        ],
        "rows": [r for r in rows if not r.c9],
        "c9_rows": [r for r in rows if r.c9],
        "open_rows": [r for r in rows if r.open_at_end],
        "all_rows": rows,
    }


def analysis_view_data(analysis: QuarterlyAnalysis) -> dict[str, Any]:
    snap = QuarterlySnapshot.from_json(analysis.data)
    return {
        "snapshot": snap,
        "class_labels": [class_label(c) for c in ComplaintClass.values],
        "trend": snap.trend,
        "pareto": snap.pareto,
        "response_times": snap.response_times,
        "repeats": snap.repeats,
        "by_office": snap.by_office,
        "by_department": snap.by_department,
        "by_class": _labelled(snap.by_class, class_label),
        "by_channel": _labelled(snap.by_channel, channel_label),
        "compliance": snap.compliance,
        "publications": snap.publications,
        "total": snap.total,
        "effective": snap.effective,
    }


def summary_title(summary: MonthlySummary) -> str:
    """ "Monthly complaint summary 2026-01, 科信管理处 工程部": pages, workbooks, deadlines, notifications."""
    return _("Monthly complaint summary %(month)s, %(department)s") % {
        "month": f"{summary.month:%Y-%m}",
        "department": summary.department.label,
    }


def analysis_title(analysis: QuarterlyAnalysis) -> str:
    return _("Quarterly complaint analysis %(quarter)s") % {"quarter": analysis.label}
