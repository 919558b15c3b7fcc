"""Q1 findings' corrective actions: QA sets one (owner, due date), the office records what it did,
QA verifies it after an effectiveness check or sends it back. Each through feedback's services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, selectors
from ..services import checks as check_services
from ..services import corrective
from .checks import _owners
from .common import form_errors, run


def _back(finding) -> HttpResponse:
    return redirect(finding.check_run.get_absolute_url() + f"#finding-{finding.pk}")


def _finding_step(request: HttpRequest, finding_id: int, make_form, call, done: str) -> HttpResponse:
    """One step on a finding's corrective action: the finding in the user's offices (404 otherwise),
    the step's form, the service through `run` (its ValidationError becomes a message), back to the
    finding."""
    finding = selectors.finding_for_user(request.user, finding_id)
    form = make_form(finding)
    if form.is_valid():
        run(request, lambda: call(finding, form.cleaned_data), done)
    else:
        form_errors(request, form)
    return _back(finding)


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def finding_action_set(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_step(
        request,
        finding_id,
        lambda finding: forms.ActionSetForm(request.POST, owners=_owners(finding.check_run)),
        lambda finding, data: corrective.finding_set_action(
            finding=finding, by=request.user, owner=data["owner"], due_on=data["due_on"]
        ),
        _("Corrective action set."),
    )


@require_POST
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def finding_action_done(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_step(
        request,
        finding_id,
        lambda finding: forms.ActionDoneForm(request.POST),
        lambda finding, data: corrective.action_done(finding=finding, by=request.user, done_note=data["done_note"]),
        _("Recorded what was done; QA will verify it."),
    )


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def finding_action_verify(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_step(
        request,
        finding_id,
        lambda finding: forms.ActionVerifyForm(request.POST),
        lambda finding, data: corrective.action_verify(
            finding=finding, by=request.user, effectiveness=data["effectiveness"]
        ),
        _("Corrective action verified."),
    )


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def finding_action_send_back(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _finding_step(
        request,
        finding_id,
        lambda finding: forms.ActionSendBackForm(request.POST),
        lambda finding, data: corrective.action_send_back(
            finding=finding, by=request.user, reason=data["reason"], due_on=data["due_on"]
        ),
        _("Corrective action sent back to the office."),
    )


@require_POST
@login_required
@permission_required("inspections.change_check", raise_exception=True)
def finding_photo_add(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = selectors.finding_for_user(request.user, finding_id)
    upload = request.FILES.get("photo")
    if upload is None:
        from django.contrib import messages

        messages.error(request, _("Choose a photo."))
    else:
        run(
            request,
            lambda: check_services.finding_add_photo(finding=finding, by=request.user, upload=upload),
            _("Photo added."),
        )
    return _back(finding)


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def finding_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    photo = selectors.photo_for_user(request.user, photo_id)
    response = FileResponse(photo.file.open("rb"), filename=photo.original_name, content_type=photo.content_type)
    # A photo is shown inline, but nothing in it may run (its type was checked and its bytes cleaned).
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
