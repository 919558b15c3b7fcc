"""S2: the half-year reminder (beat task) — once per community and half year, from the third month."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from clock.models import Notification
from estates.models import Role
from surveys import rules, services
from surveys.tasks import remind_half_year_rounds
from tests.factories import UserFactory

from .conftest import PLAN

SH = ZoneInfo("Asia/Shanghai")


def test_s2_half_year_to_remind():
    assert rules.half_year_to_remind(datetime.date(2026, 2, 28)) is None
    assert rules.half_year_to_remind(datetime.date(2026, 3, 1)) == (2026, 1)
    assert rules.half_year_to_remind(datetime.date(2026, 8, 31)) is None
    assert rules.half_year_to_remind(datetime.date(2026, 12, 31)) == (2026, 2)


def test_s2_communities_without_a_round_are_reminded_once(community_a, office_a, supervisor_a):
    manager = UserFactory(username="csmanager", role=Role.DEPT_MANAGER, company=office_a.company, offices=[office_a])
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SH), tick=False):
        assert remind_half_year_rounds() == 1
        remind_half_year_rounds()
        assert Notification.objects.filter(recipient=manager).count() == 1
        services.round_create(community=community_a, by=supervisor_a, year=2026, half=2, **PLAN)
    with time_machine.travel(datetime.datetime(2026, 9, 2, 9, 0, tzinfo=SH), tick=False):
        assert remind_half_year_rounds() == 0  # the second half already has its round
