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


def test_q4_done_repair_requests_are_taken_from_the_register_once(frozen, cs_a, office_a, frontdesk_a, unit_a, client):
    from django.urls import reverse

    from clock.services import deadlines_for
    from feedback.models import Category
    from inspections.models import RepairMonth, RepairRecord
    from inspections.services import repairs

    category = Category.objects.create(company=office_a.company, code="repairs", name="维修")
    other = Category.objects.create(company=office_a.company, code="cleaning", name="保洁")
    march = datetime.datetime(2026, 3, 3, 15, tzinfo=SH)
    done = _entry(office_a, frontdesk_a, state="done", received=march)
    Entry.objects.filter(pk=done.pk).update(category=category, done_at=march, assignee=cs_a, unit=unit_a)
    cleaning = _entry(office_a, frontdesk_a, state="done", received=march)
    Entry.objects.filter(pk=cleaning.pk).update(category=other, done_at=march)
    open_one = _entry(office_a, frontdesk_a, received=march)
    Entry.objects.filter(pk=open_one.pk).update(category=category)

    assert repairs.repairs_from_register(office=office_a, month=datetime.date(2026, 3, 1), by=cs_a) == 1
    record = RepairRecord.objects.get()
    assert (record.entry_id, record.unit, record.repairer, record.done_on) == (
        done.pk,
        unit_a,
        str(cs_a),
        datetime.date(2026, 3, 3),
    )
    month = RepairMonth.objects.get(office=office_a, month=datetime.date(2026, 3, 1))
    assert deadlines_for(month).filter(rule="Q4", closed_at__isnull=True).exists()

    client.force_login(cs_a)
    r = client.post(reverse("inspections:repair_import"), {"office": office_a.pk, "month": "2026-03"})
    assert r.status_code == 302 and RepairRecord.objects.count() == 1
