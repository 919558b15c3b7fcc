"""Forms: they normalise input; the services decide (STYLE.md 10)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import Form, lean_fields
from estates.models import Department, Office, Resident, User

from . import rules
from .models import Category, Channel, Kind, ResponseHow
from .selectors import SORTS, handlers_for

_DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_D_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntakeForm(Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Management office"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"), initial=Channel.PHONE)
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Kind"), initial=Kind.COMPLAINT)
    resident_query = forms.CharField(
        label=_("Find the resident"),
        required=False,
        help_text=_("Type a unit number, a name or a phone number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-resident-search": "1"}),
    )
    resident = forms.ModelChoiceField(queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("Name (if not found)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone (if not found)"), max_length=30, required=False)
    content = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 4}))
    received_at = forms.DateTimeField(label=_("Received at"), widget=_DT_INPUT, input_formats=["%Y-%m-%dT%H:%M"])
    date_windows = {"received_at": rules.RECEIVED_WINDOW}
    late_entry_reason = forms.CharField(
        label=_("Why it is entered only now"),
        required=False,
        max_length=500,
        help_text=_("Only for a complaint received more than 3 days ago; its deadlines then run from now."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Issue 9: shown when the same resident and text were logged a few minutes ago.
    confirm_duplicate = forms.BooleanField(
        required=False, label=_("It is a new complaint: log it anyway"), widget=forms.CheckboxInput
    )

    def _check_resident_office(self, data) -> None:
        resident, office = data.get("resident"), data.get("office")
        # Issue 9 item 7: QA picked an office, then a resident of another office — never file it
        # silently under the resident's office.
        if resident is not None and office is not None:
            home = resident.unit.building.community.office
            if home.pk != office.pk:
                self.add_error(
                    "office",
                    _("%(resident)s lives in %(home)s's area, not %(office)s's. Choose %(home)s or another resident.")
                    % {"resident": resident.name, "home": home.name, "office": office.name},
                )

    def __init__(self, *args, offices, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["resident"].queryset = residents.select_related("unit__building__community__office")
        ids = list(offices.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            self.fields["office"].initial = ids[0]
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        self._check_resident_office(cleaned)
        if "form_token" in self._errors:
            # The hidden double-submit token is missing or damaged (an old page, a stripped form): its
            # error would be invisible. Say so above the form and issue a fresh token with what was typed,
            # so the next send goes through (hardening issue, item 7).
            del self._errors["form_token"]
            self.add_error(
                None,
                _(
                    "This form was missing its one-time token (an old or damaged page). Nothing was saved: "
                    "check the details and send it again."
                ),
            )
            data = self.data.copy()
            data["form_token"] = str(uuid.uuid4())
            self.data = data
        return cleaned


class FilterForm(Form):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), required=False, label=_("Office"))
    complaint_class = forms.TypedChoiceField(
        choices=[("", _("Any class")), *rules.ComplaintClass.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Class"),
    )
    state = forms.ChoiceField(choices=[("", _("Any state")), *rules.State.choices], required=False, label=_("State"))
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    channel = forms.ChoiceField(choices=[("", _("Any channel")), *Channel.choices], required=False, label=_("Channel"))
    category = forms.ChoiceField(
        choices=[("", _("Any category")), *Category.choices], required=False, label=_("Category")
    )
    date_from = forms.DateField(required=False, label=_("From"), widget=_D_INPUT)
    date_to = forms.DateField(required=False, label=_("To"), widget=_D_INPUT)
    text = forms.CharField(required=False, max_length=100, label=_("Text"))
    sort = forms.ChoiceField(choices=[(k, k) for k in SORTS], required=False, widget=forms.HiddenInput, label=_("Sort"))
    # Issue 9: the unit page's "see all" link; kept across filter changes, shown above the list.
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput, label=_("Unit"))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        lean_fields(self)  # drawn on every list request: `lean_field`, not crispy (issue 10)


class ActionForm(Form):
    """The form of one action of the registry (rules.TRANSITIONS). Its fields are the service's keyword
    arguments; `version` is the complaint's version the page was rendered with (issue 8: the service
    refuses a stale page, so a second click or a second tab makes no second change)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, data=None, files=None, *, complaint, departments=None, **kwargs):
        initial = {"version": complaint.version, **self.initial_for(complaint), **kwargs.pop("initial", {})}
        super().__init__(data, files, initial=initial, **kwargs)
        self.setup(complaint, departments)

    def initial_for(self, complaint) -> dict:
        return {}

    def setup(self, complaint, departments) -> None:
        """Choices that depend on the complaint (its office's departments and staff)."""


class ClassifyForm(ActionForm):
    complaint_class = forms.TypedChoiceField(
        choices=rules.ComplaintClass.choices, coerce=int, widget=forms.RadioSelect, label=_("Class")
    )
    # Issue 9: no category is pre-selected; the classifier picks one.
    category = forms.ChoiceField(choices=[("", "—"), *Category.choices], label=_("Category"))
    important = forms.BooleanField(required=False, label=_("Important"))
    difficult = forms.BooleanField(required=False, label=_("Difficult"))

    def initial_for(self, complaint) -> dict:
        fields = ("complaint_class", "category", "important", "difficult")
        return {name: getattr(complaint, name) for name in fields}


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectContactForm(ActionForm):
    """Issue 9: the resident's (or the caller's) name and phone as they should be."""

    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def initial_for(self, complaint) -> dict:
        if complaint.resident_id:
            return {"name": complaint.resident.name, "phone": complaint.resident.phone}
        return {"name": complaint.contact_name, "phone": complaint.contact_phone}


class RespondForm(ActionForm):
    # C3, issue 9: a first response has content — how, and what the resident was told.
    how = forms.ChoiceField(choices=ResponseHow.choices, widget=forms.RadioSelect, label=_("Answered by"))
    note = forms.CharField(label=_("What the resident was told"), widget=forms.Textarea(attrs={"rows": 2}))


class HandlingForm(ActionForm):
    date_windows = {"due_at": rules.HANDLING_DUE_WINDOW}
    opinion = forms.CharField(label=_("Handling opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    handler = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Handler"))
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, label=_("Department"))
    due_at = forms.DateTimeField(
        required=False, label=_("Deadline"), widget=_DT_INPUT, input_formats=["%Y-%m-%dT%H:%M"]
    )

    def initial_for(self, complaint) -> dict:
        return {"handler": complaint.handler_id, "department": complaint.department_id}

    def setup(self, complaint, departments) -> None:
        self.fields["handler"].queryset = handlers_for(
            complaint.office_id, complaint.office.company_id, complaint.department_id
        )
        self.fields["department"].queryset = departments


class ForwardForm(ActionForm):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("Department"))
    note = forms.CharField(label=_("Note"), required=False)

    def setup(self, complaint, departments) -> None:
        self.fields["department"].queryset = departments


class MeasuresForm(ActionForm):
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))


class ResultForm(ActionForm):
    result = forms.CharField(label=_("Result told to the resident"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideReturnVisitForm(ActionForm):
    required = forms.TypedChoiceField(
        choices=[("1", _("Return visit required")), ("0", _("No return visit"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Return visit"),
    )
    note = forms.CharField(label=_("Note"), required=False)


class ReturnVisitForm(ActionForm):
    satisfied = forms.TypedChoiceField(
        choices=[("1", _("Satisfied")), ("0", _("Not satisfied"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        label=_("Resident"),
    )
    note = forms.CharField(label=_("Call outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InvalidForm(ActionForm):
    explanation = forms.CharField(
        label=_("Explanation given to the resident"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DeveloperForm(ActionForm):
    compensation_amount = forms.DecimalField(
        label=_("Compensation (yuan)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    developer_involved = forms.BooleanField(required=False, label=_("The loss involves the developer"))
    return_exchange_request = forms.BooleanField(required=False, label=_("Request to return or exchange the home"))
    sent_what = forms.CharField(label=_("What was sent"), widget=forms.Textarea(attrs={"rows": 2}))


class DeveloperAnswerForm(ActionForm):
    answer = forms.CharField(label=_("Developer's answer"), widget=forms.Textarea(attrs={"rows": 2}))


class EscalateForm(ActionForm):
    reason = forms.CharField(
        label=_("Why the departments could not resolve it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RecordF1Form(Form):
    """C5, WY8.3-G01-F1. The result told to the resident is not asked again (issue 9): it is typed once,
    at 告知住户结果 (Complaint.result), and the record shows it from there."""

    handling_notes = forms.CharField(label=_("Handling"), widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecordF2Form(Form):
    date_windows = {"written_report_sent_at": rules.REPORT_SENT_WINDOW}
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    location = forms.CharField(label=_("Location"), required=False)
    cause = forms.CharField(label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("Measures"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    wide_impact = forms.BooleanField(required=False, label=_("Wide impact"))
    written_report_sent_at = forms.DateTimeField(
        required=False,
        label=_("Written report to the customer service centre at"),
        widget=_DT_INPUT,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    copied_to_qa = forms.BooleanField(required=False, label=_("Copied to QA"))


class SpecialReportForm(Form):
    impact = forms.CharField(label=_("Impact"), widget=forms.Textarea(attrs={"rows": 2}))
    sent_to = forms.CharField(label=_("Sent to departments"), required=False)
    result = forms.CharField(label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish = forms.BooleanField(required=False, label=_("Publish the result"))
