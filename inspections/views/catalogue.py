"""Q5: the office's service catalogue, each community's public page and its QR code (from SITE_URL)."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from estates.models import Community
from estates.scoping import get_for_user, offices_for, scoped

from .. import forms, selectors
from ..models import ServiceOffering
from ..services import catalogue as services
from .common import error_text


@require_GET
@login_required
@permission_required("inspections.view_serviceoffering", raise_exception=True)
def offering_list(request: HttpRequest) -> HttpResponse:
    offerings = selectors.offerings_for(request.user).order_by("office__name", "kind", "order", "name")[:500]
    communities = scoped(Community.objects.select_related("office"), request.user).order_by("office__name", "name")[
        :200
    ]
    return render(
        request,
        "inspections/offering_list.html",
        {
            "offerings": offerings,
            "communities": communities,
            "can_edit": request.user.has_perm("inspections.change_serviceoffering"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("inspections.add_serviceoffering", raise_exception=True)
def offering_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("inspections.change_serviceoffering", raise_exception=True)
def offering_edit(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _edit(request, selectors.offering_for_user(request.user, offering_id))


def _edit(request: HttpRequest, offering: ServiceOffering | None) -> HttpResponse:
    offices = offices_for(request.user)
    form = forms.OfferingForm(request.POST or None, instance=offering, offices=offices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.offering_save(
                office=offering.office if offering else d["office"],
                by=request.user,
                offering=offering,
                kind=d["kind"],
                name=d["name"],
                price=d["price"],
                price_unit=d["price_unit"],
                promise=d["promise"],
                active=d["active"],
                order=d["order"],
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("inspections:offering_list")
    return render(request, "inspections/offering_form.html", {"form": form, "offering": offering})


def _public_url(community: Community) -> str:
    return settings.SITE_URL + reverse("inspections:public_services", args=[services.community_token(community)])


@require_GET
@login_required
@permission_required("inspections.view_serviceoffering", raise_exception=True)
def community_qr(request: HttpRequest, community_id: int) -> HttpResponse:
    """The QR code of a community's public service page, as SVG (the link is built from SITE_URL,
    never from the request's Host header)."""
    community = get_for_user(Community, request.user, pk=community_id)
    buffer = io.BytesIO()
    segno.make(_public_url(community), error="m").save(buffer, kind="svg", scale=6, title=community.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_GET
@login_required
@permission_required("inspections.view_serviceoffering", raise_exception=True)
def community_page_open(request: HttpRequest, community_id: int) -> HttpResponse:
    community = get_for_user(Community, request.user, pk=community_id)
    return redirect(_public_url(community))


@require_GET
def public_services(request: HttpRequest, token) -> HttpResponse:
    """Q5 public page (no login): the community's office's services, prices and promises."""
    community = services.community_from_token(token)
    if community is None:
        raise Http404
    offerings = ServiceOffering.objects.filter(office=community.office, active=True).order_by("kind", "order", "name")
    return render(
        request,
        "inspections/public_services.html",
        {
            "community": community,
            "office": community.office,
            "offerings": offerings,
            "title": _("Our services"),
        },
    )
