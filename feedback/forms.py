"""Forms: they normalise input; the services decide (STYLE.md 10)."""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import Form, lean_fields
from estates.models import Building, Community, Department, Office, Resident, User

from .models import OutreachKind, StateLabel
from .rules import Channel, Kind, State

_DT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_D_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _date_range(field: forms.DateField) -> None:
    """Dates the browser offers: from 2000 to a year ahead (a typo like 20266 is refused)."""
    field.widget.attrs.update({"min": "2000-01-01", "max": f"{timezone.localdate().year + 1}-12-31"})


def _check_date(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not (
        datetime.date(2000, 1, 1) <= value <= timezone.localdate() + datetime.timedelta(days=366)
    ):
        raise forms.ValidationError(_("Enter a date between 2000 and a year from now."))
    return value


class EntryForm(Form):
    """The one front door (F1): every kind of contact, by every channel."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Management office"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"), initial=Channel.PHONE)
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Kind"), initial=Kind.OPINION)
    category = forms.ChoiceField(required=False, label=_("Category"))
    resident_query = forms.CharField(
        label=_("Find the resident"),
        required=False,
        help_text=_("Type a unit number, a name or a phone number; leave empty if unknown."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-resident-search": "1"}),
    )
    resident = forms.ModelChoiceField(queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("Name (if not found)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone (if not found)"), max_length=30, required=False)
    content = forms.CharField(
        label=pgettext_lazy("feedback", "What was said"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = forms.DateTimeField(label=_("Received at"), widget=_DT_INPUT, input_formats=_DT_FORMATS)
    action = forms.CharField(
        label=_("What was done"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_on_the_spot = forms.BooleanField(label=_("Answered on the spot (closes it now)"), required=False)
    follow_up = forms.BooleanField(label=_("Follow-up needed"), required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("Assign to department")
    )
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Assign to person"))

    def __init__(self, *args, offices, residents, categories, departments, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["resident"].queryset = residents
        self.fields["category"].choices = [("", "---------"), *categories]
        self.fields["department"].queryset = departments
        self.fields["assignee"].queryset = staff
        ids = list(offices.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            self.fields["office"].initial = ids[0]
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))


class UpdateForm(Form):
    """What the office did: state (with its own labels), what was done, outcome, a reply to the
    resident, and who does it."""

    state = forms.ChoiceField(label=_("State"))
    action = forms.CharField(
        label=_("What was done"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply = forms.CharField(
        label=_("Reply to the resident (shown on the tracking page)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, label=_("Department"))
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Person"))

    def __init__(self, *args, labels: list[StateLabel], departments, staff, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for state in State:
            choices.append((state.value, state.label))
            for label in labels:
                if label.meaning == state.value:
                    choices.append((f"label:{label.pk}", f"{state.label} — {label.label}"))
        self.fields["state"].choices = choices
        self.fields["department"].queryset = departments
        self.fields["assignee"].queryset = staff
        self._labels = {label.pk: label for label in labels}

    def clean_state(self) -> tuple[str, StateLabel | None]:
        value = self.cleaned_data["state"]
        if value.startswith("label:"):
            label = self._labels.get(int(value.split(":", 1)[1]))
            if label is None:
                raise forms.ValidationError(_("Choose a state."))
            return label.meaning, label
        return value, None


class FilterForm(Form):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), required=False, label=_("Office"))
    channel = forms.ChoiceField(choices=[("", _("Any channel")), *Channel.choices], required=False, label=_("Channel"))
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Kind.choices], required=False, label=_("Kind"))
    category = forms.ChoiceField(required=False, label=_("Category"))
    state = forms.ChoiceField(choices=[("", _("Any state")), *State.choices], required=False, label=_("State"))
    open_only = forms.BooleanField(required=False, label=_("Open only"))
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    date_from = forms.DateField(required=False, label=_("From"), widget=_D_INPUT)
    date_to = forms.DateField(required=False, label=_("To"), widget=_D_INPUT)
    text = forms.CharField(required=False, max_length=100, label=_("Text"))
    # Issue 9: the unit page's "see all" link; kept across filter changes, shown above the list.
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput, label=_("Unit"))

    def __init__(self, *args, offices, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["category"].choices = [("", _("Any category")), *categories]
        _date_range(self.fields["date_from"])
        _date_range(self.fields["date_to"])
        lean_fields(self)  # drawn on every register request: `lean_field`, not crispy (issue 10)

    def clean_date_from(self):
        return _check_date(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _check_date(self.cleaned_data.get("date_to"))


class PublicForm(Form):
    """The resident page: no account, no JavaScript needed."""

    PUBLIC_KINDS = [
        (Kind.OPINION.value, _("An opinion")),
        (Kind.SERVICE.value, _("A request for service or repair")),
        (Kind.COMPLAINT.value, _("A complaint")),
        (Kind.SUGGESTION.value, _("A suggestion")),
    ]

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=PUBLIC_KINDS, widget=forms.RadioSelect, label=_("What would you like to tell us?"))
    content = forms.CharField(label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    building = forms.ModelChoiceField(queryset=Building.objects.none(), required=False, label=_("Building"))
    unit_number = forms.CharField(label=_("Unit number"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(community=community).order_by("name")
        self.fields["building"].label_from_instance = lambda b: b.name
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean_contact_phone(self) -> str:
        phone = "".join(ch for ch in self.cleaned_data["contact_phone"] if ch.isdigit() or ch == "+")
        if len(phone.lstrip("+")) < 7:
            raise forms.ValidationError(_("Enter a phone number we can call."))
        return phone


class AnswerForm(Form):
    solved = forms.TypedChoiceField(
        choices=[("yes", _("Yes, solved and I am satisfied")), ("no", _("No, not solved"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label=_("Is it solved? Are you satisfied?"),
    )
    note = forms.CharField(
        label=_("Anything to add (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutreachForm(Form):
    kind = forms.ChoiceField(choices=OutreachKind.choices, label=_("Kind"))
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Management office"))
    community = forms.ModelChoiceField(queryset=Community.objects.none(), required=False, label=_("Community"))
    resident_query = forms.CharField(
        label=_("Household visited"),
        required=False,
        help_text=_("For a home visit: type a unit number, a name or a phone number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-resident-search": "1"}),
    )
    resident = forms.ModelChoiceField(queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput)
    held_at = forms.DateTimeField(label=_("Date and time"), widget=_DT_INPUT, input_formats=_DT_FORMATS)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    households = forms.IntegerField(
        label=_("Households taking part (forum)"), required=False, min_value=1, max_value=100000
    )
    staff = forms.CharField(label=_("Staff taking part"), max_length=200, required=False)

    def __init__(self, *args, offices, communities, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["community"].queryset = communities
        self.fields["resident"].queryset = residents
        ids = list(offices.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            self.fields["office"].initial = ids[0]


class OpinionForm(Form):
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in Kind if k != Kind.COMPLAINT], label=_("Kind"), initial=Kind.OPINION
    )
    category = forms.ChoiceField(required=False, label=_("Category"))
    contact_name = forms.CharField(label=_("Who said it"), max_length=50, required=False)
    content = forms.CharField(label=_("Opinion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "---------"), *categories]


class RecordForm(Form):
    record = forms.CharField(label=_("Record of the event"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))


class AnalysisForm(Form):
    analysis = forms.CharField(
        label=_("Analysis of the main factors"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    meeting_note = forms.CharField(
        label=_("Discussed at a work meeting (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(Form):
    title = forms.CharField(label=_("Nonconformity or main factor"), max_length=200)
    description = forms.CharField(
        label=_("Action to take"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=pgettext_lazy("feedback", "Owner")
    )
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, label=_("Department"))
    due_on = forms.DateField(label=_("Due date"), widget=_D_INPUT)

    def __init__(self, *args, staff, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["department"].queryset = departments
        _date_range(self.fields["due_on"])

    def clean_due_on(self):
        return _check_date(self.cleaned_data.get("due_on"))


class DoneForm(Form):
    done_note = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    effectiveness = forms.CharField(
        label=_("Effectiveness (if known)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(Form):
    effectiveness = forms.CharField(
        label=_("Effectiveness: did it work?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(Form):
    reason = forms.CharField(label=_("Why it is sent back"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("New due date"), required=False, widget=_D_INPUT)

    def clean_due_on(self):
        return _check_date(self.cleaned_data.get("due_on"))
