"""S15-S18: the open letter and its promises (Q3), the return-visit queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import forms, selectors, services
from ..models import OpenLetter, OpenLetterPromise, ReturnVisit
from .common import error_text, page_querystring, run


@require_http_methods(["GET", "POST"])
@login_required
def letter(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    existing = OpenLetter.objects.filter(round=r).first()
    initial = {}
    if existing is not None:
        initial = {
            "title": existing.title,
            "body": existing.body,
            "promises": "\n".join(existing.promises.values_list("text", flat=True)),
        }
    else:
        initial = {"title": _("Open letter to residents")}
    form = forms.LetterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.letter_draft(
                survey_round=r, by=request.user, title=d["title"], body=d["body"], promises=d["promises"].splitlines()
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Open letter saved."))
            return redirect("surveys:letter", round_id=r.pk)
    pareto = selectors.round_statistics(r)["community"].pareto() if r.closed_at else []
    return render(
        request,
        "surveys/letter.html",
        {
            "round": r,
            "letter": existing,
            "form": form,
            "pareto": pareto,
            "promises": existing.promises.all() if existing else [],
            "note_form": forms.NoteForm(),
        },
    )


LETTER_ACTIONS = {
    "submit": (services.letter_submit, None, _("Submitted to the management representative.")),
    "approve": (services.letter_approve, None, _("Open letter approved.")),
    "return": (services.letter_return, "note", _("Open letter returned to its author.")),
    "post": (services.letter_post, None, _("Open letter posted.")),
}


@require_POST
@login_required
def letter_action(request: HttpRequest, round_id: int, action: str) -> HttpResponse:
    found = selectors.letter_for_user(request.user, round_id)
    if action not in LETTER_ACTIONS:
        raise Http404
    fn, arg, success = LETTER_ACTIONS[action]
    kwargs = {"letter": found, "by": request.user}
    if arg:
        kwargs[arg] = request.POST.get(arg, "")
    run(request, fn, success=str(success), **kwargs)
    return redirect("surveys:letter", round_id=round_id)


@require_GET
@login_required
def letter_print(request: HttpRequest, round_id: int) -> HttpResponse:
    found = selectors.letter_for_user(request.user, round_id)
    return render(request, "surveys/print_letter.html", {"letter": found, "round": found.round})


@require_POST
@login_required
def promise_update(request: HttpRequest, promise_id: int) -> HttpResponse:
    promise = selectors.promise_for_user(request.user, promise_id)
    state = request.POST.get("state", "")
    if state not in OpenLetterPromise.State.values:
        messages.error(request, _("The promise is not at this step."))
        return redirect("surveys:letter", round_id=promise.letter.round_id)
    run(
        request,
        services.promise_update,
        success=_("Promise updated."),
        promise=promise,
        by=request.user,
        state=state,
        note=request.POST.get("note", ""),
    )
    return redirect("surveys:letter", round_id=promise.letter.round_id)


@require_GET
@login_required
@permission_required("surveys.view_surveyround", raise_exception=True)
def return_visits(request: HttpRequest) -> HttpResponse:
    """S18: the residents customer service calls back about their dissatisfied items."""
    state = request.GET.get("state") or ReturnVisit.State.PENDING
    state = state if state in ReturnVisit.State.values else ReturnVisit.State.PENDING
    page = Paginator(selectors.return_visit_queue(request.user, state=state), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/return_visits.html",
        {
            "visits": page.object_list,
            "page_obj": page,
            "qs": page_querystring(request),
            "state": state,
            "states": ReturnVisit.State.choices,
            "form": forms.ReturnVisitForm(),
        },
    )


@require_POST
@login_required
def return_visit_record(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = selectors.return_visit_for_user(request.user, visit_id)
    form = forms.ReturnVisitForm(request.POST)
    if form.is_valid():
        run(
            request,
            services.return_visit_record,
            success=_("Return visit recorded."),
            visit=visit,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, _("Choose the outcome."))
    return redirect("surveys:return_visits")


@require_GET
@login_required
def promises(request: HttpRequest) -> HttpResponse:
    """Q3: every promise of the approved open letters in the user's offices, with its state."""
    state = request.GET.get("state", "")
    state = state if state in OpenLetterPromise.State.values else ""
    page = Paginator(selectors.open_letter_promises(request.user, state=state or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/promises.html",
        {
            "promises": page.object_list,
            "page_obj": page,
            "qs": page_querystring(request),
            "state": state,
            "states": OpenLetterPromise.State.choices,
        },
    )
