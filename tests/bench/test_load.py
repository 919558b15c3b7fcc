"""bench.load (issue 10): the load client reads the answer form as the product renders it, its
residents' submissions land once each through a real HTTP server (pytest-django's live_server), the
check finds what is wrong, and the clean-up leaves nothing. No timing is asserted."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.db import connection
from django.test import Client

from bench import load_client
from bench.load_setup import MARK, USER_PREFIX, Made, check, purge, setup
from estates.models import Role, Unit, User
from surveys.models import Answer, Question, Questionnaire, Response, SampleUnit, SurveyRound, SurveySettings
from tests.factories import BuildingFactory, CommunityFactory, UserFactory

# A plain Tuesday in working time (Shanghai), first half of 2026.
TUESDAY = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def community(office_a):
    """Occupied 2024 (under 5 years: 30%): 20 occupied units, so 6 links."""
    community = CommunityFactory(office=office_a, occupied_on=datetime.date(2024, 1, 1), households=20)
    building = BuildingFactory(community=community)
    Unit.objects.bulk_create(Unit(building=building, number=f"{100 + i}") for i in range(20))
    UserFactory(username="cs_a", role=Role.CS_ASSISTANT, company=office_a.company, offices=[office_a])
    return community


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY, tick=True):
        yield


def test_setup_hands_out_links_through_the_services_and_purge_removes_everything(frozen, company, community):
    made = Made(company)  # no default questionnaire nor survey settings yet: the set-up makes them
    tokens = setup(company, 5)
    assert len(tokens) == 6  # one round's whole sample: 30% of 20
    r = SurveyRound.objects.get()
    assert r.purpose.startswith(MARK) and r.state == "fieldwork"
    assert SampleUnit.objects.filter(round=r, handed_out_at__isnull=False, handout_channel="link").count() == 6
    assert User.objects.filter(username__startswith=USER_PREFIX).count() == 2  # office manager, QA manager
    assert Questionnaire.objects.filter(company=company).exists()
    purge(company)
    made.undo()
    assert not SurveyRound.objects.exists() and not SampleUnit.objects.exists()
    assert not Questionnaire.objects.exists() and not SurveySettings.objects.exists()
    assert not User.objects.filter(username__startswith=USER_PREFIX).exists()
    assert User.objects.filter(username="cs_a").exists()


def test_client_reads_the_answer_form_as_rendered(frozen, company, community):
    token = setup(company, 1)[0]
    page = load_client.parse_form(Client().get(f"/s/{token}/").content.decode())
    questions = list(SurveyRound.objects.get().questionnaire.questions.order_by("position"))
    items = [q for q in questions if q.kind == "item"]
    assert page.csrf
    assert page.radios == {f"q{q.pk}": ["1", "2", "3", "4", "5"] for q in items}
    assert sorted(page.texts) == sorted(f"c{q.pk}" for q in questions)
    data, sent = load_client.fill(page, random.Random(3))
    assert data.pop("csrfmiddlewaretoken") == page.csrf
    levels = {k: int(v) for k, v in data.items() if k.startswith("q")}
    comments = {k for k in data if k.startswith("c")}
    assert sent == {"answers": len({k[1:] for k in levels} | {k[1:] for k in comments}), "levels": sum(levels.values())}


def test_residents_submit_once_each_through_a_server(frozen, company, community, live_server):
    tokens = setup(company, 6)
    # In-memory SQLite shares one connection between the server's threads: one resident at a time
    # there, and only the "again" resubmit; on PostgreSQL also the two submissions at the same moment.
    concurrent = connection.vendor == "postgresql"
    out = load_client.run(live_server.url, tokens, doubles=2 if concurrent else 1, concurrency=3 if concurrent else 1)
    report = check(out, tokens)
    assert report["problems"] == []
    assert report["thanked"] == report["responses"] == Response.objects.count() == 6
    assert report["5xx"] == 0 and not out["stopped_by_cap"]
    again = out["outcomes"][tokens[0]]
    assert again["posts"] == [200, 404] and again["submitted"] == 1  # the used link: the "unavailable" page
    if concurrent:
        assert sorted(out["outcomes"][tokens[1]]["posts"]) == [200, 404]
    assert Answer.objects.count() == sum(o["answers"] for o in out["outcomes"].values())
    purge(company)
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_check_reports_a_missing_response_and_answers_not_as_sent(frozen, company, community):
    from surveys import services

    tokens = setup(company, 2)[:2]
    q = Question.objects.filter(kind="item").order_by("position").first()
    services.response_submit_online(token=tokens[0], levels={q.pk: 2}, comments={})
    out = {
        "wall_s": 1.0,
        "not_started": [],
        "requests": [["get", 200, 5.0], ["post", 200, 9.0], ["get", 200, 5.0], ["post", 502, 9.0]],
        "outcomes": {
            tokens[0]: {"get": 200, "answers": 1, "levels": 3, "posts": [200], "submitted": 1},
            tokens[1]: {"get": 200, "answers": 1, "levels": 1, "posts": [200], "submitted": 1},
        },
    }
    problems = check(out, tokens)["problems"]
    assert any("1 thanked links without a response" in p for p in problems)
    assert any("answers stored (1, 2) != sent (1, 3)" in p for p in problems)
    assert any("1 requests failed with 5xx" in p for p in problems)
