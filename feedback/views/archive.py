"""The monthly archive (F2) and corrective and preventive actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import forms, selectors, services
from ..models import ActionState
from ..rules import Channel, Kind
from ..services.actions import may_record_done, may_verify
from ..services.archive import may_approve
from .common import add_errors, error_text

LIST_LIMIT = 60


@require_GET
@login_required
@permission_required("feedback.view_monthlyarchive", raise_exception=True)
def archive_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.archives_for(request.user)[: LIST_LIMIT + 1])
    return render(request, "feedback/archive_list.html", {"rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT})


def figures(archive) -> dict:
    """The snapshot's figures with their labels, for the page, the print view and the export."""
    data = archive.data or {}
    kinds = dict(Kind.choices)
    channels = dict(Channel.choices)
    earlier = data.get("earlier", [])
    previous_total = earlier[0]["total"] if earlier else None
    return {
        "total": data.get("total", 0),
        "by_kind": [(kinds.get(r["code"], r["code"]), r["count"]) for r in data.get("by_kind", [])],
        "by_channel": [(channels.get(r["code"], r["code"]), r["count"]) for r in data.get("by_channel", [])],
        "by_category": [(r["label"], r["count"]) for r in data.get("by_category", [])],
        "pareto": data.get("pareto", []),
        "earlier": earlier,
        "change": None if previous_total is None else data.get("total", 0) - previous_total,
        "open_count": data.get("open_count", 0),
        "open_ids": data.get("open_ids", []),
    }


def chart(fig: dict) -> dict:
    """The Pareto chart's data for pareto.js (json_script)."""
    rows = fig["pareto"]
    return {
        "labels": [r["label"] for r in rows],
        "counts": [r["count"] for r in rows],
        "cumulative": [r["cumulative"] for r in rows],
    }


def _detail(request: HttpRequest, archive, analysis_form=None, action_form=None, status: int = 200) -> HttpResponse:
    fig = figures(archive)
    return render(
        request,
        "feedback/archive_detail.html",
        {
            "archive": archive,
            "fig": fig,
            "chart": chart(fig),
            "open_entries": selectors.open_entries(request.user, fig["open_ids"]),
            "actions": archive.actions.select_related("owner", "department").order_by("due_on", "pk"),
            "analysis_form": analysis_form
            or forms.AnalysisForm(initial={"analysis": archive.analysis, "meeting_note": archive.meeting_note}),
            "action_form": action_form
            or forms.ActionForm(
                staff=selectors.staff_for(request.user), departments=selectors.departments_for(request.user)
            ),
            "can_edit": archive.is_draft and request.user.has_perm("feedback.change_monthlyarchive"),
            "can_approve": archive.is_draft and may_approve(request.user, archive),
        },
        status=status,
    )


@require_GET
@login_required
@permission_required("feedback.view_monthlyarchive", raise_exception=True)
def archive_detail(request: HttpRequest, archive_id: int) -> HttpResponse:
    return _detail(request, selectors.archive_for_user(request.user, archive_id))


@require_GET
@login_required
@permission_required("feedback.view_monthlyarchive", raise_exception=True)
def archive_print(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    fig = figures(archive)
    return render(
        request,
        "feedback/archive_print.html",
        {
            "archive": archive,
            "fig": fig,
            "chart": chart(fig),
            "actions": archive.actions.select_related("owner", "department").order_by("due_on", "pk"),
        },
    )


@require_POST
@login_required
@permission_required("feedback.change_monthlyarchive", raise_exception=True)
def archive_analysis(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    form = forms.AnalysisForm(request.POST)
    if form.is_valid():
        try:
            services.archive_save_analysis(archive=archive, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(archive.get_absolute_url())
    return _detail(request, archive, analysis_form=form, status=400)


@require_POST
@login_required
@permission_required("feedback.change_monthlyarchive", raise_exception=True)
def archive_refresh(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    try:
        services.archive_refresh(archive=archive, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Figures recomputed."))
    return redirect(archive.get_absolute_url())


@require_POST
@login_required
@permission_required("feedback.view_monthlyarchive", raise_exception=True)
def archive_approve(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    try:
        services.archive_approve(archive=archive, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Approved. The archive is now read-only."))
    return redirect(archive.get_absolute_url())


@require_POST
@login_required
@permission_required("feedback.add_correctiveaction", raise_exception=True)
def archive_action_create(request: HttpRequest, archive_id: int) -> HttpResponse:
    archive = selectors.archive_for_user(request.user, archive_id)
    form = forms.ActionForm(
        request.POST, staff=selectors.staff_for(request.user), departments=selectors.departments_for(request.user)
    )
    if form.is_valid():
        try:
            services.action_create(office=archive.office, by=request.user, archive=archive, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Corrective action set."))
            return redirect(archive.get_absolute_url())
    return _detail(request, archive, action_form=form, status=400)


# ---------------------------------------------------------------------------------------------
# Corrective actions


@require_GET
@login_required
@permission_required("feedback.view_correctiveaction", raise_exception=True)
def action_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "live")
    qs = selectors.actions_for(request.user)
    if state == "live":
        qs = qs.exclude(state=ActionState.VERIFIED)
    elif state in ActionState.values:
        qs = qs.filter(state=state)
    rows = list(qs.order_by("due_on", "pk")[: LIST_LIMIT + 1])
    return render(
        request,
        "feedback/action_list.html",
        {"rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT, "state": state, "states": ActionState.choices},
    )


def _action_detail(request: HttpRequest, action, status: int = 200, **form_overrides) -> HttpResponse:
    context = {
        "action": action,
        "done_form": forms.DoneForm(),
        "verify_form": forms.VerifyForm(initial={"effectiveness": action.effectiveness}),
        "send_back_form": forms.SendBackForm(),
        "can_done": action.state == ActionState.OPEN and may_record_done(request.user, action),
        "can_verify": action.state == ActionState.DONE and may_verify(request.user, action),
    }
    context.update(form_overrides)
    return render(request, "feedback/action_detail.html", context, status=status)


@require_GET
@login_required
@permission_required("feedback.view_correctiveaction", raise_exception=True)
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    return _action_detail(request, selectors.action_for_user(request.user, action_id))


@require_POST
@login_required
@permission_required("feedback.view_correctiveaction", raise_exception=True)
def action_step(request: HttpRequest, action_id: int, step: str) -> HttpResponse:
    """record done / verify / send back: one service each, the form of that step."""
    action = selectors.action_for_user(request.user, action_id)
    form_class, name, call = {
        "done": (forms.DoneForm, "done_form", services.action_record_done),
        "verify": (forms.VerifyForm, "verify_form", services.action_verify),
        "send_back": (forms.SendBackForm, "send_back_form", services.action_send_back),
    }[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(action.get_absolute_url())
    return _action_detail(request, action, status=400, **{name: form})
