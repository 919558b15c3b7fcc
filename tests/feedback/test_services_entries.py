"""The register's services (F1): entry_create for every kind, channel and caller."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from clock.models import Deadline
from complaints.models import Complaint
from feedback.models import Entry, EntryEvent
from feedback.rules import State
from feedback.services import categories_for, entry_create
from tests.feedback.conftest import SH

pytestmark = pytest.mark.django_db


def test_f1_entry_logs_who_unit_channel_what_and_receiver(frozen, make_entry, resident_a, frontdesk_a):
    entry = make_entry(resident=resident_a, category="repairs")
    assert entry.unit == resident_a.unit
    assert entry.community == resident_a.unit.building.community
    assert entry.received_by == frontdesk_a
    assert entry.category.code == "repairs"
    assert entry.state == State.OPEN
    assert [e.what for e in entry.events.all()] == [EntryEvent.What.CREATED]


def test_f1_default_categories_are_made_once_per_company(company):
    first = categories_for(company)
    again = categories_for(company)
    assert [c.code for c in first][:3] == ["customer_service", "security", "cleaning"]
    assert [c.pk for c in first] == [c.pk for c in again]
    assert len(first) == 10


def test_f1_enquiry_answered_on_the_spot_is_closed_in_the_same_save(frozen, make_entry):
    entry = make_entry(kind="enquiry", answered_on_the_spot=True, action="物业费可以微信缴纳")
    assert entry.state == State.CLOSED
    assert entry.closed_at is not None


def test_f1_on_the_spot_needs_the_answer(frozen, make_entry):
    with pytest.raises(ValidationError):
        make_entry(kind="enquiry", answered_on_the_spot=True, action="")


def test_f1_service_request_gets_a_clock_deadline_from_its_category(frozen, make_entry, engineering_a):
    entry = make_entry(kind="service", category="repairs", department=engineering_a)
    assert entry.service_hours == 4
    (deadline,) = Deadline.objects.filter(rule="F1", subject_id=str(entry.pk))
    assert entry.due_at == deadline.due_at
    # Tuesday 10:00 + 4 working hours = 15:00 (lunch 12-13 skipped)
    assert deadline.due_at == datetime.datetime(2026, 3, 10, 15, 0, tzinfo=SH)


def test_f1_complaint_is_handed_to_the_complaint_procedure_in_the_same_step(frozen, make_entry, resident_a):
    entry = make_entry(kind="complaint", resident=resident_a, channel="visit")
    assert entry.complaint is not None
    complaint = Complaint.objects.get(pk=entry.complaint_id)
    assert complaint.content == entry.content
    assert complaint.resident == resident_a
    assert entry.state == State.IN_PROGRESS
    assert Deadline.objects.filter(rule="C3", subject_id=str(complaint.pk)).exists()


def test_f1_double_submit_makes_one_entry(frozen, make_entry):
    token = uuid.uuid4()
    first = make_entry(form_token=token)
    second = make_entry(form_token=token)
    assert first.pk == second.pk
    assert Entry.objects.count() == 1


def test_s9_survey_comment_is_logged_once_by_its_source_key(frozen, office_a, frontdesk_a):
    args = {"office": office_a, "by": frontdesk_a, "channel": "survey", "kind": "opinion", "content": "绿化不错"}
    first = entry_create(**args, source_key="survey:1:answer:7")
    second = entry_create(**args, source_key="survey:1:answer:7")
    assert first.pk == second.pk
    assert first.channel == "survey"


def test_f1_outsider_cannot_log_for_another_office(frozen, office_a, frontdesk_b):
    with pytest.raises(ValidationError):
        entry_create(office=office_a, by=frontdesk_b, channel="phone", kind="opinion", content="x")


def test_f1_unit_of_another_office_is_refused(frozen, make_entry, unit_b):
    with pytest.raises(ValidationError):
        make_entry(unit=unit_b)
