"""Forms: they normalise input; the services decide (STYLE.md 10)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import Form, ModelForm
from estates.models import Community, DepartmentKind

from .models import Channel, Collection, Questionnaire, ReturnVisit, SurveyRound
from .rules import Level

_TEXT = forms.Textarea(attrs={"rows": 2})


class RoundForm(ModelForm):
    """The plan JL/WI-KF-019/001 (S1)."""

    community = forms.ModelChoiceField(queryset=Community.objects.none(), label=_("Community"))
    questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(), label=_("Questionnaire"), required=False
    )

    class Meta:
        model = SurveyRound
        fields = ["community", "year", "half", "questionnaire", "purpose", "targets", "content", "scope", "schedule"]
        fields += ["requirements"]
        widgets = dict.fromkeys(("purpose", "targets", "content", "scope", "schedule", "requirements"), _TEXT)

    def __init__(self, *args, communities, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["questionnaire"].queryset = questionnaires
        self.fields["questionnaire"].help_text = _("Empty: the company's default questionnaire.")
        year = timezone.localdate().year
        self.fields["year"] = forms.IntegerField(label=_("Year"), min_value=year - 1, max_value=year + 1, initial=year)
        self.fields["half"].initial = 1 if timezone.localdate().month <= 6 else 2


class PlanForm(ModelForm):
    class Meta:
        model = SurveyRound
        fields = ["purpose", "targets", "content", "scope", "schedule", "requirements"]
        widgets = dict.fromkeys(fields, _TEXT)


class NoteForm(Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=_TEXT)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False, widget=_TEXT)


class HandoutForm(Form):
    channel = forms.ChoiceField(label=_("Hand-out channel"), choices=Channel.choices)


class CollectForm(Form):
    channel = forms.ChoiceField(
        label=_("Came back"),
        choices=[(c.value, c.label) for c in (Collection.STAFF, Collection.GUARD, Collection.MAIL)],
    )


class SwapForm(Form):
    replacement = forms.IntegerField(label=_("Replacement unit"))
    reason = forms.CharField(label=_("Reason for the swap"), max_length=200)


class CheckForm(Form):
    note = forms.CharField(label=_("What the resident said"), max_length=200)


def level_field(label: str, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—")] + [(str(v), lbl) for v, lbl in Level.choices],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


class AnswerForm(Form):
    """A questionnaire's answers: a level per item, a comment per item, a text per open question.
    Field names are q<id> and c<id>."""

    def __init__(self, *args, questions, digits: bool = False, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        if channels:
            self.fields["channel"] = forms.ChoiceField(label=_("Came back"), choices=channels)
        for q in self.questions:
            if q.kind == "item":
                if digits:
                    # Paper entry: one key per item (1-5, empty for blank), for keyboard-only work.
                    self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                        label=q.text,
                        choices=[("", "")] + [(str(v), str(v)) for v in Level.values],
                        coerce=int,
                        empty_value=None,
                        required=False,
                        widget=forms.TextInput(
                            attrs={"maxlength": 1, "inputmode": "numeric", "pattern": "[1-5]?", "data-level": "1"}
                        ),
                    )
                else:
                    self.fields[f"q{q.pk}"] = level_field(q.text)
                self.fields[f"c{q.pk}"] = forms.CharField(
                    label=_("Comment"), required=False, max_length=1000, widget=forms.TextInput()
                )
            else:
                self.fields[f"c{q.pk}"] = forms.CharField(
                    label=q.text, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
                )

    def levels(self) -> dict[int, int | None]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions if q.kind == "item"}

    def comments(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"c{q.pk}") or "" for q in self.questions}

    def rows(self):
        """(question, level field, comment field) for the template."""
        for q in self.questions:
            yield q, self[f"q{q.pk}"] if q.kind == "item" else None, self[f"c{q.pk}"]


class LetterForm(Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Letter"), widget=forms.Textarea(attrs={"rows": 10}))
    promises = forms.CharField(
        label=_("Promises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One promise per line; QA verifies each one (Q3)."),
    )


class ForwardForm(Form):
    summary = forms.CharField(label=_("Compiled issues"), widget=forms.Textarea(attrs={"rows": 5}))


class ReturnVisitForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReturnVisit.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class QuestionForm(Form):
    text = forms.CharField(label=_("Text"), max_length=200)
    department_kind = forms.ChoiceField(
        label=_("Responsible department"), choices=[("", "—")] + list(DepartmentKind.choices), required=False
    )


class NewQuestionForm(QuestionForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("item", _("Satisfaction item")), ("open", _("Open question"))])


class PeriodForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Half year"), choices=[(1, _("First half")), (2, _("Second half"))], coerce=int
    )
