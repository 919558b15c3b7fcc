"""Q4: the office's light repair records and the month's return visits, with figures per repairer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clock.services import deadlines_for
from estates.models import Unit
from estates.scoping import offices_for, scoped

from .. import forms, rules, selectors
from ..models import RepairMonth
from ..services import repairs as services
from .common import error_text, form_errors, run, this_month


@require_GET
@login_required
@permission_required("inspections.view_repairrecord", raise_exception=True)
def repair_list(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    form = forms.MonthForm(request.GET or None, offices=offices)
    month, office_id = this_month(), None
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"] or month
        office_id = form.cleaned_data["office"].pk if form.cleaned_data["office"] else None
    months = scoped(RepairMonth.objects.filter(month=month), request.user)
    if office_id:
        months = months.filter(office_id=office_id)
    deadline_rows = [(m, deadlines_for(m).filter(rule=rules.RULE_Q4).first()) for m in months.select_related("office")]
    return render(
        request,
        "inspections/repair_list.html",
        {
            "form": form,
            "month": month,
            "office_id": office_id,
            "previous": rules.add_months(month, -1),
            "next": rules.add_months(month, 1),
            "repairs": selectors.repair_list(request.user, month, office_id),
            "figures": selectors.repairer_figures(request.user, month, office_id),
            "months": deadline_rows,
            "visit_form": forms.VisitForm(),
            "can_visit": request.user.has_perm("inspections.add_repairvisit"),
            # With one office, the register import needs no choice.
            "import_office": offices.first().pk if offices.count() == 1 else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("inspections.add_repairrecord", raise_exception=True)
def repair_create(request: HttpRequest) -> HttpResponse:
    offices = offices_for(request.user)
    units = scoped(Unit.objects.select_related("building__community"), request.user)
    if request.method == "POST":
        form = forms.RepairForm(request.POST, offices=offices, units=units)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.repair_record_create(
                    office=d["office"],
                    by=request.user,
                    unit=d["unit"],
                    what=d["what"],
                    repairer=d["repairer"],
                    done_on=d["done_on"],
                    form_token=d["form_token"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error_text(exc))
            else:
                return redirect(reverse("inspections:repair_list") + f"?month={d['done_on']:%Y-%m}")
    else:
        form = forms.RepairForm(offices=offices, units=units)
    return render(request, "inspections/repair_form.html", {"form": form})


@require_POST
@login_required
@permission_required("inspections.add_repairvisit", raise_exception=True)
def repair_visit(request: HttpRequest, repair_id: int) -> HttpResponse:
    repair = selectors.repair_for_user(request.user, repair_id)
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            lambda: services.repair_visit_record(
                repair=repair,
                by=request.user,
                reached=d["reached"],
                attitude=d["attitude"],
                punctuality=d["punctuality"],
                quality=d["quality"],
                note=d["note"],
            ),
            _("Return visit recorded."),
        )
    else:
        form_errors(request, form)
    return redirect(reverse("inspections:repair_list") + f"?month={repair.done_on:%Y-%m}#repair-{repair.pk}")


@require_POST
@login_required
@permission_required("inspections.add_repairrecord", raise_exception=True)
def repair_import(request: HttpRequest) -> HttpResponse:
    """Q4: take the month's done repair requests from the register."""
    form = forms.DrawForm(request.POST, offices=offices_for(request.user))
    if not form.is_valid():
        form_errors(request, form)
        return redirect("inspections:repair_list")
    d = form.cleaned_data
    found = {}

    def take():
        found["n"] = services.repairs_from_register(office=d["office"], month=d["month"], by=request.user)

    if run(request, take):
        messages.success(request, _("%(n)s repairs taken from the register.") % {"n": found["n"]})
    return redirect(reverse("inspections:repair_list") + f"?month={d['month']:%Y-%m}&office={d['office'].pk}")
