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
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from clock.models import Deadline
from clock.selectors import subject_deadlines
from common.views import run_service
from common.xlsx import xlsx_response

from .. import rules
from ..models import MonthlySummary, QuarterlyAnalysis
from ..redaction import complainant_data, redact
from ..selectors import complaint_for_user
from . import quarterly, services
from . import selectors as sel
from .forms import ApproveForm, PublishAnalysisForm, PublishComplaintForm
from .presenters import analysis_view_data, summary_page_data, summary_view_data
from .workbooks import analysis_workbook, summary_workbook

PAGE_SIZE = 25
VIEW = "complaints.view_complaint"


def _deadlines(subject) -> list[Deadline]:
    return list(subject_deadlines(subject).order_by("opened_at", "pk"))


@dataclass(frozen=True)
class ReportKind:
    """Everything the pages need to know about one kind of report."""

    name: str  # the context name of the object in its templates ("summary", "analysis")
    lookup: Callable[[Any, Any], Model]  # (user, pk) -> the report, Http404 outside what the user may see
    view_data: Callable[[Any, Any], dict[str, Any]]  # (report, reader): personal data through the reader's scope
    workbook: Callable[[Any, Any], Workbook]
    filename: Callable[[Any], str]
    context: Callable[[HttpRequest, Any, Any], dict[str, Any]]  # (request, report, bound form) -> the page's own
    refresh: Callable[[Any, Any], Any]  # (report, user): recompute a draft's figures
    decide_form: type  # the form of the person who decides (the manager approves, QA publishes)
    decide: Callable[[Any, Any, dict[str, Any]], Any]  # (report, user, cleaned data)
    decided: Callable[[], str]  # the success message
    # (report, reader, request.GET) -> what its page shows (paged where the report has long lists)
    page_data: Callable[[Any, Any, Any], dict[str, Any]] | None = None


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
    refresh=lambda s, by: services.monthly_summary_refresh(summary=s, by=by),
    decide_form=ApproveForm,
    decide=lambda s, by, data: services.monthly_summary_approve(summary=s, by=by, note=data["note"]),
    decided=lambda: _("Approved and published; copied to QA."),
    page_data=lambda s, reader, params: summary_page_data(
        s, reader, after=params.get("after"), c9_after=params.get("c9_after")
    ),
)
ANALYSIS = ReportKind(
    name="analysis",
    lookup=sel.analysis_for_user,
    view_data=analysis_view_data,
    workbook=analysis_workbook,
    filename=lambda a: f"{_('Quarterly complaint analysis')}-{a.label}.xlsx".replace(" ", "-"),
    context=_analysis_context,
    refresh=lambda a, by: quarterly.quarterly_analysis_refresh(analysis=a, by=by),
    decide_form=PublishAnalysisForm,
    decide=lambda a, by, data: quarterly.quarterly_analysis_publish(analysis=a, by=by, conclusions=data["conclusions"]),
    decided=lambda: _("The analysis is published."),
)
REPORT_KINDS = {kind.name: kind for kind in (SUMMARY, ANALYSIS)}


def _page(request: HttpRequest, kind: ReportKind, report, form=None, status: int = 200) -> HttpResponse:
    if kind.page_data is not None:
        view = kind.page_data(report, request.user, request.GET)
    else:
        view = kind.view_data(report, request.user)
    context = {kind.name: report, "view": view, "deadlines": _deadlines(report)}
    context.update(kind.context(request, report, form))
    return render(request, f"complaints/{kind.name}_detail.html", context, status=status)


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
    return render(
        request, f"complaints/{k.name}_print.html", {k.name: report, "view": k.view_data(report, request.user)}
    )


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def report_export(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    k = REPORT_KINDS[kind]
    report_id = ids[f"{kind}_id"]  # summary_id, analysis_id: the URL names the object it takes
    report = k.lookup(request.user, report_id)
    return xlsx_response(k.workbook(report, request.user), k.filename(report))


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def report_refresh(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    k = REPORT_KINDS[kind]
    report = k.lookup(request.user, ids[f"{kind}_id"])
    run_service(request, lambda: k.refresh(report, request.user), success=_("The figures were recomputed."))
    return redirect(report.get_absolute_url())


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def report_decide(request: HttpRequest, kind: str, **ids: int) -> HttpResponse:
    """C14: the manager approves a summary; C15: QA publishes an analysis (with its conclusions)."""
    k = REPORT_KINDS[kind]
    report = k.lookup(request.user, ids[f"{kind}_id"])
    form = k.decide_form(request.POST)
    if not form.is_valid():
        return _page(request, k, report, form=form, status=400)
    run_service(request, lambda: k.decide(report, request.user, form.cleaned_data), success=k.decided())
    return redirect(report.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# Lists: C14 summaries, C15 analyses, C15 published complaints


def _list_view(selector: Callable[[Any], Any], template: str, name: str) -> Callable[[HttpRequest], HttpResponse]:
    @require_GET
    @login_required
    @permission_required(VIEW, raise_exception=True)
    def view(request: HttpRequest) -> HttpResponse:
        page = Paginator(selector(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, f"complaints/{template}", {"page_obj": page, name: page.object_list, "qs": ""})

    view.__name__ = view.__qualname__ = template.removesuffix(".html")
    return view


summary_list = _list_view(sel.summary_list, "summary_list.html", "summaries")
analysis_list = _list_view(sel.analysis_list, "analysis_list.html", "analyses")
published_list = _list_view(sel.publications_for, "published_list.html", "publications")


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW, raise_exception=True)
def complaint_publish(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """C15 publish now, issue 9: the form starts from the complaint's text with the complainant's name,
    phone and unit taken out; "Preview" shows exactly what will be published; "Publish" publishes only
    what was previewed (text the publisher typed with personal data in it is redacted and shown again)."""
    complaint = complaint_for_user(request.user, complaint_id)
    if not sel.may_analyse(request.user):
        raise PermissionDenied
    known = complainant_data(complaint)
    if request.method == "GET":
        initial = {
            "reason": "important" if complaint.important else "representative",
            "title": redact(complaint.get_category_display() or complaint.get_kind_display(), **known),
            "text": redact(complaint.content, **known),
        }
        form = PublishComplaintForm(initial=initial)
        preview = initial
    else:
        form = PublishComplaintForm(request.POST)
        if not form.is_valid():
            return _publish_page(request, complaint, form, None, status=400)
        data = form.cleaned_data
        preview = {**data, "title": redact(data["title"], **known), "text": redact(data["text"], **known)}
        changed = preview["title"] != data["title"] or preview["text"] != data["text"]
        if "publish" in request.POST and not changed:
            ok = run_service(
                request,
                lambda: quarterly.complaint_publish(complaint=complaint, by=request.user, **data),
                success=_("Published to every staff member."),
            )
            if ok:
                return redirect(complaint.get_absolute_url())
        if changed:
            messages.warning(request, _("Personal data was taken out. Check the preview, then publish."))
        form = PublishComplaintForm(initial=preview)
    return _publish_page(request, complaint, form, preview)


def _publish_page(request: HttpRequest, complaint, form, preview, status: int = 200) -> HttpResponse:
    return render(
        request, "complaints/publish.html", {"complaint": complaint, "form": form, "preview": preview}, status=status
    )
