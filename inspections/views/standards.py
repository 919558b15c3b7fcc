"""Q1 check standards: QA keeps them; every edit of a used version makes a new version."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, selectors
from ..services import standards as services
from ..services.checks import is_qa
from .common import form_errors, run


@require_GET
@login_required
@permission_required("inspections.view_checkstandard", raise_exception=True)
def standard_list(request: HttpRequest) -> HttpResponse:
    standards = selectors.standards_for(request.user).prefetch_related("versions")
    return render(
        request,
        "inspections/standard_list.html",
        {"standards": standards, "form": forms.StandardForm(), "editable": is_qa(request.user)},
    )


@require_POST
@login_required
@permission_required("inspections.add_checkstandard", raise_exception=True)
def standard_create(request: HttpRequest) -> HttpResponse:
    """A new standard (e.g. a quarterly check of the service promises), not in use until it has items."""
    form = forms.StandardForm(request.POST)
    if not form.is_valid() or not is_qa(request.user):
        form_errors(request, form)
        return redirect("inspections:standard_list")
    found = {}

    def make():
        found["standard"] = services.standard_create(
            company=request.user.company,
            name=form.cleaned_data["name"],
            period=form.cleaned_data["period"],
            by=request.user,
            active=False,
        )

    if run(request, make, _("Standard created; add its sections and items, then put it in use.")):
        return redirect("inspections:standard_detail", standard_id=found["standard"].pk)
    return redirect("inspections:standard_list")


@require_POST
@login_required
@permission_required("inspections.change_checkstandard", raise_exception=True)
def standard_active(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    active = request.POST.get("active") == "1"
    run(
        request,
        lambda: services.standard_set_active(standard=standard, by=request.user, active=active),
        _("Standard saved."),
    )
    return redirect("inspections:standard_detail", standard_id=standard.pk)


@require_GET
@login_required
@permission_required("inspections.view_checkstandard", raise_exception=True)
def standard_detail(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    version = services.latest_version(standard)
    sections = list(version.sections.prefetch_related("items"))
    return render(
        request,
        "inspections/standard_detail.html",
        {
            "standard": standard,
            "version": version,
            "versions": standard.versions.all(),
            "sections": sections,
            "used": version.checks.exists(),
            "editable": is_qa(request.user) and request.user.has_perm("inspections.change_checkstandard"),
            "item_form": forms.ItemForm(),
            "section_form": forms.SectionForm(),
            "pass_form": forms.PassMarkForm(initial={"pass_mark": version.pass_mark}),
        },
    )


@require_POST
@login_required
@permission_required("inspections.change_checkstandard", raise_exception=True)
def standard_item_save(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    form = forms.ItemForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.item_save(
                standard=standard,
                by=request.user,
                section_id=d["section_id"],
                item_id=d["item_id"],
                text=d["text"],
                criteria=d["criteria"],
                points=d["points"],
                red_line=d["red_line"],
                figure_key=d["figure_key"],
            ),
            _("Standard saved."),
        )
    else:
        form_errors(request, form)
    return redirect("inspections:standard_detail", standard_id=standard.pk)


@require_POST
@login_required
@permission_required("inspections.change_checkstandard", raise_exception=True)
def standard_item_remove(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    try:
        item_id = int(request.POST.get("item_id", ""))
    except ValueError:
        item_id = 0
    run(request, lambda: services.item_remove(standard=standard, by=request.user, item_id=item_id), _("Item removed."))
    return redirect("inspections:standard_detail", standard_id=standard.pk)


@require_POST
@login_required
@permission_required("inspections.change_checkstandard", raise_exception=True)
def standard_section_save(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    form = forms.SectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.section_save(
                standard=standard, by=request.user, section_id=d["section_id"], title=d["title"], weight=d["weight"]
            ),
            _("Standard saved."),
        )
    else:
        form_errors(request, form)
    return redirect("inspections:standard_detail", standard_id=standard.pk)


@require_POST
@login_required
@permission_required("inspections.change_checkstandard", raise_exception=True)
def standard_pass_mark(request: HttpRequest, standard_id: int) -> HttpResponse:
    standard = selectors.standard_for_user(request.user, standard_id)
    form = forms.PassMarkForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.pass_mark_set(
                standard=standard, by=request.user, pass_mark=form.cleaned_data["pass_mark"]
            ),
            _("Standard saved."),
        )
    else:
        form_errors(request, form)
    return redirect("inspections:standard_detail", standard_id=standard.pk)
