"""The demo complaints: every state and class, some overdue, idempotent."""

from __future__ import annotations

import pytest

from complaints import demo
from complaints.models import Complaint
from complaints.rules import State
from complaints.selectors import with_deadlines

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_state_and_is_idempotent():
    from estates import demo as estates_demo

    company = estates_demo.seed()
    made = demo.seed(company)
    assert made > 0
    assert set(Complaint.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Complaint.objects.exclude(complaint_class=None).values_list("complaint_class", flat=True)) == {1, 2, 3}
    assert Complaint.objects.filter(escalated_to_mr=True).exists()
    assert Complaint.objects.filter(developer_sent_at__isnull=False).exists()
    assert Complaint.objects.filter(channel__in=["company", "group", "government"]).exists()
    assert with_deadlines(Complaint.objects.all()).filter(overdue=True).exists()
    assert demo.seed(company) == 0
    assert Complaint.objects.count() == made
