"""The base of every form of the product (hardening issue, items 1, 5 and 7).

- Text: control characters are stripped from every text field (NUL is refused by Django's CharField
  already, with its own message); tab and line breaks stay.
- Length: a text field without a max_length gets one (TEXT_LIMIT for a textarea, LINE_LIMIT for a line),
  with `maxlength` on the input and a live counter (static/js/tingjian.js, data-tj-counter).
- Dates: every DateField/DateTimeField is checked against a window (common.dates): the form's
  `date_windows = {"field": Window(...)}`, otherwise the absolute range. The input gets min/max too.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

from .dates import ANY, Window, check_window
from .text import strip_control

TEXT_LIMIT = 2000  # a textarea: a long complaint fits several times over
LINE_LIMIT = 200  # a one-line text input


class CleanTextMixin:
    date_windows: dict[str, Window] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
                if field.max_length is None:
                    field.max_length = TEXT_LIMIT if isinstance(field.widget, forms.Textarea) else LINE_LIMIT
                    field.validators.append(MaxLengthValidator(field.max_length))
                    field.widget.attrs.setdefault("maxlength", str(field.max_length))
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs.setdefault("data-tj-counter", "1")
            elif isinstance(field, forms.DateTimeField | forms.DateField):
                window = self.date_windows.get(name, ANY)
                if isinstance(field, forms.DateTimeField):
                    low, high = (v.strftime("%Y-%m-%dT%H:%M") for v in _local(window.bounds()))
                elif getattr(field.widget, "input_type", "") == "month":
                    low, high = (v.strftime("%Y-%m") for v in window.date_bounds())
                else:
                    low, high = (v.isoformat() for v in window.date_bounds())
                field.widget.attrs.setdefault("min", low)
                field.widget.attrs.setdefault("max", high)

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if isinstance(value, str):
                self.cleaned_data[name] = strip_control(value)
            elif isinstance(field, forms.DateTimeField | forms.DateField) and value is not None:
                try:
                    check_window(value, self.date_windows.get(name, ANY))
                except forms.ValidationError as exc:
                    self.add_error(name, exc)


def _local(pair):
    from django.utils import timezone

    return tuple(timezone.localtime(v) for v in pair)


class Form(CleanTextMixin, forms.Form):
    """Use instead of django.forms.Form."""


class ModelForm(CleanTextMixin, forms.ModelForm):
    """Use instead of django.forms.ModelForm."""
