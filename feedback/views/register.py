"""The register (F1): the one front door, the list, an entry and what the office does with it.
Views parse, call one service, render or redirect; every lookup is office-scoped (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints.rules import INTAKE_SCRIPT
from estates.models import Resident
from estates.scoping import offices_for, scoped
from estates.selectors import unit_filter

from .. import forms, selectors, services
from ..rules import Kind
from ..services.public import awaiting_answer
from ..services.register import labels_for
from .common import add_errors, category_choices, error_text, filters, querystring


def _entry_form(request: HttpRequest, data=None) -> forms.EntryForm:
    return forms.EntryForm(
        data,
        offices=offices_for(request.user),
        residents=scoped(Resident.objects.all(), request.user),
        categories=category_choices(request),
        departments=selectors.departments_for(request.user),
        staff=selectors.staff_for(request.user),
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("feedback.add_entry", raise_exception=True)
def entry_create(request: HttpRequest) -> HttpResponse:
    """F1: every contact through one form; a complaint is handed to the complaint procedure in the
    same step (C2's script is shown when "complaint" is chosen)."""
    form = _entry_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        resident = d["resident"]
        office = resident.unit.building.community.office if resident else d["office"]
        try:
            entry = services.entry_create(
                office=office,
                by=request.user,
                channel=d["channel"],
                kind=d["kind"],
                content=d["content"],
                category=d["category"] or None,
                resident=resident,
                contact_name=d["contact_name"],
                contact_phone=d["contact_phone"],
                received_at=d["received_at"],
                action=d["action"],
                follow_up=d["follow_up"],
                answered_on_the_spot=d["answered_on_the_spot"],
                department=d["department"],
                assignee=d["assignee"],
                form_token=d["form_token"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if entry.complaint_id:
                messages.success(
                    request,
                    _("Logged as %(entry)s and handed to the complaint procedure as %(complaint)s.")
                    % {"entry": entry.number, "complaint": entry.complaint.number},
                )
            else:
                messages.success(request, _("Logged as %(number)s.") % {"number": entry.number})
            if "another" in request.POST:
                return redirect("feedback:create")
            return redirect(entry.get_absolute_url())
    return render(request, "feedback/entry_form.html", {"form": form, "script": INTAKE_SCRIPT})


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
@permission_required("feedback.view_entry", raise_exception=True)
def register(request: HttpRequest) -> HttpResponse:
    form, f = filters(request)
    page = selectors.register_page(request.user, f, after=request.GET.get("after", ""))
    return render(
        request,
        "feedback/register.html",
        {
            "form": form,
            "page": page,
            "query": querystring(request),
            "first_page": not request.GET.get("after"),
            "now": timezone.now(),
            "unit_filter": unit_filter(request.user, f.unit),
            "without_unit": querystring(request, ("after", "unit")),
        },
    )


@require_GET
@login_required
@permission_required("feedback.view_entry", raise_exception=True)
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_for_user(request.user, entry_id)
    return render(request, "feedback/entry_detail.html", _detail_context(request, entry))


def _update_form(request: HttpRequest, entry, data=None) -> forms.UpdateForm:
    initial = {
        "state": f"label:{entry.state_label_id}" if entry.state_label_id else entry.state,
        "action": entry.action,
        "outcome": entry.outcome,
        "department": entry.department_id,
        "assignee": entry.assignee_id,
    }
    return forms.UpdateForm(
        data,
        initial=initial,
        labels=labels_for(entry.office_id),
        departments=selectors.departments_for(request.user),
        staff=selectors.staff_for(request.user),
    )


def _detail_context(request: HttpRequest, entry, form=None) -> dict:
    return {
        "entry": entry,
        "events": selectors.entry_events(entry),
        "form": form or _update_form(request, entry),
        "can_change": request.user.has_perm("feedback.change_entry"),
        "can_hand_over": entry.kind == Kind.COMPLAINT and not entry.complaint_id,
        "awaiting_answer": awaiting_answer(entry),
    }


@require_POST
@login_required
@permission_required("feedback.change_entry", raise_exception=True)
def entry_update(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_for_user(request.user, entry_id)
    form = _update_form(request, entry, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        state, label = d["state"]
        try:
            services.entry_update(
                entry=entry,
                by=request.user,
                state=state,
                state_label=label,
                action=d["action"],
                outcome=d["outcome"],
                reply=d["reply"],
                department=d["department"],
                assignee=d["assignee"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(entry.get_absolute_url())
    return render(request, "feedback/entry_detail.html", _detail_context(request, entry, form), status=400)


@require_POST
@login_required
@permission_required("feedback.change_entry", raise_exception=True)
def entry_hand_over(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_for_user(request.user, entry_id)
    try:
        entry = services.entry_hand_over(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("Handed to the complaint procedure as %(number)s.") % {"number": entry.complaint.number}
        )
    return redirect(entry.get_absolute_url())
