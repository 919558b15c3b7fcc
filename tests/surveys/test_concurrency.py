"""S7 on PostgreSQL: two phones submit the same unit's link at the same moment — one response, the
first kept, the other refused (the database constraint decides, not a read before the write).
Skipped on the embedded SQLite leg; runs on CI's PostgreSQL leg."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from estates.models import Role, Unit
from surveys import services
from surveys.models import Response, SampleUnit
from tests.at_once import at_once
from tests.factories import BuildingFactory, CommunityFactory, UserFactory

PLAN = dict.fromkeys(("purpose", "targets", "content", "scope", "schedule", "requirements"), "计划")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_s7_two_phones_at_once_make_one_response(company, office_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    community = CommunityFactory(office=office_a, households=10)
    building = BuildingFactory(community=community)
    Unit.objects.bulk_create(Unit(building=building, number=str(n)) for n in range(10))
    drafter = UserFactory(username="sup", role=Role.CS_ASSISTANT, company=company, offices=[office_a])
    manager = UserFactory(username="om", role=Role.OFFICE_MANAGER, company=company, offices=[office_a])
    approver = UserFactory(username="qam", role=Role.QA_MANAGER, company=company)
    r = services.round_create(community=community, by=drafter, year=2026, half=1, **PLAN)
    services.plan_submit(survey_round=r, by=drafter)
    services.plan_review(survey_round=r, by=manager)
    services.plan_approve(survey_round=r, by=approver)
    services.sample_draw(survey_round=r, by=drafter, seed="race")
    services.forms_received(survey_round=r, by=drafter)
    su = SampleUnit.objects.filter(round=r).first()
    question = r.questionnaire.questions.first()

    def submit(level: int) -> tuple[str, int]:
        try:
            services.response_submit_online(token=su.token, levels={question.pk: level}, comments={})
        except ValidationError:
            return ("refused", level)
        return ("ok", level)

    outcomes = at_once(lambda: submit(1), lambda: submit(4))
    assert sorted(o for o, _level in outcomes) == ["ok", "refused"]
    kept = next(level for o, level in outcomes if o == "ok")
    assert Response.objects.filter(sample_unit=su).count() == 1
    assert Response.objects.get(sample_unit=su).answers.get().level == kept
