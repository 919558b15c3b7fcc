"""The working-time calendar (RULES.md "Working time", "Within N days"; C3, C8, C11 use it)."""

from __future__ import annotations

import datetime

import pytest

from clock import services
from clock.models import CalendarSettings
from clock.worktime import (
    SHANGHAI,
    DayReason,
    WorkCalendar,
    add_working_hours,
    add_working_hours_info,
    day_info,
    is_working_time,
    next_year_uncovered,
    parse_periods,
    uncovered_year,
    within_days,
)

pytestmark = pytest.mark.django_db


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# --- examples of RULES.md and the foundation issue -------------------------------------------------


def test_c3_friday_afternoon_plus_eight_hours_ends_next_working_day():
    # Fri 2026-11-27 17:00: 1 h on Friday, 3 h Monday morning, 4 h Monday afternoon -> Mon 17:00.
    assert add_working_hours(at(2026, 11, 27, 17, 0), 8) == at(2026, 11, 30, 17, 0)
    # One hour less lands at 16:00.
    assert add_working_hours(at(2026, 11, 27, 17, 0), 7) == at(2026, 11, 30, 16, 0)


def test_result_is_in_shanghai_time_for_a_utc_input():
    start = datetime.datetime(2026, 11, 27, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai
    result = add_working_hours(start, 1)
    assert result == at(2026, 11, 27, 10, 0)
    assert result.utcoffset() == datetime.timedelta(hours=8)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        add_working_hours(datetime.datetime(2026, 11, 27, 9, 0), 1)  # noqa: DTZ001


def test_lunch_break_is_not_working_time():
    assert add_working_hours(at(2026, 11, 27, 11, 30), 1) == at(2026, 11, 27, 13, 30)
    assert not is_working_time(at(2026, 11, 27, 12, 30))
    assert not is_working_time(at(2026, 11, 27, 12, 0))  # half-open: [09:00, 12:00)
    assert is_working_time(at(2026, 11, 27, 11, 59))
    assert is_working_time(at(2026, 11, 27, 13, 0))
    assert not is_working_time(at(2026, 11, 27, 18, 0))
    assert not is_working_time(at(2026, 11, 27, 8, 59))


def test_result_exactly_at_period_end_stays_there():
    assert add_working_hours(at(2026, 11, 27, 9, 0), 3) == at(2026, 11, 27, 12, 0)
    assert add_working_hours(at(2026, 11, 27, 9, 0), 8) == at(2026, 11, 27, 18, 0)


def test_c8_half_a_working_day_from_outside_working_time_starts_at_next_period():
    # Received at lunch: counting starts at 13:00.
    assert add_working_hours(at(2026, 11, 27, 12, 15), 4) == at(2026, 11, 27, 17, 0)
    # Received Saturday: counting starts Monday 09:00.
    assert add_working_hours(at(2026, 11, 28, 10, 0), 4) == at(2026, 11, 30, 14, 0)
    # Received in the evening: the next morning.
    assert add_working_hours(at(2026, 11, 26, 20, 0), 0.5) == at(2026, 11, 27, 9, 30)


def test_fractional_hours():
    assert add_working_hours(at(2026, 11, 27, 9, 0), 1.25) == at(2026, 11, 27, 10, 15)


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        add_working_hours(at(2026, 11, 27, 9, 0), -1)


# --- 2025 and 2026 statutory holidays (chinesecalendar 1.11) ---------------------------------------


def test_2025_national_day_week_is_skipped():
    # 2025: 1-8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up working days.
    for day in range(1, 9):
        assert not day_info(datetime.date(2025, 10, day)).is_working
    assert add_working_hours(at(2025, 9, 30, 17, 0), 8) == at(2025, 10, 9, 17, 0)


def test_2025_make_up_sunday_and_saturday_are_working_days():
    assert day_info(d("2025-09-28")).is_working
    assert day_info(d("2025-10-11")).is_working
    assert day_info(d("2025-09-28")).reason == DayReason.CHINESECALENDAR
    # Fri 2025-09-26 17:00 + 2 h: 1 h Friday, then the make-up Sunday 28 Sep (Saturday 27 is off).
    assert add_working_hours(at(2025, 9, 26, 17, 0), 2) == at(2025, 9, 28, 10, 0)
    # Fri 2025-10-10 17:00 + 2 h: the make-up Saturday 11 Oct counts.
    assert add_working_hours(at(2025, 10, 10, 17, 0), 2) == at(2025, 10, 11, 10, 0)
    assert is_working_time(at(2025, 10, 11, 10, 0))


def test_2026_national_day_week_is_skipped():
    # 2026: 1-7 Oct off; Sun 20 Sep and Sat 10 Oct are make-up working days.
    for day in range(1, 8):
        assert not day_info(datetime.date(2026, 10, day)).is_working
    assert day_info(d("2026-10-08")).is_working
    assert day_info(d("2026-09-20")).is_working
    assert day_info(d("2026-10-10")).is_working
    assert add_working_hours(at(2026, 9, 30, 9, 0), 16) == at(2026, 10, 8, 18, 0)
    assert add_working_hours(at(2026, 10, 9, 17, 0), 2) == at(2026, 10, 10, 10, 0)


def test_2025_spring_festival_week_is_skipped():
    # 2025: 28 Jan - 4 Feb off; Sun 26 Jan and Sat 8 Feb are make-up days.
    assert day_info(d("2025-01-26")).is_working
    assert add_working_hours(at(2025, 1, 27, 17, 0), 2) == at(2025, 2, 5, 10, 0)
    assert day_info(d("2025-02-08")).is_working


def test_2026_spring_festival_week_is_skipped():
    # 2026: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up days.
    assert day_info(d("2026-02-14")).is_working
    assert not day_info(d("2026-02-23")).is_working
    assert add_working_hours(at(2026, 2, 13, 17, 0), 2) == at(2026, 2, 14, 10, 0)
    due = add_working_hours_info(at(2026, 2, 14, 17, 0), 8)
    assert due.at == at(2026, 2, 24, 17, 0)
    assert due.provisional is False
    assert day_info(d("2026-02-28")).is_working


# --- a year nobody has entered: the fallback -------------------------------------------------------


def test_deadline_crossing_into_uncovered_2027_is_provisional_and_skips_new_year():
    due = add_working_hours_info(at(2026, 12, 31, 17, 0), 8)
    # 1 h on 31 Dec 2026, 1 Jan 2027 (fallback holiday) skipped, 2-3 Jan weekend, Mon 4 Jan 9:00-17:00.
    assert due.at == at(2027, 1, 4, 17, 0)
    assert due.provisional is True
    info = day_info(d("2027-01-01"))
    assert (info.is_working, info.provisional, info.reason) == (False, True, DayReason.FALLBACK)


def test_deadline_inside_covered_year_is_not_provisional():
    assert add_working_hours_info(at(2026, 12, 30, 9, 0), 8).provisional is False


def test_fallback_skips_fixed_date_holidays_only():
    assert day_info(d("2027-05-03")).is_working  # Monday 3 May 2027: not a fixed-date holiday
    assert [day_info(d(f"2027-10-0{i}")).is_working for i in range(1, 6)] == [False, False, False, True, True]
    assert not day_info(d("2027-05-01")).is_working  # Saturday anyway
    assert day_info(d("2027-02-08")).is_working  # Spring Festival 2027 not known: a working day, provisional
    assert day_info(d("2027-02-08")).provisional


# --- an admin-entered year ---------------------------------------------------------------------------


@pytest.fixture
def entered_2027(company_admin):
    return services.calendar_year_enter(
        year=2027,
        holidays=[d("2027-01-01")] + [d("2027-02-05") + datetime.timedelta(days=i) for i in range(7)],
        workdays=[d("2027-02-13")],  # a Saturday
        by=company_admin,
        note="国办发明电〔2026〕X号",
    )


def test_admin_entered_year_is_not_provisional(entered_2027):
    due = add_working_hours_info(at(2026, 12, 31, 17, 0), 8)
    assert due.at == at(2027, 1, 4, 17, 0)
    assert due.provisional is False
    assert day_info(d("2027-03-01")).reason == DayReason.ENTERED_YEAR
    assert day_info(d("2027-05-03")).is_working  # not entered as a holiday: Mon-Fri rule
    assert day_info(d("2027-10-01")).is_working  # a Friday not entered as a holiday: only entries count


def test_admin_entered_holidays_skipped_and_make_up_days_counted(entered_2027):
    # Thu 4 Feb 17:00 + 2 h: 5-11 Feb entered as holidays; Fri 12 Feb is the next working day.
    assert add_working_hours(at(2027, 2, 4, 17, 0), 2) == at(2027, 2, 12, 10, 0)
    # Fri 12 Feb 17:00 + 2 h: the entered make-up Saturday 13 Feb counts.
    assert add_working_hours(at(2027, 2, 12, 17, 0), 2) == at(2027, 2, 13, 10, 0)
    assert day_info(d("2027-02-13")).reason == DayReason.STATE


def test_entering_a_year_again_replaces_it(entered_2027, company_admin):
    services.calendar_year_enter(year=2027, holidays=[d("2027-01-01")], workdays=[], by=company_admin)
    assert day_info(d("2027-02-08")).is_working
    assert not day_info(d("2027-02-13")).is_working


# --- company closed and open days --------------------------------------------------------------------


def test_company_closed_day_is_skipped_and_open_day_counted(company_admin):
    services.calendar_day_set(date=d("2026-11-30"), kind="off", note="盘点", by=company_admin)
    assert add_working_hours(at(2026, 11, 27, 17, 0), 2) == at(2026, 12, 1, 10, 0)
    services.calendar_day_set(date=d("2026-11-28"), kind="work", note="加班", by=company_admin)
    assert add_working_hours(at(2026, 11, 27, 17, 0), 2) == at(2026, 11, 28, 10, 0)
    assert day_info(d("2026-11-28")).reason == DayReason.COMPANY
    assert services.calendar_day_remove(date=d("2026-11-28"), by=company_admin)
    assert not day_info(d("2026-11-28")).is_working


def test_company_day_wins_over_state_council_entry(entered_2027, company_admin):
    services.calendar_day_set(date=d("2027-02-08"), kind="work", by=company_admin)
    assert day_info(d("2027-02-08")).is_working


def test_company_day_wins_over_chinesecalendar(company_admin):
    services.calendar_day_set(date=d("2026-10-05"), kind="work", by=company_admin)
    assert day_info(d("2026-10-05")).is_working


# --- working periods ---------------------------------------------------------------------------------


def test_company_periods_change_the_count(company_admin):
    services.calendar_settings_update(
        periods=[["08:30", "12:00"], ["14:00", "17:30"]], warn_fraction=0.5, by=company_admin
    )
    assert add_working_hours(at(2026, 11, 27, 11, 0), 2) == at(2026, 11, 27, 15, 0)
    assert not is_working_time(at(2026, 11, 27, 13, 30))
    assert CalendarSettings.objects.get().warn_fraction == pytest.approx(0.5)


def test_no_working_periods_raise_not_loop():
    calendar = WorkCalendar(periods=[])
    with pytest.raises(ValueError):
        calendar.add_working_hours(at(2026, 11, 27, 9, 0), 1)


def test_a_calendar_with_no_working_day_stops():
    closed = {d("2026-01-01") + datetime.timedelta(days=i): False for i in range(4000)}
    calendar = WorkCalendar(periods=parse_periods([["09:00", "12:00"]]), company_days=closed)
    with pytest.raises(ValueError):
        calendar.add_working_hours(at(2026, 1, 1, 9, 0), 1)


@pytest.mark.parametrize(
    "value",
    [
        [],
        "09:00-12:00",
        [["09:00"]],
        [["9", "12:00"]],
        [["09:00", "25:00"]],
        [["12:00", "09:00"]],
        [["09:00", "09:00"]],
        [["13:00", "18:00"], ["09:00", "12:00"]],
        [["09:00", "13:30"], ["13:00", "18:00"]],
        [[9, 12]],
    ],
)
def test_parse_periods_rejects_bad_values(value):
    with pytest.raises(ValueError) as excinfo:
        parse_periods(value)
    assert str(excinfo.value)


def test_parse_periods_accepts_default_and_touching_periods():
    assert parse_periods([["09:00", "12:00"], ["12:00", "18:00"]]) == [
        (datetime.time(9), datetime.time(12)),
        (datetime.time(12), datetime.time(18)),
    ]


def test_calendar_settings_clean_uses_parse_periods():
    from django.core.exceptions import ValidationError

    row = CalendarSettings(periods=[["18:00", "09:00"]])
    with pytest.raises(ValidationError):
        row.full_clean()


# --- within N days -----------------------------------------------------------------------------------


def test_within_days_rules_example_monday_plus_three_is_thursday_midnight():
    # RULES.md: received Monday 10:00, within 3 days -> due Thursday 24:00 = Friday 00:00 local.
    assert within_days(at(2026, 11, 23, 10, 0), 3) == at(2026, 11, 27, 0, 0)


def test_s5_s7_within_days_ignore_holidays_and_use_local_day():
    # S7: handed out 30 Sep 2026 23:30, within 10 days -> 10 Oct 24:00, National Day or not.
    assert within_days(at(2026, 9, 30, 23, 30), 10) == at(2026, 10, 11, 0, 0)
    # 30 Sep 20:00 UTC is already 1 Oct in Shanghai.
    start = datetime.datetime(2026, 9, 30, 20, 0, tzinfo=datetime.UTC)
    assert within_days(start, 3) == at(2026, 10, 5, 0, 0)
    # S15: 14 days, across the year end.
    assert within_days(at(2026, 12, 25, 9, 0), 14) == at(2027, 1, 9, 0, 0)


def test_within_days_refuses_bad_days():
    with pytest.raises(ValueError):
        within_days(at(2026, 11, 23, 10, 0), -1)


# --- coverage warning ----------------------------------------------------------------------------------


def test_next_year_uncovered_from_first_november():
    assert next_year_uncovered(d("2026-10-31")) is None
    assert next_year_uncovered(d("2026-11-01")) == 2027
    assert next_year_uncovered(d("2025-11-01")) is None  # 2026 is built in


def test_next_year_uncovered_none_once_entered(entered_2027):
    assert next_year_uncovered(d("2026-11-26")) is None


def test_uncovered_year_names_the_current_year_all_year_round():
    assert uncovered_year(d("2027-03-01")) == 2027
    assert uncovered_year(d("2026-06-01")) is None
