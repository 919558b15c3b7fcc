"""Q1 spot checks and Q2 verification call-backs: draw the month's sample, work the call-back queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from estates.scoping import offices_for

from .. import forms, rules, selectors
from ..services import callbacks as services
from .common import form_errors, run, this_month

LIST_LIMIT = 60


@require_GET
@login_required
@permission_required("inspections.view_callbacksample", raise_exception=True)
def sample_list(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    samples = selectors.samples_for(request.user).order_by("-month", "office__name")[:LIST_LIMIT]
    form = forms.DrawForm(offices=offices, initial={"month": rules.previous_month(this_month())})
    return render(request, "inspections/sample_list.html", {"samples": samples, "form": form, "limit": LIST_LIMIT})


@require_POST
@login_required
@permission_required("inspections.add_callbacksample", raise_exception=True)
def sample_draw(request: HttpRequest) -> HttpResponse:
    form = forms.DrawForm(request.POST, offices=offices_for(request.user))
    if not form.is_valid():
        form_errors(request, form)
        return redirect("inspections:sample_list")
    found = {}

    def draw():
        found["sample"] = services.sample_draw(
            office=form.cleaned_data["office"], month=form.cleaned_data["month"], by=request.user
        )

    if run(request, draw, _("Sample drawn.")):
        return redirect("inspections:sample_detail", callback_sample_id=found["sample"].pk)
    return redirect("inspections:sample_list")


@require_GET
@login_required
@permission_required("inspections.view_callbacksample", raise_exception=True)
def sample_detail(request: HttpRequest, callback_sample_id: int) -> HttpResponse:
    sample = selectors.sample_for_user(request.user, callback_sample_id)
    items = list(selectors.callback_queue(sample))
    return render(
        request,
        "inspections/sample_detail.html",
        {
            "sample": sample,
            "items": items,
            "form": forms.CallbackForm(),
            "can_reopen": {kind: services.can_reopen(kind) for kind in ("resident", "complaint", "entry")},
        },
    )


@require_POST
@login_required
@permission_required("inspections.change_callbackitem", raise_exception=True)
def callback_record(request: HttpRequest, callback_id: int) -> HttpResponse:
    item = selectors.callback_item_for_user(request.user, callback_id)
    form = forms.CallbackForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.callback_record(
                item=item,
                by=request.user,
                reached=d["reached"],
                handled=d["handled"],
                satisfied=d["satisfied"],
                note=d["note"],
                on_failure=d["on_failure"] or "finding",
            ),
            _("Call-back recorded."),
        )
    else:
        form_errors(request, form)
    return redirect(reverse("inspections:sample_detail", args=[item.sample_id]) + f"#cb-{item.pk}")
