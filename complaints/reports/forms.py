"""Forms of the summary pages: a manager approves (C14), QA publishes an analysis or a complaint (C15)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from common.forms import Form

from ..models import PublicationReason


class ApproveForm(Form):
    note = forms.CharField(
        label=gettext_lazy("Manager's note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishAnalysisForm(Form):
    conclusions = forms.CharField(
        label=gettext_lazy("QA's conclusions"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class PublishComplaintForm(Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why published"), choices=PublicationReason.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("What happened and what we learn"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
