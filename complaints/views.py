"""Views: parse, call one service, render or redirect (STYLE.md 9). Every lookup goes through
selectors.complaint_for_user (404 outside the user's offices); every change is a POST."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import error_text, run_service
from estates.models import Resident
from estates.scoping import offices_for, scoped

from . import forms, rules, selectors, services, views_records
from .models import Channel
from .reports.records import f1_result, related
from .rules import Action

# ---------------------------------------------------------------------------------------------
# Intake


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_create(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    residents = scoped(Resident.objects.all(), request.user)
    duplicate = None
    if request.method == "POST":
        form = forms.IntakeForm(request.POST, offices=offices, residents=residents)
        if form.is_valid():
            data = form.cleaned_data
            resident = data["resident"]
            office = resident.unit.building.community.office if resident else data["office"]
            try:
                complaint = services.complaint_create(
                    office=office,
                    received_by=request.user,
                    channel=data["channel"],
                    kind=data["kind"],
                    content=data["content"],
                    received_at=data["received_at"],
                    resident=resident,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    form_token=data["form_token"],
                    late_entry_reason=data["late_entry_reason"],
                    allow_duplicate=data["confirm_duplicate"],
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "duplicate":
                    # Issue 9 item 2: Back then 登记 again, a refresh, a second tab — show the earlier
                    # one and let the receiver choose.
                    duplicate = exc.params
                elif hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Complaint %(number)s logged.") % {"number": complaint.number})
                return redirect(complaint.get_absolute_url())
    else:
        form = forms.IntakeForm(offices=offices, residents=residents)
    return render(
        request,
        "complaints/intake.html",
        {"form": form, "script": rules.INTAKE_SCRIPT, "duplicate": duplicate},
    )


# ---------------------------------------------------------------------------------------------
# Detail and actions


def _action_forms(request: HttpRequest, complaint, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One form per action the user may take now (state, role, the action's own condition), in the
    order of the procedure; each from the action registry (rules.TRANSITIONS)."""
    user = request.user
    departments = selectors.departments_for(user, complaint.office_id)
    result = []
    for action, transition in rules.TRANSITIONS.items():
        if not (services.can_act(user, complaint, action) and rules.available(complaint, action)):
            continue
        form = (bound or {}).get(action) or _form_for(action, complaint, departments)
        result.append(
            {
                "action": action,
                "label": Action(action).label,
                "form": form,
                "url_name": f"complaints:act_{action}",
                "multipart": transition.multipart,
                "help_template": transition.help_template,
                "button": transition.button,
                # Re-classifying a classified complaint is a rarer correction.
                "rare": transition.rare or (action == Action.CLASSIFY and complaint.complaint_class is not None),
            }
        )
    return result


def _form_for(action: str, complaint, departments, data=None, files=None) -> forms.ActionForm:
    form_class = getattr(forms, rules.TRANSITIONS[action].form)
    return form_class(data, files, complaint=complaint, departments=departments)


def _record_forms(request: HttpRequest, complaint) -> dict[str, Any]:
    """The class-specific record forms (C5, C6, C7), when the user may fill them."""
    user = request.user
    if not (services.can_act(user, complaint, Action.ADD_NOTE) and services.may_fill_records(user, complaint)):
        return {}
    if not complaint.is_open:
        return {}  # issue 9: the records are read-only once the complaint is finished
    cls = complaint.complaint_class
    if cls == 1:
        rec = getattr(complaint, "record_f1", None)
        # Issue 9: the result told to the resident is typed once, at 告知住户结果; the form does not ask
        # for it again (the page shows it read-only next to the form).
        initial = {"handling_notes": rec.handling_notes, "follow_up": rec.follow_up} if rec else {}
        return {"f1": forms.RecordF1Form(initial=initial)}
    if cls == 2:
        rec = getattr(complaint, "record_f2", None)
        initial = (
            {
                "problem": rec.problem,
                "location": rec.location,
                "cause": rec.cause,
                "measures": rec.measures,
                "wide_impact": rec.wide_impact,
                "written_report_sent_at": rec.written_report_sent_at,
                "copied_to_qa": rec.copied_to_qa,
            }
            if rec
            else {}
        )
        return {"f2": forms.RecordF2Form(initial=initial)}
    if cls == 3:
        rec = getattr(complaint, "special_report", None)
        initial = {"impact": rec.impact, "sent_to": rec.sent_to, "result": rec.result} if rec else {}
        return {"special": forms.SpecialReportForm(initial=initial)}
    return {}


def _detail(request: HttpRequest, complaint, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    views_records.load_one_to_ones(complaint)
    actions = _action_forms(request, complaint, bound)
    record_f1 = related(complaint, "record_f1")
    shown = {a["action"] for a in actions}
    # Issue 9 item 8: a refused form that is no longer offered (the complaint moved on) still shows
    # what was typed, so nothing is lost.
    kept = [
        (form[name].label, value)
        for action, form in (bound or {}).items()
        if action not in shown
        for name, value in form.data.items()
        if name in form.fields and name != "version" and isinstance(value, str) and value.strip()
    ]
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "events": selectors.timeline(complaint),
            "deadlines": selectors.complaint_deadlines(complaint),
            "attachments": complaint.attachments.select_related("uploaded_by"),
            "actions": actions,
            "has_rare": any(a["rare"] for a in actions),
            "has_next": any(not a["rare"] for a in actions),
            "kept": kept,
            "records": _record_forms(request, complaint),
            "record_f1": record_f1,
            "f1_result": f1_result(complaint, record_f1) if complaint.complaint_class == 1 else "",
            "record_f2": related(complaint, "record_f2"),
            "special_report": related(complaint, "special_report"),
            "class_definitions": rules.class_definitions(),
            "route": services.complaint_compensation_route(complaint)
            if complaint.compensation_amount is not None or complaint.return_exchange_request
            else "",
            "c9": complaint.channel in (Channel.COMPANY, Channel.GROUP, Channel.GOVERNMENT),
        },
        status=status,
    )


_KEPT = "complaints:kept_form"


def _kept_form(request: HttpRequest, complaint) -> dict[str, Any] | None:
    """The form refused a moment ago (complaint_action), bound to what was typed and to the
    complaint's current version, once."""
    kept = request.session.get(_KEPT)
    if not kept or kept.get("complaint") != complaint.pk or kept.get("action") not in rules.TRANSITIONS:
        return None
    del request.session[_KEPT]
    departments = selectors.departments_for(request.user, complaint.office_id)
    data = {**kept["data"], "version": str(complaint.version)}
    return {kept["action"]: _form_for(kept["action"], complaint, departments, data)}


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = selectors.complaint_for_user(request.user, complaint_id)
    return _detail(request, complaint, bound=_kept_form(request, complaint))


@require_POST
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_action(request: HttpRequest, complaint_id: int, action: str) -> HttpResponse:
    complaint = selectors.complaint_for_user(request.user, complaint_id)
    if not services.may_act(request.user, complaint, action):
        # An action this user's role never takes (the page never offers it) is forbidden outright;
        # an action of the wrong moment (state, a condition) is refused with a message (302).
        raise PermissionDenied
    if not (rules.allowed_from(complaint.state, action) and rules.available(complaint, action)):
        # Issue 9 item 9: a form this page does not offer now (a stale tab, a crafted POST) says why,
        # instead of a bare 400.
        messages.error(
            request,
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": Action(action).label, "state": rules.State(complaint.state).label},
        )
        return redirect(complaint.get_absolute_url())
    departments = selectors.departments_for(request.user, complaint.office_id)
    form = _form_for(action, complaint, departments, request.POST, request.FILES or None)
    if not form.is_valid():
        return _detail(request, complaint, bound={action: form}, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    try:
        services.run_action(
            action=action,
            complaint=complaint,
            by=request.user,
            data=data,
            version=version,
            file=request.FILES.get("file"),
        )
    except ValidationError as exc:
        # Issue 9 item 8: a refused action (a stale tab, a second click) keeps what was typed: the
        # posted fields wait in the session and the page shows them in the form again (issue 8's
        # redirect and message stay).
        messages.error(request, error_text(exc))
        request.session[_KEPT] = {
            "complaint": complaint.pk,
            "action": action,
            "data": {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")},
        }
        return redirect(complaint.get_absolute_url())
    messages.success(request, _("Saved: %(action)s.") % {"action": Action(action).label})
    return redirect(complaint.get_absolute_url())


@require_POST
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_record(request: HttpRequest, complaint_id: int, record: str) -> HttpResponse:
    complaint = selectors.complaint_for_user(request.user, complaint_id)
    if not services.may_fill_records(request.user, complaint):
        raise PermissionDenied  # never offered to this user (issue 8, item 8)
    form_class = {"f1": forms.RecordF1Form, "f2": forms.RecordF2Form, "special": forms.SpecialReportForm}[record]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the record: a required field is missing."))
        return redirect(complaint.get_absolute_url())
    service = {
        "f1": services.record_f1_save,
        "f2": services.record_f2_save,
        "special": services.special_report_save,
    }[record]
    run_service(
        request, lambda: service(complaint=complaint, by=request.user, **form.cleaned_data), success=_("Record saved.")
    )
    return redirect(complaint.get_absolute_url())


@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def attachment_download(request: HttpRequest, complaint_id: int, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_for_user(request.user, complaint_id, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    # Always a download, never rendered by the browser: an uploaded HTML or SVG cannot run here.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
