"""Forums and home visits (F3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estates.models import Resident
from estates.scoping import offices_for, scoped
from estates.selectors import communities_for

from .. import forms, selectors, services
from .common import add_errors, category_choices

LIST_LIMIT = 50


def _create_form(request: HttpRequest, data=None) -> forms.OutreachForm:
    return forms.OutreachForm(
        data,
        offices=offices_for(request.user),
        communities=communities_for(request.user),
        residents=scoped(Resident.objects.all(), request.user),
    )


@require_GET
@login_required
@permission_required("feedback.view_outreach", raise_exception=True)
def outreach_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.outreach_for(request.user).order_by("-held_at", "-pk")[: LIST_LIMIT + 1])
    return render(
        request,
        "feedback/outreach_list.html",
        {"rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT, "form": _create_form(request)},
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("feedback.add_outreach", raise_exception=True)
def outreach_create(request: HttpRequest) -> HttpResponse:
    form = _create_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        resident = d["resident"]
        try:
            event = services.outreach_create(
                office=d["office"],
                by=request.user,
                kind=d["kind"],
                held_at=d["held_at"],
                community=d["community"],
                unit=resident.unit if resident else None,
                place=d["place"],
                households=d["households"],
                staff=d["staff"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect(event.get_absolute_url())
    return render(request, "feedback/outreach_form.html", {"form": form})


def _detail(request: HttpRequest, event, opinion_form=None, record_form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "feedback/outreach_detail.html",
        {
            "event": event,
            "entries": event.entries.select_related("category", "unit__building__community").order_by("pk"),
            "opinion_form": opinion_form or forms.OpinionForm(categories=category_choices(request)),
            "record_form": record_form or forms.RecordForm(initial={"record": event.record}),
            "can_change": request.user.has_perm("feedback.change_outreach"),
        },
        status=status,
    )


@require_GET
@login_required
@permission_required("feedback.view_outreach", raise_exception=True)
def outreach_detail(request: HttpRequest, outreach_id: int) -> HttpResponse:
    return _detail(request, selectors.outreach_for_user(request.user, outreach_id))


@require_POST
@login_required
@permission_required("feedback.change_outreach", raise_exception=True)
def outreach_opinion(request: HttpRequest, outreach_id: int) -> HttpResponse:
    event = selectors.outreach_for_user(request.user, outreach_id)
    form = forms.OpinionForm(request.POST, categories=category_choices(request))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.outreach_add_opinion(
                event=event,
                by=request.user,
                kind=d["kind"],
                content=d["content"],
                category=d["category"] or None,
                contact_name=d["contact_name"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Opinion added to the register."))
            return redirect(event.get_absolute_url())
    return _detail(request, event, opinion_form=form, status=400)


@require_POST
@login_required
@permission_required("feedback.change_outreach", raise_exception=True)
def outreach_close(request: HttpRequest, outreach_id: int) -> HttpResponse:
    event = selectors.outreach_for_user(request.user, outreach_id)
    form = forms.RecordForm(request.POST)
    if form.is_valid():
        try:
            services.outreach_close(event=event, by=request.user, record=form.cleaned_data["record"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Closed with its record."))
            return redirect(event.get_absolute_url())
    return _detail(request, event, record_form=form, status=400)
