"""Deadline core v2 (issue 6): deadline_sync opens, moves and closes deadlines from a plan;
deadlines_recompute redoes due times after a calendar change; titles render in the reader's language."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext_lazy

from clock import services
from clock.calendar import WorkCalendar
from clock.deadlines import DeadlineSpec, Measure, deadline_sync, deadlines_recompute, register_rule
from clock.models import CalendarDay, CalendarYear, DayKind, DaySource, Deadline, DeadlineState, Notification
from clock.selectors import live_deadlines_for, live_subject_deadlines, subject_deadlines
from clock.sweeper import sweep
from clock.worktime import SHANGHAI
from estates.models import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # a Monday

# Test rules, registered once (a process app does this in AppConfig.ready).
register_rule("X1", gettext_lazy("Overdue: %(title)s"), app="tests.clock")
register_rule("X2", "Second step of %(number)s", app="tests.clock")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def spec(office, **kwargs) -> DeadlineSpec:
    values = {
        "rule": "X1",
        "basis": NOW,
        "measure": Measure.WORKING_HOURS,
        "amount": 8,
        "office": office,
        "company": None,
        "responsible_user_id": None,
        "responsible_department_id": None,
        "responsible_role": Role.FRONT_DESK,
        "escalate_roles": (Role.QA_STAFF,),
        "params": {"title": "首次回复"},
        "link": "/x/1/",
    }
    values.update(kwargs)
    return DeadlineSpec(**values)


def test_sync_opens_what_is_planned_with_its_basis(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a)])
    (deadline,) = subject_deadlines(unit_a)
    # Monday 10:00 + 8 working hours: 2 h to 12:00, 5 h to 18:00, 1 h on Tuesday -> Tuesday 10:00.
    assert deadline.due_at == datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    assert (deadline.basis_at, deadline.measure, deadline.amount) == (NOW, Measure.WORKING_HOURS, 8)
    assert deadline.subject_id == unit_a.pk and deadline.company == office_a.company
    assert deadline.state == DeadlineState.OPEN and deadline.opened_at == NOW
    # Warned at 0.75 of the way from basis to due: 24 h of wall time -> 18 h later.
    assert deadline.warn_at == NOW + datetime.timedelta(hours=18)


@pytest.mark.parametrize(
    ("measure", "amount", "basis", "due"),
    [
        (Measure.WALL_HOURS, 24, NOW, NOW + datetime.timedelta(hours=24)),
        # Within 3 days of Monday: Thursday 24:00, i.e. Friday 00:00.
        (Measure.WITHIN_DAYS, 3, NOW, datetime.datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI)),
        (
            Measure.FIXED,
            0,
            datetime.datetime(2026, 12, 5, tzinfo=SHANGHAI),
            datetime.datetime(2026, 12, 5, tzinfo=SHANGHAI),
        ),
    ],
)
def test_sync_computes_each_measure(unit_a, office_a, measure, amount, basis, due):
    deadline_sync(unit_a, [spec(office_a, measure=measure, amount=amount, basis=basis)])
    assert subject_deadlines(unit_a).get().due_at == due


def test_sync_twice_changes_nothing(unit_a, office_a):
    plan = [spec(office_a), spec(office_a, rule="X2", measure=Measure.WALL_HOURS, amount=24)]
    deadline_sync(unit_a, plan)
    before = list(subject_deadlines(unit_a).values())
    deadline_sync(unit_a, plan)
    assert list(subject_deadlines(unit_a).values()) == before


def test_sync_closes_what_is_no_longer_planned_met_if_done_else_cancelled(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a), spec(office_a, rule="X2")])
    deadline_sync(unit_a, [], done=["X1"])
    states = dict(subject_deadlines(unit_a).values_list("rule", "state"))
    assert states == {"X1": DeadlineState.MET, "X2": DeadlineState.CANCELLED}
    assert not live_subject_deadlines(unit_a).exists()


def test_sync_keeps_a_breach_on_record_and_closes_it(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a, measure=Measure.WALL_HOURS, amount=1)])
    sweep(NOW + datetime.timedelta(hours=2))
    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        deadline_sync(unit_a, [], done=["X1"])
    deadline = subject_deadlines(unit_a).get()
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.closed_at == NOW + datetime.timedelta(hours=3)


def test_sync_reschedules_an_open_deadline_and_its_rearmed_warning_is_notified(unit_a, office_a, frontdesk_a):
    deadline_sync(unit_a, [spec(office_a, measure=Measure.WALL_HOURS, amount=4)])
    sweep(NOW + datetime.timedelta(hours=3, minutes=30))
    first = subject_deadlines(unit_a).get()
    assert first.warned_at is not None
    assert Notification.objects.filter(recipient=frontdesk_a, deadline=first).count() == 1
    later = NOW + datetime.timedelta(hours=3, minutes=45)
    with time_machine.travel(later, tick=False):
        deadline_sync(unit_a, [spec(office_a, measure=Measure.WALL_HOURS, amount=4, basis=later)])
    moved = subject_deadlines(unit_a).get()
    assert moved.pk == first.pk
    assert moved.due_at == later + datetime.timedelta(hours=4)
    assert moved.warned_at is None
    # The re-armed warning reaches the inbox again: a second notification, keyed by its own event.
    sweep(later + datetime.timedelta(hours=3, minutes=1))
    notes = Notification.objects.filter(recipient=frontdesk_a, deadline=moved).order_by("pk")
    assert len(notes) == 2
    assert notes[1].event.due_at == moved.due_at
    assert "2026-11-23 17:45" in notes[1].body


def test_sync_replaces_a_breached_deadline_that_moved(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a, measure=Measure.WALL_HOURS, amount=1)])
    sweep(NOW + datetime.timedelta(hours=2))
    later = NOW + datetime.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        deadline_sync(unit_a, [spec(office_a, measure=Measure.WALL_HOURS, amount=1, basis=later)])
    old, new = subject_deadlines(unit_a).order_by("pk")
    assert (old.state, old.closed_at) == (DeadlineState.BREACHED, later)
    assert (new.state, new.closed_at, new.due_at) == (DeadlineState.OPEN, None, later + datetime.timedelta(hours=1))


def test_sync_gives_a_new_party_a_new_deadline(unit_a, office_a, company):
    engineering = DepartmentFactory(company=company, office=office_a, name="工程部")
    service = DepartmentFactory(company=company, office=office_a, name="客户服务部")
    plan = spec(office_a, responsible_role="", responsible_department_id=engineering.pk)
    deadline_sync(unit_a, [plan])
    later = NOW + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        deadline_sync(unit_a, [dataclasses.replace(plan, responsible_department_id=service.pk, basis=later)])
    old, new = subject_deadlines(unit_a).order_by("pk")
    assert (old.responsible_department, old.state) == (engineering, DeadlineState.CANCELLED)
    assert (new.responsible_department, new.state, new.basis_at) == (service, DeadlineState.OPEN, later)


def test_a_department_deadline_is_its_managers_and_no_other_departments(unit_a, office_a, company):
    engineering = DepartmentFactory(company=company, office=office_a, name="工程部")
    service = DepartmentFactory(company=company, office=office_a, name="客户服务部")
    eng_manager = UserFactory(role=Role.DEPT_MANAGER, company=company, offices=[office_a], department=engineering)
    cs_manager = UserFactory(role=Role.DEPT_MANAGER, company=company, offices=[office_a], department=service)
    deadline_sync(unit_a, [spec(office_a, responsible_role="", responsible_department_id=engineering.pk)])
    deadline = subject_deadlines(unit_a).get()
    assert services.deadline_responsible_users(deadline) == [eng_manager]
    assert list(live_deadlines_for(eng_manager)) == [deadline]
    assert list(live_deadlines_for(cs_manager)) == []


def test_a_department_without_a_manager_falls_to_the_office_department_managers(unit_a, office_a, company):
    engineering = DepartmentFactory(company=company, office=office_a, name="工程部")
    office_manager = UserFactory(role=Role.DEPT_MANAGER, company=company, offices=[office_a])
    deadline_sync(unit_a, [spec(office_a, responsible_role="", responsible_department_id=engineering.pk)])
    deadline = subject_deadlines(unit_a).get()
    assert services.deadline_responsible_users(deadline) == [office_manager]
    assert list(live_deadlines_for(office_manager)) == [deadline]


def test_sync_refuses_an_unregistered_rule(unit_a, office_a):
    with pytest.raises(LookupError):
        deadline_sync(unit_a, [spec(office_a, rule="NOPE")])


def test_sync_with_a_given_calendar_loads_nothing(unit_a, office_a, django_assert_max_num_queries):
    deadline_sync(unit_a, [spec(office_a)], calendar=WorkCalendar.default())
    with django_assert_max_num_queries(3):  # content type (cached), live rows, warn fraction
        deadline_sync(unit_a, [spec(office_a)], calendar=WorkCalendar.default())


def test_title_renders_in_the_readers_language(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a)])
    deadline = subject_deadlines(unit_a).get()
    with translation.override("en"):
        assert deadline.display_title == "Overdue: 首次回复"
    with translation.override("zh-hans"):
        assert deadline.display_title == "已超期：首次回复"


# ---------------------------------------------------------------------------------------------
# Recompute after a calendar change


JAN_2027 = datetime.datetime(2026, 12, 31, 17, 0, tzinfo=SHANGHAI)  # Thursday, the day before 1 Jan 2027


def test_entering_an_uncovered_year_recomputes_a_provisional_deadline_and_clears_the_flag(unit_a, office_a):
    with time_machine.travel(JAN_2027, tick=False):
        deadline_sync(unit_a, [spec(office_a, basis=JAN_2027)])
        deadline = subject_deadlines(unit_a).get()
        # Fallback: 1 Jan is a holiday, 2-3 Jan a weekend -> 1 h on Thursday, 7 h on Monday 4 Jan: 17:00.
        assert deadline.due_at == datetime.datetime(2027, 1, 4, 17, 0, tzinfo=SHANGHAI)
        assert deadline.provisional
        # The arrangement entered says 1 Jan and (an invented example) 4 Jan are holidays.
        CalendarYear.objects.create(year=2027)
        holidays = [datetime.date(2027, 1, 1), datetime.date(2027, 1, 4)]
        for day in holidays:
            CalendarDay.objects.create(date=day, kind=DayKind.OFF, source=DaySource.STATE)
        moved = deadlines_recompute(dates=holidays, reason="2027 entered")
    deadline.refresh_from_db()
    assert moved == 1
    assert deadline.due_at == datetime.datetime(2027, 1, 5, 17, 0, tzinfo=SHANGHAI)
    assert not deadline.provisional
    assert (deadline.recomputed_at, deadline.recompute_note) == (JAN_2027, "2027 entered")


def test_recompute_leaves_deadlines_the_change_does_not_touch(unit_a, office_a):
    deadline_sync(unit_a, [spec(office_a)])
    CalendarDay.objects.create(date=datetime.date(2026, 12, 24), kind=DayKind.OFF, source=DaySource.COMPANY)
    assert deadlines_recompute(dates=[datetime.date(2026, 12, 24)], reason="company day") == 0
    assert Deadline.objects.get().recomputed_at is None
