"""The sweeper: warns once before due, flags a breach once after due, notifies the responsible
person or role and the escalation roles, and nobody else (DESIGN.md 6-7)."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from clock import services
from clock.models import Deadline, DeadlineEvent, DeadlineState, EmailState, Notification
from clock.sweeper import SweepResult, sweep
from clock.worktime import SHANGHAI
from estates.models import Role

pytestmark = pytest.mark.django_db

OPENED = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
DUE = OPENED + datetime.timedelta(hours=8)
WARN = OPENED + datetime.timedelta(hours=6)


@pytest.fixture
def c3(unit_a, office_a):
    return services.deadline_open(
        subject=unit_a,
        rule="C3",
        title="首次回复",
        opened_at=OPENED,
        due_at=DUE,
        office=office_a,
        responsible_role=Role.FRONT_DESK,
        escalate_roles=[Role.QA_STAFF, Role.DEPT_MANAGER],
        link="/complaints/1/",
    )


@pytest.fixture
def people(frontdesk_a, frontdesk_b, qa, manager_a, manager_b, assistant_gm):
    return {
        "frontdesk_a": frontdesk_a,
        "frontdesk_b": frontdesk_b,
        "qa": qa,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "assistant_gm": assistant_gm,
    }


def of_event(key: str):
    """The notifications of a deadline's warning or breach ("deadline:<pk>:<kind>"); they are keyed by
    the event itself, so a re-armed warning is a new notification."""
    _prefix, pk, kind = key.split(":")
    return Notification.objects.filter(deadline_id=int(pk), event__kind=kind)


def recipients(key: str) -> set[str]:
    return set(of_event(key).values_list("recipient__username", flat=True))


def test_nothing_happens_before_the_warning_time(c3, people):
    result = sweep(WARN - datetime.timedelta(seconds=1))
    assert (result.warned, result.breached) == (0, 0)
    assert not Notification.objects.exists()


def test_c3_warns_once_the_responsible_role_only(c3, people):
    result = sweep(WARN)
    assert (result.warned, result.breached) == (1, 0)
    c3.refresh_from_db()
    assert c3.warned_at == WARN
    assert c3.state == DeadlineState.OPEN
    assert recipients(f"deadline:{c3.pk}:warning") == {"frontdesk_a"}
    # Re-run: nothing new.
    again = sweep(WARN + datetime.timedelta(minutes=1))
    assert (again.warned, again.breached) == (0, 0)
    assert Notification.objects.count() == 1
    assert DeadlineEvent.objects.filter(deadline=c3, kind="warning").count() == 1


def test_c3_breach_once_notifies_responsible_and_escalation_not_outsiders(c3, people):
    sweep(WARN)
    result = sweep(DUE)
    assert (result.warned, result.breached) == (0, 1)
    c3.refresh_from_db()
    assert c3.state == DeadlineState.BREACHED
    assert c3.breached_at == DUE
    # Front desk of office A (responsible role), QA (company role), the department manager of office A;
    # not the front desk or the manager of office B, not the assistant GM (not named by the rule).
    assert recipients(f"deadline:{c3.pk}:breach") == {"frontdesk_a", "qa", "manager_a"}
    notification = of_event(f"deadline:{c3.pk}:breach").get(recipient=people["qa"])
    assert notification.deadline == c3
    assert notification.link == "/complaints/1/"
    assert notification.email_state == EmailState.PENDING
    assert "C3" in notification.body

    again = sweep(DUE + datetime.timedelta(minutes=5))
    assert (again.warned, again.breached) == (0, 0)
    assert of_event(f"deadline:{c3.pk}:breach").count() == 3
    assert DeadlineEvent.objects.filter(deadline=c3, kind="breach").count() == 1


def test_overdue_before_any_sweep_is_breached_without_a_warning(c3, people):
    result = sweep(DUE + datetime.timedelta(hours=3))
    assert (result.warned, result.breached) == (0, 1)
    assert not DeadlineEvent.objects.filter(kind="warning").exists()
    assert not Notification.objects.filter(key__endswith=":warning").exists()


def test_met_deadline_is_never_flagged(c3, people):
    services.deadline_meet(deadline=c3, at=OPENED + datetime.timedelta(hours=1))
    assert sweep(DUE + datetime.timedelta(days=1)) == SweepResult(warned=0, breached=0)
    assert not Notification.objects.exists()
    c3.refresh_from_db()
    assert c3.state == DeadlineState.MET


def test_responsible_person_is_notified_instead_of_the_role(unit_a, office_a, people):
    deadline = services.deadline_open(
        subject=unit_a,
        rule="C11",
        title="措施报质管部",
        opened_at=OPENED,
        due_at=DUE,
        office=office_a,
        responsible_user=people["manager_a"],
        escalate_roles=[Role.ASSISTANT_GM],
    )
    sweep(DUE)
    assert recipients(f"deadline:{deadline.pk}:breach") == {"manager_a", "agm"}


def test_sweep_takes_every_due_row_earliest_first(unit_a, unit_b, office_a, office_b, people):
    first = services.deadline_open(
        subject=unit_a,
        rule="C3",
        title="A",
        opened_at=OPENED,
        due_at=DUE,
        office=office_a,
        responsible_role=Role.FRONT_DESK,
    )
    second = services.deadline_open(
        subject=unit_b,
        rule="C3",
        title="B",
        opened_at=OPENED,
        due_at=DUE + datetime.timedelta(hours=1),
        office=office_b,
        responsible_role=Role.FRONT_DESK,
    )
    result = sweep(DUE + datetime.timedelta(hours=2))
    assert result.breached == 2
    assert recipients(f"deadline:{first.pk}:breach") == {"frontdesk_a"}
    assert recipients(f"deadline:{second.pk}:breach") == {"frontdesk_b"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.breached_at == second.breached_at


def test_event_left_unnotified_by_a_crash_is_notified_by_the_next_sweep(c3, people):
    # A sweeper flipped the state and recorded the event, then died before notifying.
    Deadline.objects.filter(pk=c3.pk).update(state=DeadlineState.BREACHED, breached_at=DUE)
    DeadlineEvent.objects.create(deadline=c3, kind="breach", created_at=DUE)
    result = sweep(DUE + datetime.timedelta(minutes=1))
    assert result.breached == 0
    assert recipients(f"deadline:{c3.pk}:breach") == {"frontdesk_a", "qa", "manager_a"}
    assert DeadlineEvent.objects.get(deadline=c3, kind="breach").notified_at is not None


def test_rescheduled_deadline_warns_again(c3, people):
    sweep(WARN)
    with time_machine.travel(WARN + datetime.timedelta(minutes=1), tick=False):
        services.deadline_reschedule(deadline=c3, due_at=DUE + datetime.timedelta(days=1))
    c3.refresh_from_db()
    assert c3.warned_at is None
    result = sweep(c3.warn_at)
    assert result.warned == 1


def test_sweep_defaults_to_now(c3, people):
    with time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
        assert sweep().breached == 1


def test_breach_notification_is_in_chinese(c3, people):
    sweep(DUE)
    notification = of_event(f"deadline:{c3.pk}:breach").get(recipient=people["qa"])
    assert notification.title == "已超期：首次回复"
    assert "管理处：科信管理处" in notification.body


def test_c3_sweep_of_many_due_deadlines_costs_a_few_statements_per_batch(django_assert_max_num_queries):
    # Issue 10: claimed in batches, flipped in one UPDATE, events in one INSERT, notifications in bulk
    # (≤ 5 statements per deadline was the goal; this is far below it), each flagged and notified once.
    import datetime as _dt

    from django.utils import timezone as _tz

    from clock.models import Deadline as _Deadline
    from clock.models import DeadlineEvent as _Event
    from clock.models import Notification as _Notification
    from clock.sweeper import sweep as _sweep
    from tests.factories import OfficeFactory, UserFactory

    office = OfficeFactory()
    UserFactory(role="cs_assistant", company=office.company, offices=[office])
    UserFactory(role="qa_staff", company=office.company)
    now = _tz.now()
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(_Deadline)
    _Deadline.objects.bulk_create(
        [
            _Deadline(
                office=office, company=office.company, subject_type=ct, subject_id=n, rule="C3", title="t",
                responsible_role="cs_assistant", escalate_roles=["qa_staff"], opened_at=now - _dt.timedelta(hours=9),
                due_at=now - _dt.timedelta(minutes=n % 50 + 1), warn_at=now - _dt.timedelta(hours=2),
            )
            for n in range(1, 301)
        ]
    )  # fmt: skip
    with django_assert_max_num_queries(40) as captured:
        result = _sweep(now)
    assert result.breached == 300 and result.warned == 0
    assert len(captured.captured_queries) / 300 < 0.2
    assert _Event.objects.filter(kind="breach").count() == 300
    # One burst (C3, one office): one message each for the responsible assistant and QA, with the count
    # (issue 9), not 300 each.
    titles = sorted(_Notification.objects.values_list("title", flat=True))
    assert len(titles) == 2 and all("300 件投诉" in title for title in titles)
    again = _sweep(now)
    assert again.breached == 0 and _Notification.objects.count() == 2
