"""Reports: an office's scorecard over months; the company comparison for QA and the management
representative."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from estates.scoping import offices_for

from .. import forms, reports, rules
from .common import this_month

MONTHS = 12


def _month_office(request: HttpRequest):
    offices = offices_for(request.user)
    form = forms.MonthForm(request.GET or None, offices=offices)
    month, office = rules.previous_month(this_month()), None
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"] or month
        office = form.cleaned_data["office"]
    return form, offices, month, office


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def scorecard(request: HttpRequest) -> HttpResponse:
    form, offices, month, office = _month_office(request)
    office = office or offices.order_by("name").first()
    rows = reports.scorecard(office.pk, month, MONTHS) if office else []
    return render(
        request,
        "inspections/scorecard.html",
        {
            "form": form,
            "office": office,
            "office_id": office.pk if office else None,
            "month": month,
            "previous": rules.add_months(month, -1),
            "next": rules.add_months(month, 1),
            "rows": rows,
            "can_compare": request.user.is_company_wide,
        },
    )


@require_GET
@login_required
@permission_required("inspections.view_check", raise_exception=True)
def comparison(request: HttpRequest) -> HttpResponse:
    if not request.user.is_company_wide:
        raise PermissionDenied
    form, offices, month, _office = _month_office(request)
    return render(
        request,
        "inspections/comparison.html",
        {
            "form": form,
            "month": month,
            "previous": rules.add_months(month, -1),
            "next": rules.add_months(month, 1),
            "rows": reports.comparison(offices.order_by("name"), month),
        },
    )
