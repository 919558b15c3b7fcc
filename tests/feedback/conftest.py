"""Personas of the register, on top of tests/conftest.py's (front desk A, QA, outsider B)."""

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
def officemanager_a(office_a):
    return UserFactory(
        username="officemanager_a", role=Role.OFFICE_MANAGER, company=office_a.company, offices=[office_a]
    )


@pytest.fixture
def engineering_a(office_a):
    return DepartmentFactory(company=office_a.company, office=office_a, kind=DepartmentKind.ENGINEERING, name="工程部")


@pytest.fixture
def make_entry(frontdesk_a, office_a):
    from feedback.services import entry_create

    def make(**kwargs):
        values = {
            "office": office_a,
            "by": frontdesk_a,
            "channel": "phone",
            "kind": "opinion",
            "content": "小区东门的路灯坏了",
        }
        values.update(kwargs)
        return entry_create(**values)

    return make
