"""Personas and places of the survey procedure, on top of tests/conftest.py's (front desk A, QA,
outsider B): the customer service supervisor who drafts, the office manager who reviews, the QA
manager who approves for the company, the management representative."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estates.models import Role, Unit
from surveys import services
from surveys.models import SampleUnit
from tests.factories import BuildingFactory, CommunityFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")
# A plain Tuesday in working time, in the first half of 2026.
TUESDAY_10 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SH)

PLAN = {
    "purpose": "了解业主对管理处服务的满意程度",
    "targets": "科信小区入住业主",
    "content": "客户服务、安全、清洁、绿化、维修等",
    "scope": "按楼栋比例抽样",
    "schedule": "3月10日至3月25日，客服部",
    "requirements": "不满意项目逐一回访",
}


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def community_a(office_a):
    """Occupied 2016 (over 5 years: 15%), 3 buildings of 40, 30 and 20 occupied units + 2 empty."""
    community = CommunityFactory(
        office=office_a, name="科信小区", occupied_on=datetime.date(2016, 6, 18), households=92
    )
    units = []
    for name, count in (("1栋", 40), ("2栋", 30), ("3栋", 20)):
        building = BuildingFactory(community=community, name=name)
        units += [Unit(building=building, number=f"{100 + i}") for i in range(1, count + 1)]
        units.append(Unit(building=building, number="999", occupied=False))
    Unit.objects.bulk_create(units)
    return community


def _user(username, role, office=None, company=None):
    company = company or office.company
    return UserFactory(username=username, role=role, company=company, offices=[office] if office else [])


@pytest.fixture
def supervisor_a(office_a):
    return _user("supervisor_a", Role.CS_ASSISTANT, office_a)


@pytest.fixture
def staff2_a(office_a):
    return _user("staff2_a", Role.FRONT_DESK, office_a)


@pytest.fixture
def officemanager_a(office_a):
    return _user("officemanager_a", Role.OFFICE_MANAGER, office_a)


@pytest.fixture
def qamanager(company, office_a):
    return _user("qamanager", Role.QA_MANAGER, company=company)


@pytest.fixture
def mgmtrep(company, office_a):
    return _user("mgmtrep", Role.MGMT_REP, company=company)


@pytest.fixture
def approved_round(frozen, community_a, supervisor_a, officemanager_a, qamanager):
    r = services.round_create(community=community_a, by=supervisor_a, year=2026, half=1, **PLAN)
    services.plan_submit(survey_round=r, by=supervisor_a)
    services.plan_review(survey_round=r, by=officemanager_a)
    services.plan_approve(survey_round=r, by=qamanager)
    return r


@pytest.fixture
def fieldwork_round(approved_round, supervisor_a):
    services.sample_draw(survey_round=approved_round, by=supervisor_a, seed="seed-1")
    services.forms_received(survey_round=approved_round, by=supervisor_a)
    approved_round.refresh_from_db()
    return approved_round


def answer_all(survey_round, levels_by_code: dict[str, int | None], n: int, by=None, channel="staff"):
    """Key `n` forms with the same levels (by question code)."""
    questions = {q.code: q.pk for q in survey_round.questionnaire.questions.all()}
    levels = {questions[c]: v for c, v in levels_by_code.items()}
    sample = list(SampleUnit.objects.filter(round=survey_round, active=True, response__isnull=True)[:n])
    for su in sample:
        services.response_enter(sample_unit=su, by=by, channel=channel, levels=levels, comments={})
    return sample


def close_round(survey_round, by, checker, reason="住户外出"):
    """Verify 2 unreturned units by phone, then close collection (S8)."""
    for su in SampleUnit.objects.filter(round=survey_round, active=True, response__isnull=True)[:2]:
        services.unreturned_check(sample_unit=su, by=checker, note="电话确认")
    return services.collection_close(survey_round=survey_round, by=by, reason=reason)
