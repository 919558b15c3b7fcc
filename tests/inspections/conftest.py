"""Personas and places of QA inspections, on top of tests/conftest.py's (front desk A, QA, outsider B)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estates.models import Role
from inspections.services import standards
from tests.factories import UserFactory

SH = ZoneInfo("Asia/Shanghai")
# A plain Tuesday in working time in March 2026.
MARCH_10 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SH)


@pytest.fixture
def frozen():
    with time_machine.travel(MARCH_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager_a(office_a):
    return UserFactory(username="manager_a", role=Role.OFFICE_MANAGER, company=office_a.company, offices=[office_a])


@pytest.fixture
def cs_a(office_a):
    return UserFactory(username="cs_a", role=Role.CS_ASSISTANT, company=office_a.company, offices=[office_a])


@pytest.fixture
def mr(company):
    return UserFactory(username="mr", role=Role.MGMT_REP, company=company)


@pytest.fixture
def standard(company, frozen):
    """The shipped default standard, its first version made on 1 March 2026."""
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=SH), tick=False):
        made = standards.default_standard_ensure(company=company)
    return made


@pytest.fixture
def check_a(standard, office_a):
    from inspections.services import checks

    return checks.check_open(office=office_a, standard=standard, period_start=datetime.date(2026, 3, 1))[0]


@pytest.fixture
def make_complaint_a(frontdesk_a, office_a):
    from complaints import services

    def make(**kwargs):
        kwargs.setdefault("office", office_a)
        kwargs.setdefault("received_by", frontdesk_a)
        kwargs.setdefault("channel", "phone")
        kwargs.setdefault("content", "楼道灯不亮")
        return services.complaint_create(**kwargs)

    return make
