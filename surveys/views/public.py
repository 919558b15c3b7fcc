"""The residents' pages, with no account: the answer page behind a unit's private link (S7) and the
community's results page for the notice board (S19). Unknown, closed and used links get the same
answer, and a client that keeps trying links that do not work is throttled."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .. import forms, selectors, services
from ..models import Response, SurveyRound
from .sample import qr_svg

THROTTLE_LIMIT = 20  # links that do not work, per client, per window
THROTTLE_WINDOW = 600  # seconds


def _client(request: HttpRequest) -> str:
    # The same client address the login lockout uses (django-axes, configured in settings), so a proxy
    # set up for one is set up for both.
    return get_client_ip_address(request) or "unknown"


def _throttled(request: HttpRequest) -> bool:
    return (cache.get(f"surveys:bad:{_client(request)}") or 0) >= THROTTLE_LIMIT


def _count_bad(request: HttpRequest) -> None:
    key = f"surveys:bad:{_client(request)}"
    if cache.add(key, 1, THROTTLE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, THROTTLE_WINDOW)


def _unavailable(request: HttpRequest, *, throttled: bool = False) -> HttpResponse:
    # One answer for unknown, closed and used links: nothing tells them apart.
    return render(
        request, "surveys/public/unavailable.html", {"throttled": throttled}, status=429 if throttled else 404
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if _throttled(request):
        return _unavailable(request, throttled=True)
    su = services.open_sample_unit(token)
    if su is None:
        _count_bad(request)
        return _unavailable(request)
    questions = list(su.round.questionnaire.questions.all())
    form = forms.AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit_online(token=token, levels=form.levels(), comments=form.comments())
        except ValidationError:
            _count_bad(request)
            return _unavailable(request)
        return render(request, "surveys/public/thanks.html", {"round": su.round})
    return render(request, "surveys/public/answer.html", {"su": su, "round": su.round, "form": form})


@require_GET
def results(request: HttpRequest, public_token: str) -> HttpResponse:
    """S19: the community's results for the notice board — figures only, no personal data."""
    r = (
        SurveyRound.objects.select_related("community", "office", "questionnaire")
        .filter(public_token=public_token, results_posted_at__isnull=False)
        .first()
    )
    if r is None:
        raise Http404
    stats = selectors.round_statistics(r)
    url = f"{settings.SITE_URL}{reverse('surveys_public:results', args=[r.public_token])}"
    returned = Response.objects.filter(sample_unit__round=r, sample_unit__active=True).count()
    return render(
        request,
        "surveys/public/results.html",
        {
            "round": r,
            "community": stats["community"],
            "rates": selectors.return_rates(r),
            "returned": returned,
            "qr": qr_svg(url),
            "url": url,
            "letter": getattr(r, "letter", None) if r.letter_posted_at else None,
        },
    )
