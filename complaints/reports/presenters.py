"""What a C14 summary or C15 analysis shows — on its page, its print view and in its workbook — read
from the typed snapshot (labels follow the reader's language; the snapshot stores keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from common.keyset import Key, KeysetPage, keyset_slice
from estates.models import Office, Unit, User
from estates.scoping import scoped
from estates.selectors import mask_phone

from ..models import Complaint, MonthlySummary, QuarterlyAnalysis
from ..rules import ComplaintClass
from .labels import category_label, channel_label, class_label
from .snapshot import (
    Group,
    MonthlyRow,
    MonthlySnapshot,
    QuarterlySnapshot,
    RepeatUnit,
    monthly_row,
    monthly_row_key,
)

# A C14 page lists this many of the month's complaints per table (issue 10); the print view and the
# workbook list them all.
SUMMARY_PAGE_SIZE = 50
SUMMARY_ROW_KEYS = (Key("received_at"), Key("id"))


def _labelled(groups: tuple[Group, ...], label) -> list[tuple[str, int]]:
    return [(label(g.key), g.count) for g in groups]


@dataclass(frozen=True)
class SummaryRow:
    """A stored C14 row (figures) with its complaint's personal fields read live, through the reader's
    office scope (STYLE.md 17, issue 9): `visible` is False for a complaint of an office the reader does
    not work for, whose unit, name, phone and content stay empty. The phone is masked: a summary is
    not the complaint's own record."""

    row: MonthlyRow
    visible: bool = False
    office: str = ""
    unit: str = ""
    who: str = ""
    phone: str = ""
    content: str = ""

    def __getattr__(self, name: str) -> Any:  # the stored figures: number, class_label, on_time ...
        return getattr(self.row, name)


def live_rows(rows: list[MonthlyRow], reader: User | None) -> list[SummaryRow]:
    """One query for the complaints of the rows the reader may see (select_related what is shown)."""
    if reader is None or not rows:
        return [SummaryRow(row=r) for r in rows]
    found = {
        c.pk: c
        for c in scoped(Complaint.objects.filter(pk__in=[r.id for r in rows]), reader).select_related(
            "office", "resident", "unit__building__community"
        )
    }
    result = []
    for r in rows:
        c = found.get(r.id)
        if c is None:
            result.append(SummaryRow(row=r))
            continue
        phone = c.contact_phone or (c.resident.phone if c.resident_id and c.resident else "")
        result.append(
            SummaryRow(
                row=r,
                visible=True,
                office=c.office.name,
                unit=c.unit.label if c.unit_id and c.unit else "",
                who=c.who,
                phone=mask_phone(phone),
                content=c.content,
            )
        )
    return result


def _summary_figures(snap: MonthlySnapshot) -> dict[str, Any]:
    totals, compliance = snap.totals, snap.compliance
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
    }


def summary_view_data(summary: MonthlySummary, reader: User | None = None) -> dict[str, Any]:
    """What the summary shows `reader`, every row (the print view, the workbook): the stored figures,
    and each row's personal fields only where the reader works for the complaint's office (None: none
    at all)."""
    snap = MonthlySnapshot.from_json(summary.data)
    rows = live_rows(list(snap.rows), reader)
    return {
        **_summary_figures(snap),
        "rows": [r for r in rows if not r.c9],
        "c9_rows": [r for r in rows if r.c9],
        "open_rows": [r for r in rows if r.open_at_end],
        "all_rows": rows,
    }


def _row_page(raw: list[dict], cursor: str | None, reader: User | None, size: int) -> tuple[KeysetPage, list]:
    page = keyset_slice(raw, SUMMARY_ROW_KEYS, cursor, size=size, value=monthly_row_key)
    return page, live_rows([monthly_row(r) for r in page.object_list], reader)


def summary_page_data(
    summary: MonthlySummary,
    reader: User | None,
    *,
    after: str | None = None,
    c9_after: str | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    """The summary's page (issue 10): the figures, and one keyset page of each of its two lists (the
    month's complaints, those made to the company or a government body), each paged by its own cursor
    over the stored rows in (received_at, id) order. Only the page's rows are read into objects, looked
    up live (one query per list) and rendered, so the page's cost follows the page, not the month."""
    size = size or SUMMARY_PAGE_SIZE
    data = dict(summary.data or {})
    raw = sorted(data.pop("rows", None) or (), key=lambda r: (monthly_row_key(r, "received_at"), r["id"]))
    view = _summary_figures(MonthlySnapshot.from_json(data))
    rows_page, rows = _row_page([r for r in raw if not r.get("c9")], after, reader, size)
    c9_page, c9_rows = _row_page([r for r in raw if r.get("c9")], c9_after, reader, size)
    return {
        **view,
        "paged": True,
        "rows": rows,
        "c9_rows": c9_rows,
        "rows_page": rows_page,
        "c9_page": c9_page,
        # Each list's pager keeps the other list's place.
        "rows_qs": urlencode({"c9_after": c9_after}) if c9_after else "",
        "c9_qs": urlencode({"after": after}) if after else "",
    }


@dataclass(frozen=True)
class RepeatRow:
    """A stored C15 repeat (unit id, office id, count) with its labels read live (snapshot v3): the
    office's name for every reader of the analysis (the whole company), the unit's label and page only
    for a reader who works for the unit's office (`visible`)."""

    count: int
    office: str = ""
    unit: str = ""
    unit_id: int | None = None
    visible: bool = False


def live_repeats(repeats: tuple[RepeatUnit, ...], company_id: int, reader: User | None) -> list[RepeatRow]:
    """Two queries whatever the rows: the offices' names, and the units the reader may see."""
    if not repeats:
        return []
    offices = dict(
        Office.objects.filter(company_id=company_id, pk__in={r.office_id for r in repeats if r.office_id}).values_list(
            "pk", "name"
        )
    )
    units = {}
    if reader is not None:
        units = {
            u.pk: u
            for u in scoped(
                Unit.objects.filter(pk__in=[r.unit_id for r in repeats if r.unit_id]), reader
            ).select_related("building__community")
        }
    rows = []
    for r in repeats:
        unit = units.get(r.unit_id)
        rows.append(
            RepeatRow(
                count=r.count,
                office=offices.get(r.office_id, ""),
                unit=unit.label if unit else "",
                unit_id=r.unit_id,
                visible=unit is not None,
            )
        )
    return rows


def analysis_view_data(analysis: QuarterlyAnalysis, reader: User | None = None) -> dict[str, Any]:
    snap = QuarterlySnapshot.from_json(analysis.data)
    return {
        "snapshot": snap,
        "class_labels": [class_label(c) for c in ComplaintClass.values],
        "trend": snap.trend,
        "pareto": snap.pareto,
        "response_times": snap.response_times,
        "repeats": live_repeats(snap.repeats, analysis.company_id, reader),
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
