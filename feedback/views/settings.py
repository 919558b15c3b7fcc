"""The register's settings page: the company's categories (company administrator) and each office's
own state names (office manager). Changes are POSTs through feedback.services.settings."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from estates.scoping import get_for_user, offices_for

from ..models import Category, StateLabel
from ..rules import DEFAULT_CATEGORIES, State
from ..services import settings as settings_services
from .common import error_text


class CategoryForm(django_forms.Form):
    name = django_forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False)
    service_hours = django_forms.IntegerField(
        label=gettext_lazy("Service request due (working hours)"), required=False, min_value=1, max_value=400
    )
    active = django_forms.BooleanField(label=gettext_lazy("In use"), required=False)


class LabelForm(django_forms.Form):
    office = django_forms.IntegerField(widget=django_forms.HiddenInput)
    meaning = django_forms.ChoiceField(label=gettext_lazy("Meaning"), choices=State.choices)
    label = django_forms.CharField(label=gettext_lazy("Name"), max_length=40)


def _may_categories(request: HttpRequest) -> bool:
    return request.user.has_perm("feedback.change_category")


def _may_labels(request: HttpRequest) -> bool:
    return request.user.has_perm("feedback.add_statelabel")


@require_GET
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if not (_may_categories(request) or _may_labels(request)):
        raise PermissionDenied
    categories = []
    if _may_categories(request):
        rows = list(Category.objects.filter(company_id=request.user.company_id).order_by("order", "pk"))
        if not rows:  # a GET never writes: the defaults, as the first save will make them
            rows = [Category(code=code, service_hours=hours, active=True) for code, _label, hours in DEFAULT_CATEGORIES]
        categories = [
            (c, CategoryForm(initial={"name": c.name, "service_hours": c.service_hours, "active": c.active}))
            for c in rows
        ]
    offices = []
    if _may_labels(request):
        labels = StateLabel.objects.filter(office__in=offices_for(request.user)).order_by(
            "office__name", "meaning", "label"
        )
        by_office: dict[int, list[StateLabel]] = {}
        for label in labels:
            by_office.setdefault(label.office_id, []).append(label)
        offices = [(o, by_office.get(o.pk, []), LabelForm(initial={"office": o.pk})) for o in offices_for(request.user)]
    return render(
        request,
        "feedback/settings.html",
        {
            "categories": categories,
            "offices": offices,
            "add_form": CategoryForm(prefix="new", initial={"active": True}),
        },
    )


@require_POST
@login_required
def category_save(request: HttpRequest, code: str) -> HttpResponse:
    if not _may_categories(request):
        raise PermissionDenied
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            settings_services.category_update(by=request.user, code=code, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("feedback:settings")


@require_POST
@login_required
def category_new(request: HttpRequest) -> HttpResponse:
    if not _may_categories(request):
        raise PermissionDenied
    form = CategoryForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            settings_services.category_add(
                by=request.user, name=form.cleaned_data["name"], service_hours=form.cleaned_data["service_hours"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
    return redirect("feedback:settings")


@require_POST
@login_required
def label_add(request: HttpRequest) -> HttpResponse:
    if not _may_labels(request):
        raise PermissionDenied
    form = LabelForm(request.POST)
    if form.is_valid():
        office = get_for_user(offices_for(request.user), request.user, pk=form.cleaned_data["office"])
        try:
            settings_services.state_label_add(
                by=request.user, office=office, meaning=form.cleaned_data["meaning"], label=form.cleaned_data["label"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
    return redirect("feedback:settings")


@require_POST
@login_required
def label_retire(request: HttpRequest, label_id: int) -> HttpResponse:
    if not _may_labels(request):
        raise PermissionDenied
    label = get_for_user(StateLabel.objects.all(), request.user, pk=label_id)
    try:
        settings_services.state_label_retire(by=request.user, label=label)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("feedback:settings")
