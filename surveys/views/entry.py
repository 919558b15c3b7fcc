"""S7: paper forms keyed from the keyboard alone (tab through items, number keys 1-5 for the levels,
Enter saves and opens the next unit), phone answers (proxy), and the optional double entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import forms, selectors, services
from ..models import Collection, Response
from .common import error_text

ENTRY_CHANNELS = [(c.value, c.label) for c in (Collection.STAFF, Collection.GUARD, Collection.MAIL, Collection.PHONE)]


@require_GET
@login_required
def entry_next(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    su = selectors.next_to_key(r)
    if su is None:
        messages.info(request, _("Every form of the sample has been keyed."))
        return redirect(r.get_absolute_url())
    return redirect("surveys:entry", round_id=r.pk, sample_id=su.pk)


@require_http_methods(["GET", "POST"])
@login_required
def entry(request: HttpRequest, round_id: int, sample_id: int) -> HttpResponse:
    su = selectors.sample_unit_for_user(request.user, round_id, sample_id)
    r = su.round
    questions = list(r.questionnaire.questions.all())
    response = Response.objects.filter(sample_unit=su).first()
    channel = request.POST.get("channel") or request.session.get("survey_entry_channel") or Collection.STAFF
    form = forms.AnswerForm(
        request.POST or None,
        questions=questions,
        digits=True,
        channels=ENTRY_CHANNELS,
        initial={"channel": channel},
    )
    if request.method == "POST" and response is None and form.is_valid():
        try:
            services.response_enter(
                sample_unit=su,
                by=request.user,
                channel=form.cleaned_data["channel"],
                levels=form.levels(),
                comments=form.comments(),
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            request.session["survey_entry_channel"] = form.cleaned_data["channel"]
            messages.success(request, _("Form of %(unit)s saved.") % {"unit": su.unit.number})
            nxt = selectors.next_to_key(r, after=su)
            if nxt is None:
                messages.info(request, _("Every form of the sample has been keyed."))
                return redirect(r.get_absolute_url())
            return redirect("surveys:entry", round_id=r.pk, sample_id=nxt.pk)
    answers = {}
    if response is not None:
        answers = {a.question_id: a for a in response.answers.all()}
    return render(
        request,
        "surveys/entry.html",
        {
            "round": r,
            "su": su,
            "form": form,
            "response": response,
            "answers": answers,
            "differences": selectors.entry_differences(su) if su.second_entry else [],
            "second_url": reverse("surveys:entry_second", args=[r.pk, su.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def entry_second(request: HttpRequest, round_id: int, sample_id: int) -> HttpResponse:
    """Double entry: another user keys the same paper form; differences show on the entry page."""
    su = selectors.sample_unit_for_user(request.user, round_id, sample_id)
    questions = [q for q in su.round.questionnaire.questions.all() if q.kind == "item"]
    form = forms.AnswerForm(request.POST or None, questions=questions, digits=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_entry_save(sample_unit=su, by=request.user, levels=form.levels())
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("Second entry saved."))
            return redirect("surveys:entry", round_id=su.round_id, sample_id=su.pk)
    return render(request, "surveys/entry_second.html", {"round": su.round, "su": su, "form": form})


@require_http_methods(["POST"])
@login_required
def entry_correct(request: HttpRequest, round_id: int, sample_id: int) -> HttpResponse:
    """Take the second entry's level for one differing item."""
    su = selectors.sample_unit_for_user(request.user, round_id, sample_id)
    response = Response.objects.filter(sample_unit=su).first()
    question = su.round.questionnaire.questions.filter(pk=request.POST.get("question") or 0).first()
    level = request.POST.get("level") or ""
    if response is None or question is None:
        messages.error(request, _("Nothing to correct."))
    else:
        try:
            services.answer_correct(
                response=response, by=request.user, question=question, level=int(level) if level.isdigit() else None
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("surveys:entry", round_id=su.round_id, sample_id=su.pk)
