"""The demo register: every kind and channel, some open, some overdue, some from the resident page,
one forum with its opinions, last month's archive awaiting approval with two corrective actions."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from clock.models import Deadline
from feedback import demo
from feedback.models import ArchiveState, Entry, MonthlyArchive, Outreach
from feedback.rules import Kind

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_the_register_and_is_idempotent():
    from complaints import demo as complaints_demo
    from estates import demo as estates_demo

    cache.clear()
    company = estates_demo.seed()
    complaints_demo.seed(company)
    made = demo.seed(company)
    assert made > 0
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    channels = set(Entry.objects.values_list("channel", flat=True))
    assert {"phone", "visit", "letter", "email", "online", "forum", "other"} <= channels
    assert Entry.objects.filter(state__in=["open", "in_progress"]).exists()
    assert Entry.objects.filter(tracking_hash__isnull=False).exists()
    assert Entry.objects.filter(complaint__isnull=False).exists()  # the seeded complaints stand in it
    assert Deadline.objects.filter(rule="F1", closed_at__isnull=True, due_at__lte=timezone.now()).exists()
    assert Outreach.objects.filter(state="closed", entries__isnull=False).exists()
    archive = MonthlyArchive.objects.filter(state=ArchiveState.DRAFT).exclude(analysis="").first()
    assert archive is not None and archive.actions.count() == 2
    count = Entry.objects.count()
    assert demo.seed(company) == 0
    assert Entry.objects.count() == count
