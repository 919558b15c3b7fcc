"""What every feedback view shares: form errors from a service's ValidationError, the filters."""

from __future__ import annotations

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from estates.scoping import offices_for, remember_office_ids

from .. import forms, selectors
from ..selectors import category_choices_for


def add_errors(form: django_forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def category_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The company's categories as (code, label), read only: a GET never writes, so a company
    without its own rows yet is offered the defaults (made by the first entry that uses one)."""
    return category_choices_for(request.user.company_id)


def filters(request: HttpRequest) -> tuple[forms.FilterForm, selectors.Filters]:
    form = forms.FilterForm(
        request.GET or None, offices=offices_for(request.user), categories=category_choices(request)
    )
    # One query for the office select's options and the user's scope, as the complaint list does.
    remember_office_ids(request.user, form.fields["office"].queryset)
    f = selectors.Filters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        f = selectors.Filters(
            office=d["office"].pk if d["office"] else None,
            channel=d["channel"],
            kind=d["kind"],
            category=d["category"],
            state=d["state"],
            open_only=d["open_only"],
            overdue=d["overdue"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            text=d["text"],
            unit=d["unit"],
        )
    return form, f


def querystring(request: HttpRequest, drop: tuple[str, ...] = ("after",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
