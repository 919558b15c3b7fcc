"""Q3: what the open letter promised is tracked to done by the office and verified by QA in the check,
until residents are satisfied; the promises and the survey deadlines are figures of the check."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from inspections.models import CheckFigure
from inspections.services import checks
from surveys.models import OpenLetter, OpenLetterPromise
from tests.office_objects import Context
from tests.office_objects.surveys import _survey_round


@pytest.fixture
def promise(company, office_a, office_b, unit_a, frontdesk_a, qa, check_a):
    ctx = Context(
        company=company,
        office_a=office_a,
        office_b=office_b,
        unit_a=unit_a,
        frontdesk_a=frontdesk_a,
        insider=frontdesk_a,
        outsider=frontdesk_a,
    )
    letter = _survey_round(ctx).letter
    letter.state = OpenLetter.State.APPROVED
    letter.save()
    return OpenLetterPromise.objects.create(letter=letter, position=1, text="一个月内修复小区东门路灯")


def test_q3_qa_verifies_an_open_letter_promise_in_the_check(client, promise, check_a, qa, cs_a):
    from surveys.services.followup import promise_update

    with translation.override("en"):  # the figure's wording (and word order) is the stored language's
        checks.check_refresh_figures(check=check_a)
    figure = CheckFigure.objects.get(check_run=check_a, key="surveys.promises")
    assert figure.value.startswith("0") and "Q3" in figure.source

    client.force_login(qa)
    page = client.get(check_a.get_absolute_url()).content.decode()
    assert "一个月内修复小区东门路灯" in page
    promise_update(promise=promise, by=cs_a, state="done", note="路灯已更换")
    url = reverse("inspections:check_letter_promise", args=[check_a.pk])
    client.post(url, {"promise": promise.pk, "state": "open", "note": "住户反映仍有一盏不亮"})
    promise.refresh_from_db()
    assert promise.state == "open"  # sent back: residents not satisfied yet
    promise_update(promise=promise, by=cs_a, state="done", note="全部更换")
    client.post(url, {"promise": promise.pk, "state": "verified", "note": "回访3户均满意"})
    promise.refresh_from_db()
    assert promise.state == "verified" and promise.verified_by == qa

    with translation.override("en"):
        checks.check_refresh_figures(check=check_a)
    assert CheckFigure.objects.get(check_run=check_a, key="surveys.promises").value.startswith("1 of 1")


def test_q3_office_cannot_verify_and_other_offices_promise_is_404(client, promise, check_a, cs_a, office_b, standard):
    from surveys.services.followup import promise_update

    promise_update(promise=promise, by=cs_a, state="done")
    client.force_login(cs_a)
    r = client.post(
        reverse("inspections:check_letter_promise", args=[check_a.pk]), {"promise": promise.pk, "state": "verified"}
    )
    assert r.status_code == 403
    other = checks.check_open(office=office_b, standard=standard, period_start=check_a.period_start)[0]
    from estates.models import User

    client.force_login(User.objects.get(username="qa"))
    r = client.post(
        reverse("inspections:check_letter_promise", args=[other.pk]), {"promise": promise.pk, "state": "verified"}
    )
    assert r.status_code == 404
    promise.refresh_from_db()
    assert promise.state == "done"


def test_q3_survey_deadlines_are_a_figure(check_a):
    checks.check_refresh_figures(check=check_a)
    assert CheckFigure.objects.get(check_run=check_a, key="surveys.deadlines").value.startswith("0 / 0")
