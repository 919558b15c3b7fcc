"""The pure rules of section C: C1, C3 (fixed function), C8, C11, C12, C17 and the state machine."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clock.calendar import WorkCalendar
from complaints import rules
from complaints.rules import Action, State
from estates.models import Role

SH = ZoneInfo("Asia/Shanghai")
# The rules take the calendar as an argument: no database here (issue 7).
CAL = WorkCalendar.default()


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SH)


def test_c1_only_class_1_is_effective():
    assert rules.is_effective(1)
    assert not rules.is_effective(2)
    assert not rules.is_effective(3)
    assert not rules.is_effective(None)


def test_c1_every_class_has_a_definition():
    assert [k for k, _v in rules.class_definitions()] == [1, 2, 3]


def test_c3_response_due_in_working_time_is_8_working_hours():
    # Tuesday 10:00 + 8 working hours: 2 h to 12:00, 5 h to 18:00, 1 h next morning -> Wed 10:00.
    assert rules.response_due(at(2026, 3, 10, 10, 0), CAL) == at(2026, 3, 11, 10, 0)


def test_c3_response_due_friday_afternoon_runs_into_monday():
    # 1 h on Friday, then 3 h before lunch and 4 h after on Monday -> 17:00.
    assert rules.response_due(at(2026, 3, 13, 17, 0), CAL) == at(2026, 3, 16, 17, 0)


def test_c3_response_due_just_before_2026_national_day_skips_the_holiday():
    # 2026: 1-7 October off, Saturday 10 October a make-up working day (chinesecalendar 1.11).
    # Wednesday 30 September 17:00: 1 h that day, then 7 h on Thursday 8 October -> 17:00.
    assert rules.response_due(at(2026, 9, 30, 17, 0), CAL) == at(2026, 10, 8, 17, 0)


def test_c3_response_due_received_during_national_day_is_24_hours():
    assert rules.response_due(at(2026, 10, 3, 10, 0), CAL) == at(2026, 10, 4, 10, 0)


def test_c3_response_due_on_a_make_up_saturday_counts_working_hours():
    # Saturday 10 October 2026 is a 调休 working day: 15:00 + 8 h -> 3 h Sat, Sunday off, Monday 15:00.
    assert CAL.is_working_time(at(2026, 10, 10, 15, 0))
    assert rules.response_due(at(2026, 10, 10, 15, 0), CAL) == at(2026, 10, 12, 15, 0)


def test_c3_response_due_during_the_lunch_break_is_24_hours():
    received = at(2026, 3, 10, 12, 30)
    assert rules.response_due(received, CAL) == at(2026, 3, 11, 12, 30)


def test_c3_response_due_on_a_sunday_is_24_hours():
    assert rules.response_due(at(2026, 3, 15, 9, 30), CAL) == at(2026, 3, 16, 9, 30)


def test_c3_response_due_at_18_00_is_outside_working_time():
    assert rules.response_due(at(2026, 3, 10, 18, 0), CAL) == at(2026, 3, 11, 18, 0)


def test_c3_response_due_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        rules.response_due(datetime.datetime(2026, 3, 10, 10, 0), CAL)  # noqa: DTZ001


def test_c3_response_due_returns_aware_and_accepts_utc():
    due = rules.response_due(at(2026, 3, 10, 10, 0).astimezone(datetime.UTC), CAL)
    assert due.utcoffset() is not None
    assert due == at(2026, 3, 11, 10, 0)


def test_c8_half_a_working_day():
    assert rules.difficult_due_info(at(2026, 3, 10, 16, 0), CAL).at == at(2026, 3, 11, 11, 0)


def test_c11_one_working_day():
    assert rules.measures_due_info(at(2026, 3, 10, 10, 0), CAL).at == at(2026, 3, 11, 10, 0)


def test_c12_important_always_needs_a_return_visit():
    assert rules.return_visit_required(True)
    assert not rules.return_visit_required(False)


@pytest.mark.parametrize(
    ("amount", "developer", "expected"),
    [
        (Decimal("100"), False, "company"),
        (Decimal("5000.00"), False, "company"),
        (Decimal("5000.01"), False, "developer"),
        (Decimal("1"), True, "developer"),
        (None, False, "company"),
    ],
)
def test_c17_compensation_route(amount, developer, expected):
    assert rules.compensation_route(amount, developer, Decimal("5000.00")) == expected


def test_state_machine_refuses_skipping_steps():
    assert rules.allowed_from(State.RECEIVED, Action.RESPOND)
    assert not rules.allowed_from(State.RECEIVED, Action.TELL_RESULT)
    assert not rules.allowed_from(State.CLOSED, Action.RESPOND)
    assert not rules.allowed_from(State.RESULT_TOLD, Action.RECORD_RETURN_VISIT)
    assert not rules.allowed_from(State.INVALID, Action.SET_HANDLING)


def test_c12_only_qa_decides_the_return_visit():
    assert rules.role_may(Role.QA_STAFF, Action.DECIDE_RETURN_VISIT)
    assert not rules.role_may(Role.FRONT_DESK, Action.DECIDE_RETURN_VISIT)
    assert Action.DECIDE_RETURN_VISIT in rules.actions_for(State.RESULT_TOLD, Role.QA_MANAGER)
    assert Action.DECIDE_RETURN_VISIT not in rules.actions_for(State.RESULT_TOLD, Role.DEPT_MANAGER)
