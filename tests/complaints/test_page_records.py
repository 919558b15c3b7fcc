"""complaints/views_records.py (issue 10): the complaint page reads the F1 / F2 records, the special
report and the publication in one query, and what the page then sees is what the database holds."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Complaint, ComplaintPublication, ComplaintRecord
from complaints.reports.records import related
from complaints.views_records import ONE_TO_ONE, load_one_to_ones

pytestmark = pytest.mark.django_db


def test_one_query_fills_what_exists_and_what_does_not(frozen, make_complaint, qa, django_assert_num_queries):
    with_both, bare = make_complaint(), make_complaint()
    record = ComplaintRecord.objects.create(complaint=with_both, handling_notes="已修", updated_at=timezone.now())
    ComplaintPublication.objects.create(
        complaint=with_both,
        company=with_both.office.company,
        reason="important",
        title="停水",
        text="经验",
        published_by=qa,
        published_at=timezone.now(),
    )
    for complaint in (Complaint.objects.get(pk=with_both.pk), Complaint.objects.get(pk=bare.pk)):
        with django_assert_num_queries(1):
            load_one_to_ones(complaint)
        with django_assert_num_queries(0):
            found = {name: related(complaint, name) for name in ONE_TO_ONE}
        expected = {name: related(Complaint.objects.get(pk=complaint.pk), name) for name in ONE_TO_ONE}
        assert found == expected
    assert found == dict.fromkeys(ONE_TO_ONE)  # the bare one: none of them
    loaded = Complaint.objects.get(pk=with_both.pk)
    load_one_to_ones(loaded)
    with django_assert_num_queries(0):
        assert loaded.record_f1 == record and loaded.record_f1.handling_notes == "已修"
        assert loaded.record_f1.complaint is loaded and loaded.publication.title == "停水"
