"""Fixtures of the web shell tests: a deadline maker and a clean django-axes state."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType

from clock.models import Deadline, DeadlineState, Notification

try:  # written by the clock part in parallel; the fixtures work with or without it
    from clock import services as clock_services
except ImportError:  # pragma: no cover
    clock_services = None

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
    """Open a deadline on a fresh unit of office A as its subject (one live deadline per subject and
    rule), through clock.services.deadline_open when the clock provides it, else as a plain row."""
    from tests.factories import UnitFactory

    counter = {"n": 0}

    def make(*, due_at, office=None, responsible_user=None, responsible_role="", rule="C3", title=None, **extra):
        counter["n"] += 1
        subject = UnitFactory(building=unit_a.building)
        office = office if office is not None else unit_a.building.community.office
        title = title or f"投诉首次回复 {counter['n']}"
        opened_at = extra.pop("opened_at", due_at - datetime.timedelta(hours=8))
        state = extra.pop("state", DeadlineState.OPEN)
        deadline_open = getattr(clock_services, "deadline_open", None) if clock_services else None
        if deadline_open is not None:
            deadline = deadline_open(
                subject=subject,
                rule=rule,
                title=title,
                due_at=due_at,
                opened_at=opened_at,
                office=office,
                responsible_user=responsible_user,
                responsible_role=responsible_role,
                **extra,
            )
        else:
            deadline = Deadline.objects.create(
                office=office,
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=subject.pk,
                rule=rule,
                title=title,
                responsible_user=responsible_user,
                responsible_role=responsible_role,
                opened_at=opened_at,
                due_at=due_at,
                warn_at=opened_at + (due_at - opened_at) * 3 / 4,
                **extra,
            )
        if state != DeadlineState.OPEN:
            Deadline.objects.filter(pk=deadline.pk).update(state=state)
            deadline.state = state
        return deadline

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
