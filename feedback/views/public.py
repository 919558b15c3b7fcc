"""The resident page (F1 online): no account, works without JavaScript, in Chinese, at 360 px.

Links and the QR code are built from settings.SITE_URL, never from the request's Host header.
Unknown, expired and used tokens answer alike (the same 404 page), so a guess learns nothing.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from estates.models import Unit
from estates.scoping import get_for_user
from estates.selectors import communities_for

from .. import forms, services
from ..models import Entry, ResidentPage
from ..services.public import Throttled, awaiting_answer, entry_for_token, page_for, page_renew
from .common import add_errors, error_text

PUBLIC_LANGUAGE = "zh-hans"


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR, as django-axes is configured (settings.AXES_IPWARE_META_PRECEDENCE_ORDER): behind a
    # proxy the proxy sets it; a client-sent X-Forwarded-For is never trusted here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _page(key: str) -> ResidentPage:
    page = ResidentPage.objects.select_related("community__office").filter(key=key, active=True).first()
    if page is None:
        raise Http404
    return page


def public_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/public/not_found.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def resident_page(request: HttpRequest, page_key: str) -> HttpResponse:
    translation.activate(PUBLIC_LANGUAGE)
    page = _page(page_key)
    community = page.community
    form = forms.PublicForm(request.POST if request.method == "POST" else None, community=community)
    throttled = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = None
        if d["building"] is not None and d["unit_number"].strip():
            unit = Unit.objects.filter(building=d["building"], number=d["unit_number"].strip()).first()
        unit_text = ""
        if unit is None and (d["building"] or d["unit_number"]):
            unit_text = " ".join(x for x in ((d["building"].name if d["building"] else ""), d["unit_number"]) if x)
        try:
            submission = services.public_submit(
                page=page,
                kind=d["kind"],
                content=d["content"],
                contact_phone=d["contact_phone"],
                contact_name=d["contact_name"],
                unit=unit,
                unit_text=unit_text,
                address=_client_address(request),
                form_token=d["form_token"],
            )
        except Throttled as exc:
            throttled = error_text(exc)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(
                request,
                "feedback/public/thanks.html",
                {
                    "community": community,
                    "entry": submission.entry,
                    "tracking_url": public_url("feedback:tracking", submission.token),
                    "token": submission.token,
                },
            )
    return render(
        request,
        "feedback/public/page.html",
        {"community": community, "form": form, "throttled": throttled},
        status=429 if throttled else (400 if request.method == "POST" else 200),
    )


def _tracking_context(entry: Entry, token: str, form=None) -> dict:
    return {
        "entry": entry,
        "replies": entry.events.filter(public=True).order_by("at", "pk"),
        "awaiting_answer": awaiting_answer(entry),
        "form": form or forms.AnswerForm(),
        "token": token,
    }


@never_cache
@require_GET
def tracking(request: HttpRequest, token: str) -> HttpResponse:
    translation.activate(PUBLIC_LANGUAGE)
    entry = entry_for_token(token)
    if entry is None:
        return _not_found(request)
    response = render(request, "feedback/public/tracking.html", _tracking_context(entry, token))
    # The token is in the address: keep it out of other sites' Referer headers ("same-origin", not
    # "no-referrer": the latter makes the browser send Origin: null, which Django's CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_POST
def tracking_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The resident's "solved? satisfied?" — once; "no" reopens the entry and tells the office."""
    translation.activate(PUBLIC_LANGUAGE)
    entry = entry_for_token(token)
    if entry is None or not awaiting_answer(entry):
        return _not_found(request)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/public/tracking.html", _tracking_context(entry, token, form), status=400)
    try:
        services.entry_resident_answer(entry=entry, solved=form.cleaned_data["solved"], note=form.cleaned_data["note"])
    except ValidationError:
        return _not_found(request)
    return redirect("feedback:tracking", token)


# ---------------------------------------------------------------------------------------------
# Staff side: the QR codes for the notice boards


@require_GET
@login_required
@permission_required("feedback.view_residentpage", raise_exception=True)
def page_list(request: HttpRequest) -> HttpResponse:
    communities = list(communities_for(request.user))
    pages = {p.community_id: p for p in ResidentPage.objects.filter(community__in=communities)}
    rows = [(c, pages.get(c.pk)) for c in communities]
    return render(
        request,
        "feedback/pages.html",
        {"rows": [(c, p, public_url("feedback:resident_page", p.key) if p else "") for c, p in rows]},
    )


@require_POST
@login_required
@permission_required("feedback.change_residentpage", raise_exception=True)
def page_renew_view(request: HttpRequest, community_id: int) -> HttpResponse:
    """Make the page (first time) or give it a new address (an abused page): a new QR code."""
    community = get_for_user(communities_for(request.user), request.user, pk=community_id)
    page = ResidentPage.objects.filter(community=community).first()
    if page is None:
        page_for(community)
    else:
        page_renew(page=page)
    return redirect("feedback:page_list")


@require_GET
@login_required
@permission_required("feedback.view_residentpage", raise_exception=True)
def page_qr(request: HttpRequest, community_id: int) -> HttpResponse:
    community = get_for_user(communities_for(request.user), request.user, pk=community_id)
    page = ResidentPage.objects.filter(community=community, active=True).first()
    if page is None:
        raise Http404
    qr = segno.make(public_url("feedback:resident_page", page.key), error="m")
    return HttpResponse(qr.svg_inline(scale=6, border=2), content_type="image/svg+xml")
