"""Personas of the complaint procedure, on top of tests/conftest.py's (front desk A, QA, outsider B)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from estates.models import DepartmentKind, Role
from tests.factories import DepartmentFactory, ResidentFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")
# A plain Tuesday in working time; the service tests start here.
TUESDAY_10 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SH)


@pytest.fixture
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def resident_a(unit_a):
    return ResidentFactory(unit=unit_a, name="李女士", phone="13912345678")


@pytest.fixture
def cs_a(office_a):
    return UserFactory(username="cs_a", role=Role.CS_ASSISTANT, company=office_a.company, offices=[office_a])


@pytest.fixture
def manager_a(office_a):
    return UserFactory(username="manager_a", role=Role.DEPT_MANAGER, company=office_a.company, offices=[office_a])


@pytest.fixture
def qa_manager(company, office_a, office_b):
    return UserFactory(username="qa_manager", role=Role.QA_MANAGER, company=company)


@pytest.fixture
def agm(company):
    return UserFactory(username="agm", role=Role.ASSISTANT_GM, company=company)


@pytest.fixture
def mr(company):
    return UserFactory(username="mr", role=Role.MGMT_REP, company=company)


@pytest.fixture
def engineering_a(office_a):
    return DepartmentFactory(company=office_a.company, office=office_a, kind=DepartmentKind.ENGINEERING, name="工程部")


@pytest.fixture
def make_complaint(frontdesk_a, office_a):
    from complaints import services

    def make(**kwargs):
        kwargs.setdefault("office", office_a)
        kwargs.setdefault("received_by", frontdesk_a)
        kwargs.setdefault("channel", "phone")
        kwargs.setdefault("content", "楼道灯不亮")
        return services.complaint_create(**kwargs)

    return make
