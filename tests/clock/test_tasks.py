"""The clock's Celery tasks, called directly (the worker integration test is in test_concurrency)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail

from clock import services, tasks
from clock.models import EmailState, Notification
from clock.worktime import SHANGHAI
from estates.models import Role
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_calendar_coverage_warns_each_admin_once_from_november(company_admin, frontdesk_a, qa):
    other_admin = UserFactory(role=Role.COMPANY_ADMIN, company=CompanyFactory(name="别家物业"))
    UserFactory(role=Role.COMPANY_ADMIN, company=company_admin.company, is_active=False)
    with time_machine.travel(datetime.datetime(2026, 10, 31, 12, 0, tzinfo=SHANGHAI), tick=False):
        assert tasks.check_calendar_coverage() is None
    assert not Notification.objects.exists()
    with time_machine.travel(datetime.datetime(2026, 11, 1, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert tasks.check_calendar_coverage() == 2027
        assert tasks.check_calendar_coverage() == 2027  # hourly: still one notification each
    rows = Notification.objects.filter(key="calendar:uncovered:2027")
    assert {r.recipient for r in rows} == {company_admin, other_admin}
    assert all(r.email_state == EmailState.PENDING for r in rows)
    assert rows[0].link == "/calendar/"


def test_calendar_coverage_silent_once_entered(company_admin):
    services.calendar_year_enter(year=2027, holidays=[datetime.date(2027, 1, 1)], workdays=[], by=company_admin)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert tasks.check_calendar_coverage() is None
    assert not Notification.objects.exists()


def test_sweep_then_send_tasks(unit_a, office_a, frontdesk_a):
    opened = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    services.deadline_open(
        subject=unit_a,
        rule="C3",
        title="首次回复",
        opened_at=opened,
        due_at=opened + datetime.timedelta(hours=8),
        office=office_a,
        responsible_role=Role.FRONT_DESK,
    )
    with time_machine.travel(opened + datetime.timedelta(hours=9), tick=False):
        assert tasks.sweep_deadlines() == {"warned": 0, "breached": 1}
        assert tasks.sweep_deadlines() == {"warned": 0, "breached": 0}
        assert tasks.send_notifications() == 1
        assert tasks.send_notifications() == 0
    assert [m.to for m in mail.outbox] == [[frontdesk_a.email]]


def test_task_names_match_the_beat_schedule():
    from config.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "clock.tasks.sweep_deadlines",
        "clock.tasks.send_notifications",
        "clock.tasks.check_calendar_coverage",
    } <= scheduled
    assert tasks.sweep_deadlines.name == "clock.tasks.sweep_deadlines"
    assert tasks.send_notifications.name == "clock.tasks.send_notifications"
    assert tasks.check_calendar_coverage.name == "clock.tasks.check_calendar_coverage"
