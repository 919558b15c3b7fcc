"""The working-time functions other apps call by name (foundation issue, section 4), over the database.

The calendar itself is pure and lives in clock.calendar; each function here loads it once through
clock.selectors.load_calendar(). A caller computing several things in one request should load the
calendar once itself and call the WorkCalendar methods (complaints.rules takes it as an argument).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .calendar import (
    FIXED_DATE_HOLIDAYS,
    MAX_DAYS_SEARCHED,
    SHANGHAI,
    DayInfo,
    DayReason,
    Due,
    WorkCalendar,
    chinesecalendar_covers,
    parse_periods,
    within_days,
)
from .selectors import load_calendar, next_year_uncovered, uncovered_year

__all__ = [
    "FIXED_DATE_HOLIDAYS",
    "MAX_DAYS_SEARCHED",
    "SHANGHAI",
    "DayInfo",
    "DayReason",
    "Due",
    "WorkCalendar",
    "add_working_hours",
    "add_working_hours_info",
    "chinesecalendar_covers",
    "day_info",
    "is_working_time",
    "next_year_uncovered",
    "parse_periods",
    "uncovered_year",
    "within_days",
]


def add_working_hours_info(start: datetime.datetime, hours: float | int | Decimal) -> Due:
    """The moment `hours` working hours after `start` (C3: 8, C8: 4, C11: 8), and whether it is
    provisional. A start outside working time begins counting at the next working period."""
    return load_calendar().add_working_hours(start, hours)


def add_working_hours(start: datetime.datetime, hours: float | int | Decimal) -> datetime.datetime:
    """Received Fri 17:00 + 8 working hours -> the next working day 16:00 (Asia/Shanghai)."""
    return add_working_hours_info(start, hours).at


def is_working_time(moment: datetime.datetime) -> bool:
    """Inside a working period of a working day (C3 chooses 8 working hours or 24 hours by this)."""
    return load_calendar().is_working_time(moment)


def day_info(date: datetime.date) -> DayInfo:
    return load_calendar().day_info(date)
