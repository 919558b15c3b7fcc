"""Pages of the summaries: C14 monthly summaries, C15 quarterly analyses, published complaints, their
print views and Excel workbooks. Views parse, call one service, render or redirect (STYLE.md 9);
every lookup goes through reports.selectors.*_for_user (404 outside what the user may see).

Each report kind (summary, analysis) is described once in REPORT_KINDS — its lookup, templates, what
the page shows, its workbook and file name — and one helper renders its page, print view and export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from clock.models import Deadline
from common.views import run_service
from common.xlsx import xlsx_response

from .. import rules
from ..models import MonthlySummary, QuarterlyAnalysis
from ..selectors import complaint_for_user
from . import selectors as sel
from . import services
from .forms import ApproveForm, PublishAnalysisForm, PublishComplaintForm
from .presenters import analysis_view_data, summary_view_data
from .workbooks import analysis_workbook, summary_workbook

PAGE_SIZE = 25
VIEW = "complaints.view_complaint"


def _deadlines(subject) -> list[Deadline]:
    ct = ContentType.objects.get_for_model(type(subject))
    return list(Deadline.objects.filter(subject_type=ct, subject_id=subject.pk).order_by("opened_at", "pk"))


@dataclass(frozen=True)
class ReportKind:
    """Everything the pages need to know about one kind of report."""

    name: str  # the context name of the object in its templates ("summary", "analysis")
    lookup: Callable[[Any, Any], Model]  # (user, pk) -> the report, Http404 outside what the user may see
    view_data: Callable[[Any], dict[str, Any]]
    workbook: Callable[[Any], Workbook]
    filename: Callable[[Any], str]
    context: Callable[[HttpRequest, Any, Any], dict[str, Any]]  # (request, report, bound form) -> the page's own


def _summary_context(request: HttpRequest, summary: MonthlySummary, form) -> dict[str, Any]:
    user = request.user
    return {
        "can_approve": summary.is_draft and sel.may_approve(user, summary),
        "can_refresh": summary.is_draft and sel.may_refresh(user, summary),
        "approve_form": form or ApproveForm(),
        "due": rules.summary_due(summary.month),
    }


def _analysis_context(request: HttpRequest, analysis: QuarterlyAnalysis, form) -> dict[str, Any]:
    return {
        "can_publish": analysis.is_draft and sel.may_analyse(request.user),
        "publish_form": form or PublishAnalysisForm(initial={"conclusions": analysis.conclusions}),
    }


SUMMARY = ReportKind(
    name="summary",
    lookup=sel.summary_for_user,
    view_data=summary_view_data,
    workbook=summary_workbook,
    filename=lambda s: f"{_('Monthly complaint summary')}-{s.month:%Y-%m}-{s.department.label}.xlsx",
    context=_summary_context,
)
ANALYSIS = ReportKind(
    name="analysis",
    lookup=sel.analysis_for_user,
    view_data=analysis_view_data,
    workbook=analysis_workbook,
    filename=lambda a: f"{_('Quarterly complaint analysis')}-{a.label}.xlsx".replace(" ", "-"),
    context=_analysis_context,
)
REPORT_KINDS = {kind.name: kind for kind in (SUMMARY, ANALYSIS)}


def _page(request: HttpRequest, kind: ReportKind, report, form=None, status: int = 200) -> HttpResponse:
    context = {kind.name: report, "view": kind.view_data(report), "deadlines": _deadlines(report)}
    context.update(kind.context(request, report, form))
    return render(request, f"complaints/{kind.name}_detail.html", context, status=status)


def _list(request: HttpRequest, queryset, template: str, name: str) -> HttpResponse:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, f"complaints/{template}", {"page_obj": page, name: page.object_list, "qs": ""})


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def report_detail(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    k = REPORT_KINDS[kind]
    report_id = ids[f"{kind}_id"]  # summary_id, analysis_id: the URL names the object it takes
    return _page(request, k, k.lookup(request.user, report_id))


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def report_print(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    k = REPORT_KINDS[kind]
    report_id = ids[f"{kind}_id"]  # summary_id, analysis_id: the URL names the object it takes
    report = k.lookup(request.user, report_id)
    return render(request, f"complaints/{k.name}_print.html", {k.name: report, "view": k.view_data(report)})


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def report_export(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    k = REPORT_KINDS[kind]
    report_id = ids[f"{kind}_id"]  # summary_id, analysis_id: the URL names the object it takes
    report = k.lookup(request.user, report_id)
    return xlsx_response(k.workbook(report), k.filename(report))


# ---------------------------------------------------------------------------------------------
# C14 monthly summaries


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_list(request: HttpRequest) -> HttpResponse:
    return _list(request, sel.summary_list(request.user), "summary_list.html", "summaries")


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_refresh(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    run_service(
        request,
        lambda: services.monthly_summary_refresh(summary=summary, by=request.user),
        success=_("The figures were recomputed."),
    )
    return redirect(summary.get_absolute_url())


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def summary_approve(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = sel.summary_for_user(request.user, summary_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _page(request, SUMMARY, summary, form=form, status=400)
    run_service(
        request,
        lambda: services.monthly_summary_approve(summary=summary, by=request.user, note=form.cleaned_data["note"]),
        success=_("Approved and published; copied to QA."),
    )
    return redirect(summary.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# C15 quarterly analyses


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_list(request: HttpRequest) -> HttpResponse:
    return _list(request, sel.analysis_list(request.user), "analysis_list.html", "analyses")


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_refresh(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    run_service(
        request,
        lambda: services.quarterly_analysis_refresh(analysis=analysis, by=request.user),
        success=_("The figures were recomputed."),
    )
    return redirect(analysis.get_absolute_url())


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def analysis_publish(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = sel.analysis_for_user(request.user, analysis_id)
    form = PublishAnalysisForm(request.POST)
    if not form.is_valid():
        return _page(request, ANALYSIS, analysis, form=form, status=400)
    run_service(
        request,
        lambda: services.quarterly_analysis_publish(
            analysis=analysis, by=request.user, conclusions=form.cleaned_data["conclusions"]
        ),
        success=_("The analysis is published."),
    )
    return redirect(analysis.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# C15 published complaints


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def published_list(request: HttpRequest) -> HttpResponse:
    return _list(request, sel.publications_for(request.user), "published_list.html", "publications")


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def complaint_publish(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = complaint_for_user(request.user, complaint_id)
    form = PublishComplaintForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why it is published, and write a title and a short text."))
        return redirect(complaint.get_absolute_url())
    run_service(
        request,
        lambda: services.complaint_publish(complaint=complaint, by=request.user, **form.cleaned_data),
        success=_("Published to every staff member."),
    )
    return redirect(complaint.get_absolute_url())
