"""common.forms.lean_fields / lean_form (issue 10): forms drawn on every request of a page in crispy's
Bootstrap 5 markup without crispy's templates — same ids, labels, classes, required marks, errors;
everything typed or stored escaped; a model select's options read once."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template

from common.forms import Form, lean_fields
from estates.models import Company


class _Sample(Form):
    company = forms.ModelChoiceField(queryset=Company.objects.none(), required=False, label="公司")
    state = forms.ChoiceField(choices=[("", "全部"), ("open", "<b>未完</b>")], required=False, label="状态")
    kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect, label="种类")
    urgent = forms.BooleanField(required=False, label="紧急")
    day = forms.DateField(required=False, label="日期")
    text = forms.CharField(max_length=5, label="内容", help_text="最多五个字")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _render(form, source="{% load lean_forms %}{{ form|lean_form }}") -> str:
    return Template(source).render(Context({"form": form}))


@pytest.mark.django_db
def test_lean_form_renders_crispys_markup_with_values_and_errors(django_assert_num_queries):
    Company.objects.create(name="<script>x</script>物业")
    form = _Sample(
        {"company": "", "state": "open", "kind": "b", "urgent": "on", "text": "太长了的内容", "version": "3"}
    )
    form.fields["company"].queryset = Company.objects.all()
    assert not form.is_valid()
    with django_assert_num_queries(1):  # the model select's options, once however often drawn
        html = _render(form)
        assert _render(form) == html
    # Labels tied to their inputs, required marked, classes as crispy gives them.
    assert (
        '<label for="id_text" class="form-label requiredField">内容<span class="asteriskField">*</span></label>' in html
    )
    assert 'class="select form-select"' in html and 'class="dateinput form-control"' in html
    assert 'class="checkboxinput form-check-input" id="id_urgent" checked' in html
    # The chosen option selected; labels escaped, stored names escaped.
    assert '<option value="open" selected>&lt;b&gt;未完&lt;/b&gt;</option>' in html
    assert "&lt;script&gt;x&lt;/script&gt;物业" in html and "<script>x" not in html
    # Radios as a fieldset with the checked choice.
    assert '<legend class="form-label fs-6 requiredField">种类' in html
    assert 'value="b" class="form-check-input" id="id_kind_1" checked required' in html
    # The field with an error: is-invalid on the input, the message under it, the text kept.
    assert 'value="太长了的内容"' in html
    assert "textinput form-control is-invalid" in html
    assert '<div id="id_text_error" class="invalid-feedback d-block">' in html
    assert '<div id="id_text_helptext" class="form-text">最多五个字</div>' in html
    assert '<input type="hidden" name="version" value="3" id="id_version">' in html


def test_lean_fields_is_idempotent_and_keeps_given_classes():
    form = _Sample()
    form.fields["text"].widget.attrs["class"] = "tj-mine"
    lean_fields(lean_fields(form))
    assert form.fields["text"].widget.attrs["class"] == "textinput form-control tj-mine"


@pytest.mark.django_db
def test_lean_field_filter_renders_one_field():
    html = _render(
        _Sample(initial={"day": datetime.date(2026, 1, 2)}), "{% load lean_forms %}{{ form.day|lean_field }}"
    )
    assert html.startswith('<div id="div_id_day" class="mb-3"><label for="id_day" class="form-label">日期</label>')
    assert 'value="2026' in html and 'class="dateinput form-control"' in html


class _Inputs(Form):
    text = forms.CharField(label="内容")
    note = forms.CharField(widget=forms.Textarea, required=False)
    amount = forms.DecimalField(required=False)
    at = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    flag = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"data-off": False, "data-on": True}))
    mail = forms.EmailField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'a"<b>&amp;',
            "note": "第一行\n<i>第二行</i>",
            "amount": "12.50",
            "at": "2026-01-02T03:04",
            "flag": "on",
            "mail": "x@y.cn",
            "secret": "s&'",
            "token": "<t>",
        },
    ],
)
def test_inputs_written_in_python_match_djangos_widget_templates(data):
    """The inputs and textareas lean_fields writes in Python (issue 10) are byte for byte what Django's
    widget templates write: values and attributes escaped, True/False attributes, the textarea's newline."""
    by_templates, lean = _Inputs(data), lean_fields(_Inputs(data))
    for name in _Inputs.base_fields:
        plain = type(by_templates.fields[name].widget)
        assert type(lean.fields[name].widget) is not plain and isinstance(lean.fields[name].widget, plain)
        # Same markup as the template renders for the same attributes (lean_fields adds classes).
        by_templates.fields[name].widget.attrs = dict(lean.fields[name].widget.attrs)
        assert str(lean[name]) == str(by_templates[name]), name
    assert 'name="flag" data-on class=' in str(lean["flag"]) and "data-off" not in str(lean["flag"])
    if data:
        assert "&lt;i&gt;第二行&lt;/i&gt;</textarea>" in str(lean["note"])
        assert 'value="a&quot;&lt;b&gt;&amp;amp;"' in str(lean["text"])


def test_a_widget_with_its_own_template_keeps_it():
    class _Own(forms.TextInput):
        template_name = "django/forms/widgets/select.html"

    class _F(Form):
        text = forms.CharField(widget=_Own)

    form = lean_fields(_F())
    assert type(form.fields["text"].widget) is _Own
