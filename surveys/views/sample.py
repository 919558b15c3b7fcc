"""S4-S7: the sample list with hand-out and collection per unit and channel, swaps, phone checks of
unreturned units, and the printable forms F/QP-8.2-01/001 with each unit's QR link."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from estates.models import Building, Unit

from .. import forms, selectors, services
from ..models import SampleUnit
from .common import run

MAX_PRINT = 400  # forms per print page; print by building beyond this


def _building(request: HttpRequest) -> int | None:
    value = request.GET.get("building") or request.POST.get("building") or ""
    return int(value) if value.isdigit() else None


@require_GET
@login_required
def sample_list(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    building = _building(request)
    rows = list(selectors.sample_list(r, building=building))
    sampled = set(SampleUnit.objects.filter(round=r).values_list("unit_id", flat=True))
    free: dict[int, list[tuple[int, str]]] = {}
    candidates = (
        Unit.objects.filter(building__community=r.community, occupied=True)
        .exclude(pk__in=sampled)
        .order_by("number")
        .values_list("building_id", "pk", "number")
    )
    for building_id, pk, number in candidates:
        free.setdefault(building_id, []).append((pk, number))
    for su in rows:
        su.free_units = free.get(su.building_id, [])
    return render(
        request,
        "surveys/sample.html",
        {
            "round": r,
            "rows": rows,
            "buildings": Building.objects.filter(community=r.community).order_by("name"),
            "building": building,
            "handout_form": forms.HandoutForm(),
            "collect_form": forms.CollectForm(),
        },
    )


def _selected(request: HttpRequest, r) -> list[SampleUnit]:
    ids = [int(v) for v in request.POST.getlist("units") if v.isdigit()]
    return list(SampleUnit.objects.filter(round=r, pk__in=ids).select_related("unit"))


def _back(r, building):
    url = reverse("surveys:sample", args=[r.pk])
    return redirect(f"{url}?building={building}" if building else url)


@require_POST
@login_required
def sample_handout(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    form = forms.HandoutForm(request.POST)
    if form.is_valid():
        run(
            request,
            services.handout_record,
            success=_("Hand-out recorded."),
            survey_round=r,
            by=request.user,
            sample_units=_selected(request, r),
            channel=form.cleaned_data["channel"],
        )
    return _back(r, _building(request))


@require_POST
@login_required
def sample_collect(request: HttpRequest, round_id: int) -> HttpResponse:
    r = selectors.round_for_user(request.user, round_id)
    form = forms.CollectForm({"channel": request.POST.get("collect_channel") or request.POST.get("channel")})
    if form.is_valid():
        run(
            request,
            services.collect_record,
            success=_("Collection recorded."),
            survey_round=r,
            by=request.user,
            sample_units=_selected(request, r),
            channel=form.cleaned_data["channel"],
        )
    return _back(r, _building(request))


@require_POST
@login_required
def sample_swap(request: HttpRequest, round_id: int, sample_id: int) -> HttpResponse:
    su = selectors.sample_unit_for_user(request.user, round_id, sample_id)
    form = forms.SwapForm(request.POST)
    if form.is_valid():
        replacement = Unit.objects.filter(pk=form.cleaned_data["replacement"], building_id=su.building_id).first()
        if replacement is None:
            from django.contrib import messages

            messages.error(request, _("Swap for a unit in the same building (S4)."))
        else:
            run(
                request,
                services.sample_swap,
                success=_("Unit swapped."),
                sample_unit=su,
                by=request.user,
                replacement=replacement,
                reason=form.cleaned_data["reason"],
            )
    return _back(su.round, su.building_id)


@require_POST
@login_required
def sample_check(request: HttpRequest, round_id: int, sample_id: int) -> HttpResponse:
    su = selectors.sample_unit_for_user(request.user, round_id, sample_id)
    form = forms.CheckForm(request.POST)
    if form.is_valid():
        run(
            request,
            services.unreturned_check,
            success=_("Phone check recorded."),
            sample_unit=su,
            by=request.user,
            note=form.cleaned_data["note"],
        )
    return _back(su.round, su.building_id)


def answer_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('surveys_public:answer', args=[token])}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno), no external image, sized for print."""
    return mark_safe(  # noqa: S308 - segno's own SVG of a URL we built
        segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000", omitsize=False)
    )


@require_GET
@login_required
def forms_print(request: HttpRequest, round_id: int) -> HttpResponse:
    """S20: one A4 form F/QP-8.2-01/001 per sampled unit (all, or one building), each with a QR code of
    the unit's private answer link."""
    r = selectors.round_for_user(request.user, round_id)
    building = _building(request)
    rows = list(selectors.sample_list(r, building=building).filter(active=True)[: MAX_PRINT + 1])
    truncated = len(rows) > MAX_PRINT
    sheets = [{"su": su, "url": answer_url(su.token), "qr": qr_svg(answer_url(su.token))} for su in rows[:MAX_PRINT]]
    questions = list(r.questionnaire.questions.all())
    return render(
        request,
        "surveys/print_forms.html",
        {"round": r, "sheets": sheets, "questions": questions, "truncated": truncated, "levels": _levels()},
    )


def _levels():
    from ..rules import Level

    return Level.choices
