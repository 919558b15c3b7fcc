"""Forms of the estates pages (STYLE.md 10): they normalise input; crispy bootstrap5 lays them out."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import Form

from .importer import MAX_FILE_BYTES
from .models import Community, Office
from .scoping import offices_for


class ImportForm(Form):
    office = forms.ModelChoiceField(label=_("Management office"), queryset=Office.objects.none())
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("One row per unit; at most %(size)d MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own offices can be chosen (estates.scoping): a posted id of another office
        # fails validation like any invalid choice.
        offices = offices_for(user).order_by("name")
        self.fields["office"].queryset = offices
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].pk


class UnitFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False, empty_label=_("All communities")
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["q"].widget.attrs["placeholder"] = _("Unit number, name or phone")


class ResidentSearchForm(Form):
    """The intake typeahead's query (hardening issue, item 5: `?q=%00` answered 500 on PostgreSQL)."""

    q = forms.CharField(required=False, max_length=50, strip=True)
