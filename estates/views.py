"""Pages of the estates app: the units and residents browser, the typeahead, the Excel import.

Views parse, call one service or selector, render (STYLE.md 9). Every object lookup goes through
estates.scoping.get_for_user, so another office's unit is a 404 (foundation issue, section 7).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from . import importer, selectors, unit_history
from .forms import ImportForm, ResidentSearchForm, UnitFilterForm
from .models import Resident, Unit
from .scoping import get_for_user

UNITS_PAGE_SIZE = 50
MATCHED = {
    "phone": gettext_lazy("phone matched"),
    "name": gettext_lazy("name matched"),
    "unit": gettext_lazy("unit matched"),
}


@require_GET
@login_required
@permission_required("estates.view_unit", raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None, communities=selectors.communities_for(request.user))
    units = selectors.units_for(request.user)
    if form.is_valid():
        if form.cleaned_data["community"] is not None:
            units = units.filter(building__community=form.cleaned_data["community"])
        q = form.cleaned_data["q"].strip()
        if q:
            who = Q(name__icontains=q)
            if len(re.sub(r"\D", "", q)) >= selectors.PHONE_MIN_DIGITS:
                who |= Q(phone__contains=q)
            matching_residents = Resident.objects.filter(who).values("unit_id")
            where = Q(number__startswith=q) | Q(pk__in=matching_residents)
            label = selectors.unit_condition(q)  # issue 9: "1栋-502" and the label as shown
            if label is not None:
                where |= label
            units = units.filter(where)
    # One page of units, and their residents in one more query: a fixed count whatever the rows.
    units = units.prefetch_related(Prefetch("residents", queryset=Resident.objects.order_by("name")))
    page = Paginator(units, UNITS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "estates/unit_list.html",
        {"form": form, "page_obj": page, "units": page.object_list, "query": query.urlencode()},
    )


@require_GET
@login_required
@permission_required("estates.view_unit", raise_exception=True)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_for_user(Unit.objects.select_related("building__community__office"), request.user, pk=unit_id)
    residents = unit.residents.order_by("-is_owner", "name")
    # Issue 9: the unit's past complaints and register entries, each app's section from its provider
    # (estates may not import them), one query each, inside the user's offices.
    history = unit_history.sections(request.user, unit)
    return render(request, "estates/unit_detail.html", {"unit": unit, "residents": residents, "history": history})


@require_GET
@login_required
@permission_required("estates.view_resident", raise_exception=True)
def resident_search(request: HttpRequest) -> JsonResponse:
    """The typeahead of complaint intake: at most 20 residents of the user's offices, phone masked."""
    form = ResidentSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = [
        {
            "id": r.pk,
            "name": r.name,
            "unit": selectors.unit_label(r.unit),
            "unit_id": r.unit_id,
            "phone": selectors.mask_phone(r.phone),
            # Issue 9: the result says what matched.
            "matched": str(MATCHED[selectors.what_matched(r, query)]),
        }
        for r in selectors.resident_search(request.user, query)
    ]
    return JsonResponse({"results": results})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("estates.import_estates", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "estates/import.html", {"form": ImportForm(user=request.user)})
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "estates/import.html", {"form": form})
    upload = form.cleaned_data["file"]
    try:
        result = importer.import_estates(
            user=request.user, office=form.cleaned_data["office"], file=upload, name=upload.name, size=upload.size
        )
    except importer.ImportFileError as exc:
        form.add_error("file", str(exc))
        return render(request, "estates/import.html", {"form": form})
    if not result.saved:
        # Every bad row, with its row number and reason; nothing was saved.
        return render(
            request,
            "estates/import_result.html",
            {"form": ImportForm(user=request.user), "result": result, "file_name": upload.name},
        )
    messages.success(
        request,
        _(
            "Imported %(rows)d rows: %(buildings)d buildings added, %(units_new)d units added, "
            "%(units_changed)d units updated, %(residents_new)d residents added, %(residents_changed)d updated."
        )
        % {
            "rows": len(result.plan.rows),
            "buildings": result.buildings_created,
            "units_new": result.units_created,
            "units_changed": result.units_updated,
            "residents_new": result.residents_created,
            "residents_changed": result.residents_updated,
        },
    )
    return redirect("estates:units")


@require_GET
@login_required
@permission_required("estates.import_estates", raise_exception=True)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importer.template_workbook(), content_type=importer.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="tingjian-units-template.xlsx"'
    return response
