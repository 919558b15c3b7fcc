"""Every complaint stands in the register (F1), also those logged through the complaints app's own intake."""

from __future__ import annotations

import pytest

from complaints.models import Complaint
from complaints.rules import State as ComplaintState
from complaints.services import complaint_create
from feedback.models import Entry
from feedback.rules import State
from feedback.services import mirror_complaints
from feedback.tasks import mirror_complaints_task

pytestmark = pytest.mark.django_db


def test_f1_complaints_from_the_old_intake_appear_in_the_register(frozen, office_a, frontdesk_a, resident_a):
    complaint = complaint_create(
        office=office_a, received_by=frontdesk_a, channel="phone", content="夜间施工噪音", resident=resident_a
    )
    assert mirror_complaints_task() == 1
    entry = Entry.objects.get(complaint=complaint)
    assert entry.kind == "complaint"
    assert entry.unit == resident_a.unit
    assert entry.state == State.IN_PROGRESS
    assert mirror_complaints() == 0  # idempotent


def test_f1_front_door_complaints_are_not_mirrored_twice(frozen, make_entry):
    make_entry(kind="complaint")
    assert mirror_complaints(full=True) == 0
    assert Entry.objects.count() == 1


def test_f1_entry_follows_its_complaint_to_closed_and_back(frozen, make_entry):
    entry = make_entry(kind="complaint")
    Complaint.objects.filter(pk=entry.complaint_id).update(state=ComplaintState.CLOSED)
    mirror_complaints()
    entry.refresh_from_db()
    assert entry.state == State.CLOSED
    Complaint.objects.filter(pk=entry.complaint_id).update(state=ComplaintState.IN_HANDLING)
    mirror_complaints()
    entry.refresh_from_db()
    assert entry.state == State.IN_PROGRESS


def test_f1_mirrored_complaint_takes_the_register_category_of_its_class(frozen, make_entry):
    entry = make_entry(kind="complaint")
    Complaint.objects.filter(pk=entry.complaint_id).update(category="charges")
    mirror_complaints()
    entry.refresh_from_db()
    assert entry.category.code == "fees"
