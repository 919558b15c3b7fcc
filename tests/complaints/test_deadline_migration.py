"""The data migration of issue 6: no closed or invalid complaint keeps a live deadline, and existing
rows get their basis, title parameters and C11's department."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from clock import services as clock_services
from clock.models import DeadlineState, Measure
from clock.selectors import subject_deadlines
from complaints.models import Complaint
from complaints.rules import State
from estates.models import Role
from tests.complaints.conftest import TUESDAY_10

pytestmark = pytest.mark.django_db

migration = importlib.import_module("complaints.migrations.0004_deadlines_v2_data")


def _v1_deadline(complaint, rule, due_at, **kwargs):
    """A deadline as the v1 code opened it by hand (no basis, no parameters)."""
    return clock_services.deadline_open(
        subject=complaint,
        rule=rule,
        title=f"{rule} {complaint.number}",
        due_at=due_at,
        opened_at=TUESDAY_10,
        office=complaint.office,
        responsible_role=kwargs.pop("role", Role.CS_ASSISTANT),
        **kwargs,
    )


def test_closed_complaints_lose_their_live_deadlines_and_rows_get_their_basis(frozen, make_complaint, engineering_a):
    closed = make_complaint()
    open_one = make_complaint()
    for complaint in (closed, open_one):
        subject_deadlines(complaint).delete()  # as if made by the v1 code
    _v1_deadline(closed, "C3", TUESDAY_10 + datetime.timedelta(days=1))
    Complaint.objects.filter(pk=closed.pk).update(state=State.CLOSED, closed_at=TUESDAY_10)
    Complaint.objects.filter(pk=open_one.pk).update(department=engineering_a, forwarded_at=TUESDAY_10)
    c11 = _v1_deadline(
        open_one, "C11", datetime.datetime(2026, 3, 11, 10, 0, tzinfo=TUESDAY_10.tzinfo), role=Role.DEPT_MANAGER
    )

    migration.forwards(apps, None)

    (c3,) = subject_deadlines(closed)
    assert (c3.state, c3.closed_at) == (DeadlineState.CANCELLED, TUESDAY_10)
    assert c3.params == {"number": closed.number}
    c11.refresh_from_db()
    assert c11.closed_at is None
    assert (c11.basis_at, c11.measure, c11.amount) == (TUESDAY_10, Measure.WORKING_HOURS, 8)
    assert (c11.responsible_department, c11.responsible_role) == (engineering_a, "")
    assert c11.display_title == f"向质管部报告投诉 {open_one.number} 的处理措施"
