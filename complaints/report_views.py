"""Pages of the summaries: C14 monthly summaries, C15 quarterly analyses, published complaints, their
print views and Excel workbooks. Views parse, call one service, render or redirect (STYLE.md 9);
every lookup goes through report_selectors.*_for_user (404 outside what the user may see)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from clock.models import Deadline
from web.xlsx import Column, add_form_sheet, xlsx_response

from . import report_selectors as sel
from . import report_services, rules
from .models import MonthlySummary, PublicationReason, QuarterlyAnalysis
from .selectors import complaint_for_user

PAGE_SIZE = 25
VIEW = "complaints.view_complaint"


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Manager's note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishAnalysisForm(forms.Form):
    conclusions = forms.CharField(
        label=gettext_lazy("QA's conclusions"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class PublishComplaintForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why published"), choices=PublicationReason.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("What happened and what we learn"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Published to every staff member: leave out the resident's name and phone."),
    )


def _deadlines(subject) -> list[Deadline]:
    ct = ContentType.objects.get_for_model(type(subject))
    return list(Deadline.objects.filter(subject_type=ct, subject_id=subject.pk).order_by("opened_at", "pk"))


# ---------------------------------------------------------------------------------------------
# What a summary shows (labels follow the reader's language; the snapshot stores keys)


def _parse(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def summary_view_data(summary: MonthlySummary) -> dict[str, Any]:
    data = summary.data or {}
    totals = data.get("totals", {})
    compliance = data.get("compliance", {})
    rows = [
        dict(
            row,
            received=_parse(row.get("received_at")),
            class_label=sel.class_label(row.get("class")),
            category_label=sel.category_label(row.get("category")),
            channel_label=sel.channel_label(row.get("channel")),
            state_label=sel.state_label(row.get("state")),
            on_time_label=sel.on_time_label(row.get("on_time", "")),
        )
        for row in data.get("rows", [])
    ]
    return {
        "totals": [
            (_("Received in the month"), totals.get("received", 0)),
            (_("Complaints"), totals.get("complaints", 0)),
            (_("Suggestions"), totals.get("suggestions", 0)),
            (_("Effective complaints (class 1)"), totals.get("effective", 0)),
            (_("Invalid complaints"), totals.get("invalid", 0)),
            (_("Made to the company, group or a government body (C9)"), totals.get("c9", 0)),
            (_("Carried over from earlier months"), totals.get("carried_over", 0)),
            (_("Open at the end of the month"), totals.get("open_at_end", 0)),
        ],
        "compliance": [
            (_("First response on time (C3)"), compliance.get("met", 0)),
            (_("First response late"), compliance.get("late", 0)),
            (_("Not yet due"), compliance.get("pending", 0)),
            (_("No response deadline"), compliance.get("none", 0)),
        ],
        "rate": compliance.get("rate"),
        "groups": [
            (_("By class"), [(sel.class_label(k), n) for k, n in data.get("by_class", [])]),
            (_("By channel"), [(sel.channel_label(k), n) for k, n in data.get("by_channel", [])]),
            (_("By category"), [(sel.category_label(k), n) for k, n in data.get("by_category", [])]),
            (_("By management office"), [(k or "—", n) for k, n in data.get("by_office", [])]),
        ],
        "rows": [r for r in rows if not r.get("c9")],
        "c9_rows": [r for r in rows if r.get("c9")],
        "open_rows": [r for r in rows if r.get("open_at_end")],
        "all_rows": rows,
    }


def analysis_view_data(analysis: QuarterlyAnalysis) -> dict[str, Any]:
    data = analysis.data or {}
    class_labels = [sel.class_label(c) for c in rules.ComplaintClass.values]
    return {
        "class_labels": class_labels,
        "trend": [
            dict(t, month_date=datetime.date.fromisoformat(t["month"]), cells=list(t["classes"]))
            for t in data.get("trend", [])
        ],
        "pareto": [dict(p, label=sel.category_label(p["category"])) for p in data.get("pareto", [])],
        "response_times": [dict(b, label=sel.bucket_label(b)) for b in data.get("response_times", [])],
        "repeats": data.get("repeats", []),
        "by_office": data.get("by_office", []),
        "by_department": data.get("by_department", []),
        "by_class": [(sel.class_label(k), n) for k, n in data.get("by_class", [])],
        "by_channel": [(sel.channel_label(k), n) for k, n in data.get("by_channel", [])],
        "compliance": data.get("compliance", {}),
        "publications": [dict(p, at=_parse(p["published_at"])) for p in data.get("publications", [])],
        "total": data.get("total", 0),
        "effective": data.get("effective", 0),
    }


# ---------------------------------------------------------------------------------------------
# C14 monthly summaries


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.summary_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/summary_list.html",
        {"page_obj": page, "summaries": page.object_list, "qs": ""},
    )


def _summary_page(request: HttpRequest, summary: MonthlySummary, form=None, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "complaints/summary_detail.html",
        {
            "summary": summary,
            "view": summary_view_data(summary),
            "deadlines": _deadlines(summary),
            "can_approve": summary.is_draft and sel.may_approve(user, summary),
            "can_refresh": summary.is_draft and sel.may_refresh(user, summary),
            "approve_form": form or ApproveForm(),
            "due": rules.summary_due(summary.month),
        },
        status=status,
    )


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_detail(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_page(request, sel.summary_for_user(request.user, summary_id))


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_refresh(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    try:
        report_services.monthly_summary_refresh(summary=summary, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The figures were recomputed."))
    return redirect(summary.get_absolute_url())


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_approve(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, summary, form=form, status=400)
    try:
        report_services.monthly_summary_approve(summary=summary, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Approved and published; copied to QA."))
    return redirect(summary.get_absolute_url())


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_print(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    return render(request, "complaints/summary_print.html", {"summary": summary, "view": summary_view_data(summary)})


def _summary_title(summary: MonthlySummary) -> str:
    return _("Monthly complaint summary %(month)s, %(department)s") % {
        "month": f"{summary.month:%Y-%m}",
        "department": summary.department,
    }


def _row_cells(r: dict) -> list:
    return [
        r["number"],
        r["received"],
        r.get("office", ""),
        r.get("unit", ""),
        r.get("who", ""),
        r.get("phone", ""),
        r.get("content", ""),
        r["class_label"],
        r["category_label"],
        r["channel_label"],
        r["state_label"],
        r["on_time_label"],
        _("Yes") if r.get("carried") else "",
    ]


def summary_workbook(summary: MonthlySummary) -> Workbook:
    view = summary_view_data(summary)
    title = _summary_title(summary)
    state = summary.get_state_display()
    if summary.approved_at:
        state = f"{state} {summary.approved_by} {summary.approved_at:%Y-%m-%d}"
    subtitle = f"{summary.department} · {summary.month:%Y-%m} · {state}"
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


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_export(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    filename = f"{_('Monthly complaint summary')}-{summary.month:%Y-%m}-{summary.department}.xlsx"
    return xlsx_response(summary_workbook(summary), filename)


# ---------------------------------------------------------------------------------------------
# C15 quarterly analyses


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.analysis_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/analysis_list.html",
        {"page_obj": page, "analyses": page.object_list, "qs": ""},
    )


def _analysis_page(request: HttpRequest, analysis: QuarterlyAnalysis, form=None, status: int = 200) -> HttpResponse:
    can = analysis.state == "draft" and sel.may_analyse(request.user)
    return render(
        request,
        "complaints/analysis_detail.html",
        {
            "analysis": analysis,
            "view": analysis_view_data(analysis),
            "deadlines": _deadlines(analysis),
            "can_publish": can,
            "publish_form": form or PublishAnalysisForm(initial={"conclusions": analysis.conclusions}),
        },
        status=status,
    )


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_detail(request: HttpRequest, analysis_id: int) -> HttpResponse:
    return _analysis_page(request, sel.analysis_for_user(request.user, analysis_id))


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_refresh(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    try:
        report_services.quarterly_analysis_refresh(analysis=analysis, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The figures were recomputed."))
    return redirect(analysis.get_absolute_url())


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_publish(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    form = PublishAnalysisForm(request.POST)
    if not form.is_valid():
        return _analysis_page(request, analysis, form=form, status=400)
    try:
        report_services.quarterly_analysis_publish(
            analysis=analysis, by=request.user, conclusions=form.cleaned_data["conclusions"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The analysis is published."))
    return redirect(analysis.get_absolute_url())


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_print(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    return render(
        request, "complaints/analysis_print.html", {"analysis": analysis, "view": analysis_view_data(analysis)}
    )


def analysis_workbook(analysis: QuarterlyAnalysis) -> Workbook:
    view = analysis_view_data(analysis)
    title = _("Quarterly complaint analysis %(quarter)s") % {"quarter": analysis.label}
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
        rows=[[f"{t['month_date']:%Y-%m}", t["total"], *t["cells"], t["unclassified"]] for t in view["trend"]],
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
        rows=[[p["label"], p["count"], p["percent"], p["cumulative"]] for p in view["pareto"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Response times"),
        columns=[Column(_("Time to first response"), 24), Column(_("Count"), 10)],
        rows=[[b["label"], b["count"]] for b in view["response_times"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Repeat complaints"),
        columns=[Column(_("Management office"), 16), Column(_("Unit"), 24, "text"), Column(_("Count"), 10)],
        rows=[[r["office"], r["unit"], r["count"]] for r in view["repeats"]],
    )
    add_form_sheet(
        wb,
        title=title,
        form_code="C15",
        subtitle=subtitle,
        sheet_title=_("Offices and departments"),
        columns=[Column(_("Management office"), 16), Column(_("Department"), 20), Column(_("Count"), 10)],
        rows=[[o["office"], "", o["total"]] for o in view["by_office"]]
        + [[d["office"], d["department"] or _("No department yet"), d["total"]] for d in view["by_department"]],
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


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_export(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    filename = f"{_('Quarterly complaint analysis')}-{analysis.label}.xlsx".replace(" ", "-")
    return xlsx_response(analysis_workbook(analysis), filename)


# ---------------------------------------------------------------------------------------------
# C15 published complaints


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def published_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.publications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/published_list.html",
        {"page_obj": page, "publications": page.object_list, "qs": ""},
    )


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def complaint_publish(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = complaint_for_user(request.user, complaint_id)
    form = PublishComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is published, and write a title and a short text."))
        return redirect(complaint.get_absolute_url())
    try:
        report_services.complaint_publish(complaint=complaint, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Published to every staff member."))
    return redirect(complaint.get_absolute_url())
