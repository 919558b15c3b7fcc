"""Forms: they normalise input; the services decide (STYLE.md 10)."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import Form, ModelForm
from estates.models import Office

from . import figures
from .models import Item, Outcome, PeriodKind, ServiceKind, ServiceOffering

_D_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
_YES_NO = [("", "—"), ("1", _("Yes")), ("0", _("No"))]
_SCORES = [(n, str(n)) for n in range(5, 0, -1)]
EARLIEST = datetime.date(2000, 1, 1)


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class _Token(Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())


class MonthField(forms.DateField):
    """A month as <input type=month> (YYYY-MM), cleaned to its first day, within sensible years."""

    widget = _MONTH_INPUT

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is None:
            return None
        if not EARLIEST <= day <= timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Choose a month between 2000 and next year."))
        return day.replace(day=1)


class MonthForm(Form):
    month = MonthField(label=_("Month"), required=False)
    office = forms.ModelChoiceField(queryset=Office.objects.none(), required=False, label=_("Office"))

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices


# ---------------------------------------------------------------------------------------------
# Checks


class ItemScoreForm(Form):
    item = forms.ModelChoiceField(queryset=Item.objects.none(), widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Outcome"), widget=forms.RadioSelect)
    deduction = forms.DecimalField(
        label=_("Points deducted"), required=False, min_value=0, max_digits=5, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class FindingForm(_Token):
    item = forms.ModelChoiceField(queryset=Item.objects.none(), required=False, label=_("Check item"))
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=None, required=False, label=_("Owner of the corrective action"))
    due_on = forms.DateField(label=_("Corrective action due"), widget=_D_INPUT, required=False)

    def __init__(self, *args, items, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["owner"].queryset = owners

    def clean_due_on(self):
        return _due_ok(self.cleaned_data["due_on"])


class PromiseForm(Form):
    offering = forms.ModelChoiceField(queryset=ServiceOffering.objects.none(), label=_("Service promise"))
    kept = forms.TypedChoiceField(
        choices=[("1", _("Kept")), ("0", _("Not kept"))], coerce=lambda v: v == "1", label=_("Result")
    )
    note = forms.CharField(label=_("How it was checked"), required=False)

    def __init__(self, *args, offerings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings


class SignForm(Form):
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------------------------------------
# Standards


class ItemForm(Form):
    section_id = forms.IntegerField(widget=forms.HiddenInput)
    item_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("What is checked"), max_length=300)
    criteria = forms.CharField(
        label=_("What counts as a pass"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(label=_("Points"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    red_line = forms.BooleanField(label=_("Red line"), required=False)
    figure_key = forms.ChoiceField(label=_("Figure"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure_key"].choices = [("", "—"), *figures.figure_choices()]


class SectionForm(Form):
    section_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Section"), max_length=100)
    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_value=100, max_digits=5, decimal_places=2)


class StandardForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)


class PassMarkForm(Form):
    pass_mark = forms.DecimalField(label=_("Pass mark"), min_value=0, max_value=100, max_digits=5, decimal_places=2)


# ---------------------------------------------------------------------------------------------
# Call-backs


class DrawForm(Form):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Office"))
    month = MonthField(label=_("Month"))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class CallbackForm(Form):
    reached = forms.TypedChoiceField(
        choices=[("1", _("Reached")), ("0", _("Not reached"))], coerce=lambda v: v == "1", label=_("Reached")
    )
    handled = forms.TypedChoiceField(choices=_YES_NO, coerce=_yes_no, required=False, label=_("Really handled"))
    satisfied = forms.TypedChoiceField(choices=_YES_NO, coerce=_yes_no, required=False, label=_("Satisfied"))
    note = forms.CharField(label=_("Notes"), required=False)
    on_failure = forms.ChoiceField(
        choices=[("finding", _("Record a finding")), ("reopen", _("Reopen the item"))],
        initial="finding",
        required=False,
        label=_("If it failed"),
    )


# ---------------------------------------------------------------------------------------------
# Repairs (Q4) and services (Q5)


class RepairForm(_Token):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Office"))
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=80, help_text=_("Building and unit number, e.g. 3栋-1202")
    )
    what = forms.CharField(label=_("What was repaired"), max_length=200)
    repairer = forms.CharField(label=_("Repairer"), max_length=50)
    done_on = forms.DateField(label=_("Done on"), widget=_D_INPUT)

    def __init__(self, *args, offices, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.units = units
        ids = list(offices.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            self.fields["office"].initial = ids[0]
        if not self.is_bound:
            self.initial.setdefault("done_on", timezone.localdate())

    def clean(self):
        data = super().clean()
        label = (data.get("unit") or "").strip()
        office = data.get("office")
        data["unit"] = None
        if label and office is not None:
            building, _sep, number = label.replace("－", "-").rpartition("-")
            found = list(
                self.units.filter(
                    building__community__office=office, building__name=building.strip(), number=number.strip()
                )[:2]
            )
            if len(found) != 1:
                self.add_error(
                    "unit", _("No single unit of this office matches; write building-number, e.g. 3栋-1202.")
                )
            else:
                data["unit"] = found[0]
        return data

    def clean_done_on(self):
        done = self.cleaned_data["done_on"]
        if not timezone.localdate() - datetime.timedelta(days=366) <= done <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day within the last year."))
        return done


class VisitForm(Form):
    reached = forms.TypedChoiceField(
        choices=[("1", _("Reached")), ("0", _("Not reached"))], coerce=lambda v: v == "1", label=_("Reached")
    )
    attitude = forms.TypedChoiceField(choices=_SCORES, coerce=int, required=False, label=_("Attitude"))
    punctuality = forms.TypedChoiceField(choices=_SCORES, coerce=int, required=False, label=_("Punctuality"))
    quality = forms.TypedChoiceField(choices=_SCORES, coerce=int, required=False, label=_("Quality"))
    note = forms.CharField(label=_("What the resident said"), required=False)


class OfferingForm(ModelForm):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Office"))

    class Meta:
        model = ServiceOffering
        fields = ["office", "kind", "name", "price", "price_unit", "promise", "active", "order"]

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["kind"].choices = ServiceKind.choices
        if self.instance.pk:
            self.fields["office"].disabled = True


# ---------------------------------------------------------------------------------------------
# Corrective actions of findings (feedback.CorrectiveAction)


def _due_ok(due):
    today = timezone.localdate()
    if due is not None and not today <= due <= today + datetime.timedelta(days=366):
        raise forms.ValidationError(_("Choose a due date from today to a year ahead."))
    return due


class ActionSetForm(Form):
    owner = forms.ModelChoiceField(queryset=None, label=_("Owner of the corrective action"))
    due_on = forms.DateField(label=_("Corrective action due"), widget=_D_INPUT)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_due_on(self):
        return _due_ok(self.cleaned_data["due_on"])


class ActionDoneForm(Form):
    done_note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionVerifyForm(Form):
    effectiveness = forms.CharField(label=_("Effectiveness check"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionSendBackForm(Form):
    reason = forms.CharField(label=_("Why it is sent back"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("New due date"), widget=_D_INPUT, required=False)

    def clean_due_on(self):
        return _due_ok(self.cleaned_data["due_on"])
