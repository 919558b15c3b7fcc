"""`{{ form|lean_form }}` and `{{ field|lean_field }}`: crispy's Bootstrap 5 markup written in Python
(common.forms.lean_fields), for forms drawn on every request of a page (issue 10)."""

from __future__ import annotations

from django import template

from common import forms

register = template.Library()


@register.filter
def lean_form(form):
    return forms.lean_form(form)


@register.filter
def lean_field(field):
    # `{% for field in form %}` made every bound field before the first reached this filter: take the
    # field again from the prepared form, so that it is one of lean_fields' (errors mark the input).
    form = forms.lean_fields(field.form)
    if not isinstance(field, forms.LeanBoundField):
        field = form[field.name]
    return forms.lean_field(field)
