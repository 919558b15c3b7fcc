"""F4: QA designs the company's questionnaires; a version in use is frozen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, selectors, services
from ..models import Question, Questionnaire
from .common import error_text, run


@require_GET
@login_required
@permission_required("surveys.manage_questionnaires", raise_exception=True)
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    if request.user.company_id:
        services.default_questionnaire(request.user.company)
    items = Questionnaire.objects.filter(company_id=request.user.company_id).order_by("family", "-version")[:100]
    return render(request, "surveys/questionnaire_list.html", {"questionnaires": items})


@require_GET
@login_required
@permission_required("surveys.manage_questionnaires", raise_exception=True)
def questionnaire_detail(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = selectors.questionnaire_for_user(request.user, questionnaire_id)
    questions = [
        (item, forms.QuestionForm(initial={"text": item.text, "department_kind": item.department_kind}))
        for item in q.questions.all()
    ]
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {"questionnaire": q, "questions": questions, "new_form": forms.NewQuestionForm()},
    )


@require_POST
@login_required
@permission_required("surveys.manage_questionnaires", raise_exception=True)
def questionnaire_action(request: HttpRequest, questionnaire_id: int, action: str) -> HttpResponse:
    q = selectors.questionnaire_for_user(request.user, questionnaire_id)
    if action == "new_version":
        try:
            copy = services.questionnaire_new_version(questionnaire=q, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("New version made."))
            return redirect("surveys:questionnaire", questionnaire_id=copy.pk)
    elif action == "make_default":
        run(
            request,
            services.questionnaire_make_default,
            success=_("Default questionnaire set."),
            questionnaire=q,
            by=request.user,
        )
    elif action == "add":
        form = forms.NewQuestionForm(request.POST)
        if form.is_valid():
            run(
                request,
                services.question_add,
                success=_("Question added."),
                questionnaire=q,
                by=request.user,
                **form.cleaned_data,
            )
        else:
            messages.error(request, _("Fill in the question's code and text."))
    elif action == "edit":
        question = Question.objects.filter(questionnaire=q, pk=request.POST.get("question") or 0).first()
        form = forms.QuestionForm(request.POST)
        if question is not None and form.is_valid():
            run(
                request,
                services.question_save,
                success=_("Question saved."),
                question=question,
                by=request.user,
                **form.cleaned_data,
            )
    return redirect("surveys:questionnaire", questionnaire_id=q.pk)
