"""S1-S4: the rounds list, drafting the plan, the round's page and its actions, the printable plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clock.selectors import subject_deadlines
from estates.models import Community, Role
from estates.scoping import scoped

from .. import forms, selectors, services
from ..models import Questionnaire, RoundState
from .common import error_text, page_querystring, run

PAGE_SIZE = 25


@require_GET
@login_required
@permission_required("surveys.view_surveyround", raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in RoundState.values else ""
    page = Paginator(selectors.round_list(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/round_list.html",
        {
            "rounds": page.object_list,
            "page_obj": page,
            "qs": page_querystring(request),
            "states": RoundState.choices,
            "state": state,
        },
    )


def _round_form(request, data=None):
    return forms.RoundForm(
        data,
        communities=scoped(Community.objects.select_related("office"), request.user),
        questionnaires=Questionnaire.objects.filter(company_id=request.user.company_id),
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("surveys.add_surveyround", raise_exception=True)
def round_create(request: HttpRequest) -> HttpResponse:
    form = _round_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.round_create(
                community=d["community"],
                by=request.user,
                year=d["year"],
                half=int(d["half"]),
                questionnaire=d["questionnaire"],
                **{f: d[f] for f in services.plans.PLAN_FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Survey plan drafted."))
            return redirect(r.get_absolute_url())
    return render(request, "surveys/round_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    form = forms.PlanForm(request.POST or None, instance=r)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update_plan(survey_round=r, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect(r.get_absolute_url())
    return render(request, "surveys/round_form.html", {"form": form, "round": r})


@require_GET
@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    size = services.required_size(r) if r.required_size is None and r.policy else None
    context = {
        "round": r,
        "size": size,
        "rates": selectors.return_rates(r) if r.drawn_at else None,
        "threshold": selectors.survey_settings(r.office.company).return_threshold,
        "deadlines": subject_deadlines(r),
        "letter": getattr(r, "letter", None) if hasattr(r, "letter") else None,
        "actions": [a for a in ACTIONS.values() if a.shown(r, request.user)],
        "note_form": forms.NoteForm(),
        "reason_form": forms.ReasonForm(),
        "forward_form": forms.ForwardForm(),
    }
    return render(request, "surveys/round_detail.html", context)


@require_GET
@login_required
def plan_print(request: HttpRequest, round_id: int) -> HttpResponse:
    """S1/S20: the plan as record JL/WI-KF-019/001, A4."""
    r = selectors.round_for_user(request.user, round_id)
    return render(request, "surveys/print_plan.html", {"round": r})


# ---------------------------------------------------------------------------------------------
# Actions on a round: one registry, read by the URLs, the round page and this view (STYLE.md 19)


class RoundAction:
    def __init__(self, key, label, service, *, states=(), when=None, arg=None, style="primary"):
        self.key, self.label, self.service, self.states = key, label, service, states
        self.when, self.arg, self.style = when, arg, style

    def shown(self, r, user) -> bool:
        return (not self.states or r.state in self.states) and (self.when is None or self.when(r, user))


def _mr(r, user):
    return user.role == Role.MGMT_REP


ACTIONS = {
    a.key: a
    for a in [
        RoundAction(
            "submit",
            gettext_lazy("Submit for review"),
            services.plan_submit,
            states=[RoundState.DRAFT],
            when=lambda r, u: u.pk == r.author_id,
        ),
        RoundAction(
            "review",
            gettext_lazy("Reviewed (office manager)"),
            services.plan_review,
            states=[RoundState.SUBMITTED],
            when=lambda r, u: u.role == Role.OFFICE_MANAGER,
        ),
        RoundAction(
            "approve",
            gettext_lazy("Approve for the company"),
            services.plan_approve,
            states=[RoundState.REVIEWED],
            when=lambda r, u: u.has_perm("surveys.approve_plan"),
        ),
        RoundAction(
            "return",
            gettext_lazy("Return to the author"),
            services.plan_return,
            states=[RoundState.SUBMITTED, RoundState.REVIEWED],
            when=lambda r, u: (
                u.role == Role.OFFICE_MANAGER if r.state == RoundState.SUBMITTED else u.has_perm("surveys.approve_plan")
            ),
            arg="note",
            style="outline-danger",
        ),
        RoundAction(
            "draw",
            gettext_lazy("Draw the sample"),
            services.sample_draw,
            states=[RoundState.APPROVED],
            when=lambda r, u: r.drawn_at is None,
        ),
        RoundAction(
            "forms_received",
            gettext_lazy("Forms received from QA"),
            services.forms_received,
            states=[RoundState.APPROVED],
            when=lambda r, u: r.drawn_at is not None,
        ),
        RoundAction(
            "handout_finish",
            gettext_lazy("Hand-out finished"),
            services.handout_finish,
            states=[RoundState.FIELDWORK],
            when=lambda r, u: r.handout_done_at is None,
        ),
        RoundAction(
            "close",
            gettext_lazy("Close collection"),
            services.collection_close,
            states=[RoundState.FIELDWORK],
            arg="reason",
            style="outline-primary",
        ),
        RoundAction(
            "statistics_done", gettext_lazy("Statistics done"), services.statistics_done, states=[RoundState.CLOSED]
        ),
        RoundAction(
            "waive_letter",
            gettext_lazy("No open letter needed"),
            services.letter_waive,
            when=lambda r, u: r.closed_at and not r.letter_posted_at and not r.letter_waived,
            arg="reason",
            style="outline-secondary",
        ),
        RoundAction(
            "send_to_qa",
            gettext_lazy("Send table and letter to QA"),
            services.send_to_qa,
            when=lambda r, u: r.statistics_at and (r.letter_posted_at or r.letter_waived) and not r.sent_to_qa_at,
        ),
        RoundAction(
            "qa_forward",
            gettext_lazy("Forward to the management representative"),
            services.qa_forward,
            when=lambda r, u: r.sent_to_qa_at and not r.qa_forwarded_at and u.role in (Role.QA_STAFF, Role.QA_MANAGER),
            arg="summary",
        ),
        RoundAction(
            "mr_review",
            gettext_lazy("Reviewed (management representative)"),
            services.mr_review,
            when=lambda r, u: r.qa_forwarded_at and not r.mr_reviewed_at and _mr(r, u),
        ),
        RoundAction(
            "post_results",
            gettext_lazy("Results posted on the notice board"),
            services.results_post,
            when=lambda r, u: r.statistics_at and not r.results_posted_at,
        ),
    ]
}


@require_POST
@login_required
@permission_required("surveys.view_surveyround", raise_exception=True)
def round_action(request: HttpRequest, round_id: int, action: str) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    kwargs = {"survey_round": r, "by": request.user}
    if spec.arg:
        kwargs[spec.arg] = request.POST.get(spec.arg, "")
    run(request, spec.service, success=_("Done: %(action)s.") % {"action": spec.label}, **kwargs)
    return redirect(r.get_absolute_url())
