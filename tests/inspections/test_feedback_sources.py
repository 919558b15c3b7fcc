"""Q1/Q2 with the register (feedback): its figures fill the check, its closed service requests are
sampled for verification call-backs; a source is a registry entry, and absent when its app is."""

from __future__ import annotations

import datetime

from feedback.models import Entry
from inspections.models import CheckFigure
from inspections.services import callbacks, checks, corrective

from .conftest import SH


def _entry(office, by, *, state="open", kind="service", received, closed=None):
    return Entry.objects.create(
        office=office,
        channel="phone",
        kind=kind,
        content="厨房下水道堵塞",
        received_at=received,
        received_by=by,
        state=state,
        closed_at=closed,
    )


def test_q1_register_and_corrective_action_figures_fill_the_check(check_a, office_a, frontdesk_a, qa, cs_a):
    march = datetime.datetime(2026, 3, 2, 10, tzinfo=SH)
    _entry(office_a, frontdesk_a, received=march)
    _entry(office_a, frontdesk_a, state="closed", received=march, closed=march)
    _entry(office_a, frontdesk_a, state="closed", received=datetime.datetime(2026, 2, 2, tzinfo=SH))  # February
    corrective.finding_with_action(
        check=check_a, by=qa, description="登记不全", owner=cs_a, due_on=datetime.date(2026, 3, 20)
    )
    checks.check_refresh_figures(check=check_a)
    figures = {f.key: f for f in CheckFigure.objects.filter(check_run=check_a)}
    assert figures["feedback.register"].value == "2"
    assert figures["feedback.register:completion"].value == "1 / 2 (50.0%)"
    assert figures["feedback.actions"].value.startswith("1")
    assert "F1" in figures["feedback.register"].source


def test_q2_last_months_closed_service_requests_are_sampled(frozen, qa, office_a, frontdesk_a):
    feb = datetime.datetime(2026, 2, 10, 10, tzinfo=SH)
    closed = [_entry(office_a, frontdesk_a, state="closed", received=feb, closed=feb) for _ in range(3)]
    _entry(office_a, frontdesk_a, state="closed", kind="enquiry", received=feb, closed=feb)  # not a request
    _entry(office_a, frontdesk_a, state="open", received=feb)  # not closed
    sample = callbacks.sample_draw(office=office_a, month=datetime.date(2026, 2, 1), by=qa)
    sampled = {i.entry_id for i in sample.items.filter(kind="entry")}
    assert sampled == {e.pk for e in closed}
