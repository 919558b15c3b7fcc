"""S9-S14: the round's statistics (community, buildings, earlier rounds), the Pareto chart, the
statistics table JL/WI-KF-019/002 as Excel, the printable analysis report, the company's statistics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from common.xlsx import Column, add_form_sheet, xlsx_response

from .. import rules, selectors, services
from ..models import Response
from ..models.rounds import TABLE_CODE


def _context(r) -> dict:
    stats = selectors.round_statistics(r)
    returned = Response.objects.filter(sample_unit__round=r, sample_unit__active=True).count()
    pareto = stats["community"].pareto()
    return {
        "round": r,
        "stats": stats,
        "returned": returned,
        "rates": selectors.return_rates(r),
        "pareto": pareto,
        "chart": {
            "labels": [p.label for p in pareto],
            "counts": [p.count for p in pareto],
            "cumulative": [float(p.cumulative) for p in pareto],
            "bar": _("Dissatisfied answers"),
            "line": _("Cumulative %"),
        },
        "levels": rules.Level.choices,
        "level_keys": list(rules.LEVEL_KEYS.values()),
    }


@require_GET
@login_required
def statistics(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    context = _context(r)
    context["comments"] = selectors.comments(r)[:200]
    return render(request, "surveys/statistics.html", context)


@require_GET
@login_required
def report_print(request: HttpRequest, round_id: int) -> HttpResponse:
    """S14: the analysis report, printable, filed with the company's business department."""
    r = selectors.round_for_user(request.user, round_id)
    context = _context(r)
    context["comments"] = selectors.comments(r)[:200]
    context["printed_at"] = timezone.now()
    return render(request, "surveys/print_report.html", context)


@require_GET
@login_required
def table_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    """S9/S20: the satisfaction statistics table JL/WI-KF-019/002, laid out like the paper form."""
    r = selectors.round_for_user(request.user, round_id)
    ctx = _context(r)
    community = ctx["stats"]["community"]
    returned = ctx["returned"]
    total = ctx["rates"]["total"]
    columns = [
        Column(_("No."), 6),
        Column(_("Survey item"), 34),
        *(Column(str(label), 10) for _v, label in rules.Level.choices),
        Column(_("Blank"), 8),
        Column(_("Satisfaction rate (%)"), 14),
    ]
    rows = []
    for index, item in enumerate(community.items, start=1):
        counts = [item.counts.get(k, 0) for k in rules.LEVEL_KEYS.values()]
        rows.append([index, item.text, *counts, max(returned - sum(counts), 0), item.rate])
    verdict = {True: _("Qualified"), False: _("Not qualified"), None: "—"}[community.qualified]
    rows.append(["", _("Overall satisfaction (S11)"), "", "", "", "", "", "", community.overall])
    rows.append(["", _("Conclusion (S12: 96% or more is qualified)"), "", "", "", "", "", "", verdict])
    subtitle = _(
        "%(office)s %(community)s %(period)s — handed out %(handed)d, returned %(returned)d, return rate %(rate)s%%"
    ) % {
        "office": r.office.name,
        "community": r.community.name,
        "period": r.period_label,
        "handed": total.handed,
        "returned": returned,
        "rate": total.rate if total.rate is not None else "—",
    }
    wb = Workbook()
    add_form_sheet(
        wb,
        title=_("Customer satisfaction statistics table"),
        form_code=TABLE_CODE,
        columns=columns,
        rows=rows,
        subtitle=subtitle,
    )
    building_columns = [Column(_("Building"), 14), *(Column(i.text, 12) for i in community.items), Column(_("Overall"))]
    building_rows = [
        [name, *(i.rate for i in stats.items), stats.overall] for name, stats in ctx["stats"]["buildings"].items()
    ]
    add_form_sheet(
        wb,
        title=_("Satisfaction by building"),
        form_code=TABLE_CODE,
        columns=building_columns,
        rows=building_rows,
        subtitle=subtitle,
        sheet_title=_("By building"),
    )
    return xlsx_response(wb, f"{TABLE_CODE.replace('/', '-')}-{r.community.name}-{r.year}H{r.half}.xlsx")


@require_GET
@login_required
@permission_required("surveys.view_surveyround", raise_exception=True)
def company_statistics(request: HttpRequest) -> HttpResponse:
    """The company's half year, every community side by side (one aggregate query)."""
    from .. import forms

    today = timezone.localdate()
    year, half = services.current_half(today)
    form = forms.PeriodForm(request.GET or {"year": year, "half": half})
    if form.is_valid():
        year, half = form.cleaned_data["year"], form.cleaned_data["half"]
    if not request.user.is_company_wide or not request.user.company_id:
        raise PermissionDenied  # company-wide figures are for the company roles (F4: QA organises)
    data = selectors.company_statistics(request.user.company, year, half)
    return render(request, "surveys/company_statistics.html", {"form": form, "data": data, "year": year, "half": half})
