"""The demo surveys: a finished round with an earlier one to compare, a round in collection with
online answers, an open letter awaiting the management representative; idempotent."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from surveys import demo, selectors
from surveys.models import OpenLetter, Response, RoundState, SurveyRound

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_surveys_and_idempotent():
    from estates import demo as estates_demo

    company = estates_demo.seed()
    assert demo.seed(company, now=NOW) == 4
    older = SurveyRound.objects.filter(community__name="科信小区").order_by("year", "half")
    assert [(r.year, r.half, r.state) for r in older] == [
        (2025, 2, RoundState.ANALYSED),
        (2026, 1, RoundState.ANALYSED),
        (2026, 2, RoundState.ANALYSED),
    ]
    finished = older[1]
    assert finished.results_posted_at and finished.sent_to_qa_at and finished.mr_reviewed_at
    stats = selectors.round_statistics(finished)
    assert stats["community"].overall is not None
    assert [r.pk for r, _s in stats["earlier"]] == [older[0].pk]
    assert OpenLetter.objects.filter(round=older[2], state=OpenLetter.State.SUBMITTED).exists()
    collecting = SurveyRound.objects.get(community__name="翠湖苑")
    assert collecting.state == RoundState.FIELDWORK
    assert Response.objects.filter(sample_unit__round=collecting, channel="online").exists()
    assert demo.seed(company, now=NOW) == 0
