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
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

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


def _bootstrap_class(widget: forms.Widget) -> str:
    """Bootstrap 5 classes of a widget as crispy's bootstrap5 pack gives them ("dateinput form-control")."""
    name = type(widget).__name__.lower()
    if isinstance(widget, forms.CheckboxInput):
        return f"{name} form-check-input"
    if isinstance(widget, forms.Select):
        return "select form-select"
    return f"{name} form-control"


class LeanSelect(forms.Select):
    """A single select written in Python: Django's Select renders a template per option, which for a
    filter form of ~60 options was most of its time (issue 10)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            inner = format_html_join(
                "",
                "{}",
                (
                    (
                        format_html(
                            '<option value="{}"{}>{}</option>',
                            "" if o["value"] is None else str(o["value"]),
                            " selected" if o["selected"] else "",  # nothing in it to escape
                            o["label"],
                        ),
                    )
                    for o in options
                ),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, inner) if group_name else inner)
        options_html = format_html_join("", "{}", ((p,) for p in parts))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options_html)


# Django's widget templates that are only `input.html` (or `textarea.html`): these widgets are written in
# Python by `_py_render` with the same markup. A widget given another template keeps its template.
_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
}
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html in Python: False leaves the attribute out, True writes its name."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class _PyRender:
    """A text-like input or a textarea written in Python, as Django's templates write it (input.html,
    attrs.html, textarea.html): each rendered through the template engine, with an include and a loop
    over the attributes, was most of the complaint page's action forms (issue 10)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if self.template_name == _TEXTAREA_TEMPLATE:
            return format_html(
                '<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs(widget["attrs"]), widget["value"] or ""
            )
        value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs(widget["attrs"])
        )


_PY_CLASSES: dict[type, type] = {}


def _py_widget(widget: forms.Widget) -> None:
    """Give a widget drawn by one of the plain templates above its Python rendering (same class
    otherwise: isinstance, attrs, value formatting and media stay)."""
    cls = type(widget)
    if issubclass(cls, _PyRender) or widget.template_name not in (*_INPUT_TEMPLATES, _TEXTAREA_TEMPLATE):
        return
    if not isinstance(widget, forms.widgets.Input | forms.Textarea):
        return
    py = _PY_CLASSES.get(cls)
    if py is None:
        py = _PY_CLASSES[cls] = type(cls.__name__, (_PyRender, cls), {"__module__": cls.__module__})
    widget.__class__ = py


class _ListChoiceIterator(forms.models.ModelChoiceIterator):
    """A model select's options from its queryset's result cache (one plain query, kept), where Django
    iterates `.iterator()` — on PostgreSQL a server-side cursor, three round trips, per rendering."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class LeanBoundField(forms.BoundField):
    """A field with errors gets Bootstrap's `is-invalid` (crispy adds it when it renders)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors:
            given = attrs.get("class") or (widget or self.field.widget).attrs.get("class", "")
            attrs["class"] = f"{given} is-invalid".strip()
        return attrs


def lean_fields(form: forms.BaseForm) -> forms.BaseForm:
    """Prepare a form for the `lean_form` / `lean_field` filters (common.templatetags.lean_forms)
    instead of crispy, for forms drawn on every request of a page (a list's filters, the complaint
    page's action forms). Issue 10: crispy's templates and Django's template per select option were a
    third of the complaint list's time and half the complaint page's. Bootstrap classes on the widgets,
    `is-invalid` on fields with errors, selects written in Python, a model select's options read once.
    The markup is crispy's bootstrap5 pack's. Idempotent; returns the form."""
    if getattr(form, "_tj_lean", False):
        return form
    for field in form.fields.values():
        widget = field.widget
        _py_widget(widget)
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput | forms.RadioSelect):
            continue
        widget.attrs["class"] = f"{_bootstrap_class(widget)} {widget.attrs.get('class', '')}".strip()
        if type(widget) is forms.Select:
            widget.__class__ = LeanSelect
        if type(field) is forms.ModelChoiceField:
            field.iterator = _ListChoiceIterator
            widget.choices = field.choices  # the widget took its choices when the queryset was set
    form.bound_field_class = LeanBoundField
    form._bound_fields_cache = {}
    form._tj_lean = True
    return form


def _label(field: forms.BoundField, tag: str, classes: str) -> str:
    if not field.label:
        return ""
    if field.field.required:
        return format_html(
            '<{} {}class="{} requiredField">{}<span class="asteriskField">*</span></{}>',
            tag,
            format_html('for="{}" ', field.id_for_label) if tag == "label" else "",
            classes,
            field.label,
            tag,
        )
    if tag == "label":
        return format_html('<label for="{}" class="{}">{}</label>', field.id_for_label, classes, field.label)
    return format_html('<{} class="{}">{}</{}>', tag, classes, field.label, tag)


def _radios(field: forms.BoundField) -> str:
    invalid = " is-invalid" if field.form.is_bound and field.errors else ""
    return format_html_join(
        "",
        '<div class="form-check"><input type="radio" name="{}" value="{}"{}>'
        '<label for="{}" class="form-check-label">{}</label></div>',
        (
            (
                sw.data["name"],
                "" if sw.data["value"] is None else str(sw.data["value"]),
                flatatt({**sw.data["attrs"], "class": f"form-check-input{invalid}"}),
                sw.id_for_label,
                sw.choice_label,
            )
            for sw in field.subwidgets
        ),
    )


def lean_field(field: forms.BoundField) -> str:
    """One visible field in Bootstrap 5 markup (crispy's bootstrap5 field: ids, classes, label, the
    required asterisk, errors and help)."""
    errors = format_html_join(
        "", '<div id="{}_error" class="invalid-feedback d-block">{}</div>', ((field.auto_id, e) for e in field.errors)
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    if field.widget_type == "radioselect":
        return format_html(
            '<fieldset id="div_{}" class="mb-3">{}{}{}{}</fieldset>',
            field.auto_id,
            _label(field, "legend", "form-label fs-6"),
            _radios(field),
            errors,
            help_text,
        )
    widget = str(field)
    if field.widget_type == "checkbox":
        body = format_html('<div class="form-check">{}{}</div>', widget, _label(field, "label", "form-check-label"))
    else:
        body = format_html("{}{}", _label(field, "label", "form-label"), widget)
    return format_html('<div id="div_{}" class="mb-3">{}{}{}</div>', field.auto_id, body, errors, help_text)


def lean_form(form: forms.BaseForm) -> str:
    """A whole form as crispy's `|crispy` draws it (no <form> tag): errors not tied to a field, then
    each field (hidden ones as they are)."""
    lean_fields(form)
    non_field = form.non_field_errors() if form.is_bound else []
    head = (
        format_html(
            '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((e,) for e in non_field)),
        )
        if non_field
        else ""
    )
    body = format_html_join("", "{}", ((str(f) if f.is_hidden else lean_field(f),) for f in form))
    return format_html("{}{}", head, body)


class Form(CleanTextMixin, forms.Form):
    """Use instead of django.forms.Form."""


class ModelForm(CleanTextMixin, forms.ModelForm):
    """Use instead of django.forms.ModelForm."""
