"""Hardening issue, operations: the timeline is append-only in the database on PostgreSQL — update(),
delete() and cascades no longer get around the model's save()/delete() guard."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from complaints.models import Complaint, ComplaintEvent

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def test_timeline_rows_refuse_update_delete_and_cascade(make_complaint):
    complaint = make_complaint()
    event = ComplaintEvent.objects.filter(complaint=complaint).first()
    assert event is not None
    for attempt in (
        lambda: ComplaintEvent.objects.filter(pk=event.pk).update(note="rewritten"),
        lambda: ComplaintEvent.objects.filter(pk=event.pk).delete(),
        lambda: Complaint.objects.filter(pk=complaint.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    event.refresh_from_db()
    assert event.note != "rewritten"
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_timeline_rows_may_still_be_appended(make_complaint):
    complaint = make_complaint()
    before = ComplaintEvent.objects.filter(complaint=complaint).count()
    ComplaintEvent.objects.create(complaint=complaint, at=complaint.received_at, kind="note", note="追加")
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == before + 1
