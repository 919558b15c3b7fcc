"""seed_scale (issue 10): deterministic, and its deadlines are what the services would keep — syncing
every seeded complaint through its real deadline plan changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from clock.deadlines import deadline_sync
from clock.models import Deadline
from clock.selectors import load_calendar
from complaints import rules
from complaints.models import Complaint, ComplaintEvent
from complaints.rules import WORKING_STATES
from feedback.models import Entry
from surveys.models import Answer, SampleUnit, SurveyRound

pytestmark = pytest.mark.django_db

END = "2026-03-10T10:00:00+08:00"


def _seed(seed=3):
    call_command(
        "seed_scale", size="tiny", complaints=400, entries=800, seed=seed, end=END, stdout=open("/dev/null", "w")
    )


def _fingerprint():
    return (
        list(Complaint.objects.order_by("pk").values_list("number", "state", "received_at", "next_due_at", "content")),
        list(Deadline.objects.order_by("pk").values_list("rule", "state", "due_at", "closed_at")),
        list(
            Entry.objects.order_by("pk").values_list("kind", "state", "received_at", "content", "due_at", "closed_at")
        ),
        list(
            SurveyRound.objects.order_by("pk").values_list(
                "community__name", "year", "half", "state", "seed", "public_token", "closed_at"
            )
        ),
        list(SampleUnit.objects.order_by("pk").values_list("unit__number", "token", "collected_at")),
        list(Answer.objects.order_by("pk").values_list("response__sample_unit__token", "question__code", "level")),
    )


class _Rollback(Exception):
    pass


def test_seed_is_deterministic_and_sized():
    with pytest.raises(_Rollback), transaction.atomic():
        _seed()
        first = _fingerprint()
        assert Complaint.objects.count() == 400
        assert ComplaintEvent.objects.count() >= 400
        assert Deadline.objects.filter(rule="C3").count() == 400
        assert Entry.objects.exclude(channel="survey").count() == 800
        assert SurveyRound.objects.exists() and Answer.objects.exists()
        closed = Complaint.objects.filter(state__in=["closed", "invalid"]).count()
        assert 0.6 < closed / 400 < 0.95
        raise _Rollback
    _seed()
    assert _fingerprint() == first


def test_seeded_deadlines_are_what_deadline_sync_keeps():
    _seed()
    calendar = load_calendar()
    now = datetime.datetime.fromisoformat(END)
    fields = ("rule", "state", "due_at", "warn_at", "closed_at", "params", "escalate_roles", "link", "measure",
              "amount", "basis_at", "responsible_role", "responsible_department_id", "office_id")  # fmt: skip
    before = list(Deadline.objects.order_by("pk").values_list(*fields))
    live = Complaint.objects.filter(state__in=WORKING_STATES).select_related("office")
    assert live.exists()
    for c in live:
        deadline_sync(c, rules.deadline_plan(c, calendar), done=rules.deadlines_done(c), now=now, calendar=calendar)
    assert list(Deadline.objects.order_by("pk").values_list(*fields)) == before
    for c in live:
        due = (
            Deadline.objects.filter(subject_id=c.pk, closed_at__isnull=True)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        assert Complaint.objects.get(pk=c.pk).next_due_at == due


@pytest.mark.django_db
def test_bad_sizes_are_refused_with_what_is_wrong():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="cannot be negative"):
        call_command("seed_scale", size="tiny", entries=-1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match="one community per office"):
        call_command("seed_scale", size="tiny", offices=5, communities=4, stdout=open("/dev/null", "w"))  # noqa: SIM115
