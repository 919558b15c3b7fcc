"""The complaint lists: the list (C2, keyset-paged), the return-visit queue (C12) and the work
information log (WY7.2.3-G01-F2). Pages that only read: no request transaction (config/settings/base.py,
ATOMIC_REQUESTS). Split from views.py (STYLE 19)."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from estates.scoping import office_ids_for, offices_for, remember_office_ids
from estates.selectors import unit_filter

from . import forms, selectors, views_rows

PAGE_SIZE = 25


def filters(request: HttpRequest) -> tuple[forms.FilterForm, selectors.Filters]:
    form = forms.FilterForm(request.GET or None, offices=offices_for(request.user))
    # One query for the office select's options and the user's scope (issue 10): the select lists
    # exactly offices_for(user), and office_ids_for need not ask again in this request.
    remember_office_ids(request.user, form.fields["office"].queryset)
    f = selectors.Filters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        f = selectors.Filters(
            office=d["office"].pk if d["office"] else None,
            complaint_class=d["complaint_class"],
            state=d["state"],
            overdue=d["overdue"],
            channel=d["channel"],
            category=d["category"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            text=d["text"],
            sort=d["sort"] or selectors.DEFAULT_SORT,
            unit=d["unit"],
        )
    return form, f


def querystring(request: HttpRequest, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request: HttpRequest) -> HttpResponse:
    form, f = filters(request)
    # Keyset paging, no count of the scope: page 2000 costs what page 1 costs (issue 10).
    page = selectors.complaint_list_page(request.user, f, request.GET.get("after"), size=PAGE_SIZE)
    many_offices = len(office_ids_for(request.user)) > 1
    return render(
        request,
        "complaints/list.html",
        {
            "form": form,
            "page_obj": page,
            "complaints": page.object_list,
            "rows": views_rows.complaint_list_rows(page.object_list, many_offices=many_offices),
            "sort": f.sort,
            "qs": querystring(request, ("page", "after")),
            "qs_nosort": querystring(request, ("page", "after", "sort")),
            "many_offices": many_offices,
            "unit_filter": unit_filter(request.user, f.unit),
            "without_unit": querystring(request, ("page", "after", "unit")),
            "sorts": [
                ("-received", _("Newest")),
                ("received", _("Oldest")),
                ("due", _("Next due")),
                ("class", _("Class")),
                ("state", _("State")),
                ("number", _("Number")),
            ],
        },
    )


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def return_visit_queue(request: HttpRequest) -> HttpResponse:
    page = selectors.return_visit_queue_page(request.user, request.GET.get("after"), size=PAGE_SIZE)
    # C12's rates over the last 12 months of intake: what the office is doing now, and a cost that does
    # not grow with the years of history kept (issue 10).
    rates = selectors.rates(request.user, date_from=timezone.localdate() - datetime.timedelta(days=365))
    return render(
        request,
        "complaints/return_visits.html",
        {
            "page_obj": page,
            "complaints": page.object_list,
            "rates": rates,
            "qs": querystring(request, ("page", "after")),
            "many_offices": len(office_ids_for(request.user)) > 1,
        },
    )


@transaction.non_atomic_requests  # a page that only reads: see config/settings/base.py, ATOMIC_REQUESTS
@require_GET
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def work_log(request: HttpRequest) -> HttpResponse:
    form, f = filters(request)
    page = selectors.work_log_page(request.user, f, request.GET.get("after"), size=PAGE_SIZE)
    return render(
        request,
        "complaints/work_log.html",
        {
            "form": form,
            "page_obj": page,
            "complaints": page.object_list,
            "rows": views_rows.work_log_rows(page.object_list),
            "qs": querystring(request, ("page", "after")),
        },
    )
