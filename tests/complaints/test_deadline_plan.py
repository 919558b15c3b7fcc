"""Complaint deadlines through the plan (issue 6): every path of the state machine to CLOSED and to
INVALID, generated from the transition table, leaves no live deadline; C3 at the edges of a Friday;
C4; C11 owned by the forwarded department; calendar changes recompute and re-plan."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from clock import services as clock_services
from clock.calendar import WorkCalendar
from clock.calendar_admin import calendar_year_enter
from clock.models import Deadline, DeadlineState, Measure, Notification
from clock.selectors import live_deadlines_for, live_subject_deadlines, subject_deadlines
from clock.sweeper import sweep
from complaints import rules, services
from complaints.rules import DECIDE_TARGETS, RETURN_VISIT_TARGETS, TRANSITIONS, Action, State
from estates.models import DepartmentKind, Role
from tests.complaints.conftest import SH, TUESDAY_10
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# The state machine, walked from the transition table


def _edges() -> list[tuple[str, str, str, object]]:
    """(source, action, target, outcome) for every state-changing action; an action whose target
    depends on its outcome (C12) gives one edge per outcome."""
    edges = []
    for transition in TRANSITIONS.values():
        if transition.target is not None:
            outcomes = [(transition.target, None)]
        elif transition.action == Action.DECIDE_RETURN_VISIT:
            outcomes = [(target, required) for required, target in DECIDE_TARGETS.items()]
        elif transition.action == Action.RECORD_RETURN_VISIT:
            outcomes = [(target, satisfied) for satisfied, target in RETURN_VISIT_TARGETS.items()]
        else:
            continue  # the state stays: classify, forward, measures, developer, escalation, notes
        for source in transition.sources:
            for target, outcome in outcomes:
                if target != source:
                    edges.append((source, transition.action, target, outcome))
    return edges


def _paths() -> list[tuple[tuple[str, str, object], ...]]:
    """Every path from RECEIVED to a final state using each edge at most once (so the reopening of
    C12 is walked once), as (action, target, outcome) steps."""
    edges = _edges()
    found: list[tuple] = []

    def walk(state: str, used: frozenset, steps: tuple) -> None:
        if state in rules.FINAL_STATES:
            found.append(steps)
            return
        for edge in edges:
            if edge[0] == state and edge not in used:
                walk(edge[2], used | {edge}, (*steps, edge[1:]))

    walk(State.RECEIVED, frozenset(), ())
    return found


PATHS = _paths()


def _path_id(path) -> str:
    return ">".join(f"{action}{'' if outcome is None else '=' + str(outcome)[0]}" for action, _t, outcome in path)


def test_the_walk_covers_both_final_states_and_the_reopening():
    assert {path[-1][1] for path in PATHS} == {State.CLOSED, State.INVALID}
    assert any((Action.RECORD_RETURN_VISIT, State.IN_HANDLING, False) in path for path in PATHS)


def _open_everything(complaint, by, department, handler):
    """In a working state: make every deadline the plan can hold live (C8, C11; C8-DL by the step)."""
    complaint = services.complaint_classify(
        complaint=complaint, by=by, complaint_class=1, category="repairs", difficult=True
    )
    return services.complaint_forward(complaint=complaint, by=by, department=department)


def _step(complaint, by, handler, action, outcome):
    due = TUESDAY_10 + datetime.timedelta(days=2)
    if action == Action.RESPOND:
        return services.complaint_respond(complaint=complaint, by=by, how="call", note="已致歉")
    if action == Action.SET_HANDLING:
        return services.complaint_set_handling(complaint=complaint, by=by, opinion="维修", handler=handler, due_at=due)
    if action == Action.TELL_RESULT:
        return services.complaint_tell_result(complaint=complaint, by=by, result="已修好")
    if action == Action.DECIDE_RETURN_VISIT:
        return services.complaint_decide_return_visit(complaint=complaint, by=by, required=outcome)
    if action == Action.RECORD_RETURN_VISIT:
        return services.complaint_record_return_visit(complaint=complaint, by=by, satisfied=outcome)
    if action == Action.MARK_INVALID:
        return services.complaint_mark_invalid(complaint=complaint, by=by, explanation="不属于物业服务范围")
    raise AssertionError(f"no step for {action}")


@pytest.mark.parametrize("path", PATHS, ids=[_path_id(p) for p in PATHS])
def test_every_path_to_closed_or_invalid_leaves_no_live_deadline(path, frozen, make_complaint, qa_manager, cs_a):
    department = DepartmentFactory(company=cs_a.company, office=cs_a.offices.first(), name="工程部")
    complaint = make_complaint()
    for action, target, outcome in path:
        if complaint.state in rules.WORKING_STATES:
            complaint = _open_everything(complaint, qa_manager, department, cs_a)
            assert live_subject_deadlines(complaint).exists()
        complaint = _step(complaint, qa_manager, cs_a, action, outcome)
        assert complaint.state == target
    assert complaint.state in rules.FINAL_STATES
    assert not live_subject_deadlines(complaint).exists()
    assert not subject_deadlines(complaint).filter(closed_at__isnull=True).exists()
    # Days later the sweeper flags nothing of it.
    frozen.move_to(TUESDAY_10 + datetime.timedelta(days=10))
    result = sweep()
    assert (result.warned, result.breached) == (0, 0)
    assert not subject_deadlines(complaint).filter(state=DeadlineState.BREACHED).exists()


# ---------------------------------------------------------------------------------------------
# C3 at the edges of working time on a Friday


FRIDAY = datetime.date(2026, 3, 13)


@pytest.mark.parametrize(
    ("received", "due", "measure"),
    [
        # 08:59: before work -> 24 hours.
        (datetime.time(8, 59), datetime.datetime(2026, 3, 14, 8, 59, tzinfo=SH), Measure.WALL_HOURS),
        # 12:00: the lunch break starts (periods are half-open) -> 24 hours.
        (datetime.time(12, 0), datetime.datetime(2026, 3, 14, 12, 0, tzinfo=SH), Measure.WALL_HOURS),
        # 17:59: 1 minute on Friday, then 7 h 59 min on Monday: 3 h before lunch, 4 h 59 min after -> 17:59.
        (datetime.time(17, 59), datetime.datetime(2026, 3, 16, 17, 59, tzinfo=SH), Measure.WORKING_HOURS),
        # 18:00: after work -> 24 hours.
        (datetime.time(18, 0), datetime.datetime(2026, 3, 14, 18, 0, tzinfo=SH), Measure.WALL_HOURS),
    ],
    ids=["08:59", "12:00", "17:59", "18:00"],
)
def test_c3_first_response_on_a_friday(make_complaint, received, due, measure):
    received_at = datetime.datetime.combine(FRIDAY, received, tzinfo=SH)
    assert rules.response_due(received_at, WorkCalendar.default()) == due
    with time_machine.travel(received_at, tick=False):
        complaint = make_complaint(received_at=received_at)
    (deadline,) = subject_deadlines(complaint).filter(rule=rules.RULE_C3)
    assert (deadline.due_at, deadline.measure, deadline.provisional) == (due, measure, False)
    assert deadline.basis_at == received_at


# ---------------------------------------------------------------------------------------------
# C4


def test_c4_the_superior_names_a_person_and_the_handling_deadline_is_theirs_to_track(
    frozen, make_complaint, manager_a, cs_a, qa
):
    complaint = make_complaint()
    # Issue 9: classified first (C1 decides who handles it).
    complaint = services.complaint_classify(complaint=complaint, by=manager_a, complaint_class=1, category="repairs")
    due = TUESDAY_10 + datetime.timedelta(hours=3)
    complaint = services.complaint_set_handling(
        complaint=complaint, by=manager_a, opinion="安排维修班今天处理", handler=cs_a, due_at=due
    )
    assert (complaint.state, complaint.handler, complaint.handling_opinion) == (
        State.IN_HANDLING,
        cs_a,
        "安排维修班今天处理",
    )
    (deadline,) = live_subject_deadlines(complaint).filter(rule=rules.RULE_C8_HANDLING)
    assert deadline.responsible_user == cs_a and deadline.due_at == due
    assert deadline in live_deadlines_for(cs_a)
    # Tracked: a late result is flagged to the named person and QA.
    frozen.move_to(due + datetime.timedelta(minutes=1))
    sweep()
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert Notification.objects.filter(recipient=cs_a, deadline=deadline, event__kind="breach").exists()
    assert Notification.objects.filter(recipient=qa, deadline=deadline, event__kind="breach").exists()
    services.complaint_tell_result(complaint=complaint, by=cs_a, result="已修好")
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED and deadline.closed_at is not None


# ---------------------------------------------------------------------------------------------
# C11: the forwarded department answers


@pytest.fixture
def departments(office_a):
    company = office_a.company
    engineering = DepartmentFactory(company=company, office=office_a, kind=DepartmentKind.ENGINEERING, name="工程部")
    service = DepartmentFactory(company=company, office=office_a, kind=DepartmentKind.CUSTOMER_SERVICE, name="客服部")
    managers = {
        "engineering": UserFactory(
            role=Role.DEPT_MANAGER, company=company, offices=[office_a], department=engineering, username="eng_m"
        ),
        "service": UserFactory(
            role=Role.DEPT_MANAGER, company=company, offices=[office_a], department=service, username="cs_m"
        ),
    }
    return engineering, service, managers


def test_c11_the_forwarded_departments_manager_answers_and_is_told_no_other_department(
    frozen, make_complaint, qa, departments
):
    engineering, _service, managers = departments
    complaint = services.complaint_forward(complaint=make_complaint(), by=qa, department=engineering)
    (deadline,) = live_subject_deadlines(complaint).filter(rule=rules.RULE_C11)
    assert deadline.responsible_department == engineering
    assert clock_services.deadline_responsible_users(deadline) == [managers["engineering"]]
    assert deadline in live_deadlines_for(managers["engineering"])
    assert deadline not in live_deadlines_for(managers["service"])
    frozen.move_to(deadline.due_at + datetime.timedelta(minutes=1))
    sweep()
    breach = Notification.objects.filter(deadline=deadline, event__kind="breach")
    assert set(breach.values_list("recipient__username", flat=True)) == {"eng_m", "qa"}


def test_c11_a_re_forward_restarts_the_working_day_for_the_new_department(frozen, make_complaint, qa, departments):
    engineering, service, managers = departments
    complaint = services.complaint_forward(complaint=make_complaint(), by=qa, department=engineering)
    first = live_subject_deadlines(complaint).get(rule=rules.RULE_C11)
    later = TUESDAY_10 + datetime.timedelta(hours=5)  # 15:00
    frozen.move_to(later)
    complaint = services.complaint_forward(complaint=complaint, by=qa, department=service)
    first.refresh_from_db()
    assert first.state == DeadlineState.CANCELLED and first.closed_at == later
    second = live_subject_deadlines(complaint).get(rule=rules.RULE_C11)
    assert second.responsible_department == service
    # 15:00 Tuesday + 8 working hours: 3 h on Tuesday, 5 h on Wednesday -> 15:00 Wednesday.
    assert second.due_at == datetime.datetime(2026, 3, 11, 15, 0, tzinfo=SH)
    assert second not in live_deadlines_for(managers["engineering"])


# ---------------------------------------------------------------------------------------------
# Calendar changes: recompute, and re-plan C3


JAN_2027 = datetime.datetime(2027, 1, 1, 10, 0, tzinfo=SH)  # a fallback holiday: 2027 is not covered


def test_c3_received_on_a_fallback_holiday_is_provisional(make_complaint, frontdesk_a):
    with time_machine.travel(JAN_2027, tick=False):
        complaint = make_complaint(received_at=JAN_2027)
    deadline = live_subject_deadlines(complaint).get(rule=rules.RULE_C3)
    # Outside working time on the fallback calendar: 24 hours — but that is itself a guess.
    assert deadline.due_at == JAN_2027 + datetime.timedelta(hours=24)
    assert deadline.provisional


def test_entering_2027_recomputes_the_open_deadlines_and_replans_c3(make_complaint, qa, company_admin):
    saturday = datetime.datetime(2027, 1, 9, 10, 0, tzinfo=SH)  # a weekend day on the fallback calendar
    with time_machine.travel(saturday, tick=False) as traveller:
        complaint = make_complaint(received_at=saturday)
        c3 = live_subject_deadlines(complaint).get(rule=rules.RULE_C3)
        assert (c3.measure, c3.provisional) == (Measure.WALL_HOURS, True)
        traveller.move_to(saturday + datetime.timedelta(hours=1))
        complaint = services.complaint_forward(complaint=complaint, by=qa, department=_department(complaint))
        c11 = live_subject_deadlines(complaint).get(rule=rules.RULE_C11)
        # Saturday 11:00 on the fallback: Monday 11 January 9:00 + 8 h -> 18:00, provisional.
        assert c11.due_at == datetime.datetime(2027, 1, 11, 18, 0, tzinfo=SH) and c11.provisional
        # The arrangement (invented for the test): 9 January is a make-up working day, 11 January a holiday.
        calendar_year_enter(
            year=2027,
            holidays=[datetime.date(2027, 1, 1), datetime.date(2027, 1, 11)],
            workdays=[datetime.date(2027, 1, 9)],
            by=company_admin,
        )
    c3 = Deadline.objects.get(pk=c3.pk)
    # Received in working time after all: 8 working hours, 10:00 Saturday -> 2 h + 5 h, 1 h Tuesday 12 Jan.
    assert (c3.measure, c3.amount, c3.provisional) == (Measure.WORKING_HOURS, 8, False)
    assert c3.due_at == datetime.datetime(2027, 1, 12, 10, 0, tzinfo=SH)
    assert c3.recompute_note and c3.recomputed_at is not None
    c11 = Deadline.objects.get(pk=c11.pk)
    # 11:00 Saturday: 1 h + 5 h on Saturday, 2 h on Tuesday 12 January -> 11:00.
    assert c11.due_at == datetime.datetime(2027, 1, 12, 11, 0, tzinfo=SH)
    assert not c11.provisional and "2027" in c11.recompute_note


def _department(complaint):
    return DepartmentFactory(company=complaint.office.company, office=complaint.office, name="工程部")
