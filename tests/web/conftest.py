"""Fixtures of the web shell tests: a deadline maker and a clean django-axes state."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType

from clock.models import Deadline, DeadlineState, Notification

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A plain Tuesday in working time; every dashboard test is frozen here.
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def axes_reset(db):
    """Lockout counters start at zero and are cleared afterwards (django-axes keeps them in the DB
    and, in the live-server tests, across the threads)."""
    import axes.utils

    axes.utils.reset()
    yield
    axes.utils.reset()


@pytest.fixture
def make_deadline(unit_a):
    """Create a Deadline row on a unit as its subject (the clock's own service may not exist yet,
    and these tests are about display, not about computing due times)."""
    unit_type = ContentType.objects.get_for_model(unit_a)
    counter = {"n": 0}

    def make(*, due_at, office=None, responsible_user=None, responsible_role="", rule="C3", title=None, **extra):
        counter["n"] += 1
        opened_at = extra.pop("opened_at", due_at - datetime.timedelta(hours=8))
        return Deadline.objects.create(
            office=office if office is not None else unit_a.building.community.office,
            subject_type=unit_type,
            subject_id=str(unit_a.pk),
            rule=rule,
            title=title or f"投诉首次回复 {counter['n']}",
            responsible_user=responsible_user,
            responsible_role=responsible_role,
            opened_at=opened_at,
            due_at=due_at,
            warn_at=extra.pop("warn_at", min(due_at, opened_at + (due_at - opened_at) * 3 / 4)),
            state=extra.pop("state", DeadlineState.OPEN),
            **extra,
        )

    return make


@pytest.fixture
def make_notification():
    counter = {"n": 0}

    def make(recipient, *, link="", read=False, title=None, created_at=NOW):
        counter["n"] += 1
        return Notification.objects.create(
            recipient=recipient,
            key=f"test-{counter['n']}",
            title=title or f"通知 {counter['n']}",
            body="期限提醒",
            link=link,
            created_at=created_at - datetime.timedelta(minutes=counter["n"]),
            read_at=created_at if read else None,
        )

    return make
