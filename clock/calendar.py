"""The working-time calendar, pure (RULES.md "Working time", "Within N days"): no model, no query.

Which days are working days, in this order of precedence:
1. a company extra closed or open day (CalendarDay, source=company);
2. a State Council arrangement the company admin entered (CalendarDay, source=state);
3. chinesecalendar, for the years it covers (2004-2026 in 1.11);
4. a year the admin marked as entered (CalendarYear) with no entry for that day: Monday to Friday;
5. otherwise the FALLBACK: Monday to Friday minus the fixed-date holidays (1 Jan, 1-2 May, 1-3 Oct).
   Such a day is provisional, and so is every deadline whose computation touched one: the real
   arrangement (Spring Festival, 调休 Saturdays) is not known yet. Never a crash, never silently wrong.

Working periods default to 09:00-12:00 and 13:00-18:00; periods are half-open [start, end), so 12:00
is the lunch break and 18:00 is after work.

`WorkCalendar` is built from plain values; `clock.selectors.load_calendar()` is the one loader from the
database. Load it once per request and pass it on (complaints.rules takes it as an argument), so rule
tests need no database: `WorkCalendar(periods=parse_periods(DEFAULT_PERIODS))`.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The working periods of a working day when the company has not set its own (RULES.md "Working time").
DEFAULT_PERIODS = (("09:00", "12:00"), ("13:00", "18:00"))
# Warn when this fraction of the time from basis to due has passed (the one constant; the company
# may change it in CalendarSettings.warn_fraction).
WARN_FRACTION = Decimal("0.75")

# A guard, not a rule: adding working hours never searches more than this many days ahead. Even a
# company that closes for months stays far below it; only a misconfigured calendar reaches it.
MAX_DAYS_SEARCHED = 3 * 366

# The fallback for a year nobody has entered: the holidays that fall on a fixed date every year.
FIXED_DATE_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


class DayReason:
    """Why a day is or is not a working day (DayInfo.reason)."""

    COMPANY = "company"
    STATE = "state"
    CHINESECALENDAR = "chinesecalendar"
    ENTERED_YEAR = "entered_year"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class DayInfo:
    is_working: bool
    provisional: bool
    reason: str


@dataclass(frozen=True)
class Due:
    """A due time, and whether a provisional (fallback) day was used to compute it."""

    at: datetime.datetime
    provisional: bool


# ---------------------------------------------------------------------------------------------
# Working periods


_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def _parse_time(value: object) -> datetime.time:
    if not isinstance(value, str):
        raise ValueError(_("A time must be written as HH:MM, e.g. 09:00."))
    match = _TIME_RE.match(value.strip())
    if not match:
        raise ValueError(_("“%(value)s” is not a time; write it as HH:MM, e.g. 09:00.") % {"value": value})
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(_("“%(value)s” is not a time of day (00:00 to 23:59).") % {"value": value})
    return datetime.time(hour, minute)


def parse_periods(value: object) -> list[tuple[datetime.time, datetime.time]]:
    """Validate working periods given as [["09:00", "12:00"], ["13:00", "18:00"]]: at least one,
    each start before its end, in order, not overlapping. Raises ValueError with a translated message."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(_("Enter at least one working period."))
    periods: list[tuple[datetime.time, datetime.time]] = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError(_("Each working period needs a start and an end time."))
        start, end = _parse_time(item[0]), _parse_time(item[1])
        if start >= end:
            raise ValueError(
                _("The working period %(start)s–%(end)s must start before it ends.")
                % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
            )
        if periods and start < periods[-1][1]:
            raise ValueError(
                _("The working periods must be in order and must not overlap (%(start)s comes too early).")
                % {"start": start.strftime("%H:%M")}
            )
        periods.append((start, end))
    return periods


# ---------------------------------------------------------------------------------------------
# Day classification


@functools.lru_cache(maxsize=256)
def chinesecalendar_covers(year: int) -> bool:
    """True when the installed chinesecalendar knows the State Council arrangement of `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """The calendar as stored, loaded once (clock.selectors.load_calendar). Pure (no queries), so it
    can also be built directly in tests or by callers that compute many deadlines in one go."""

    def __init__(
        self,
        *,
        periods: list[tuple[datetime.time, datetime.time]],
        company_days: dict[datetime.date, bool] | None = None,
        state_days: dict[datetime.date, bool] | None = None,
        entered_years: Iterable[int] = (),
    ) -> None:
        self.periods = periods
        self.company_days = company_days or {}
        self.state_days = state_days or {}
        self.entered_years = frozenset(entered_years)

    @classmethod
    def default(cls) -> WorkCalendar:
        """The calendar with nothing entered: default periods, chinesecalendar, then the fallback."""
        return cls(periods=parse_periods([list(p) for p in DEFAULT_PERIODS]))

    def year_covered(self, year: int) -> bool:
        return year in self.entered_years or chinesecalendar_covers(year)

    def day_info(self, date: datetime.date) -> DayInfo:
        if date in self.company_days:
            return DayInfo(self.company_days[date], False, DayReason.COMPANY)
        if date in self.state_days:
            return DayInfo(self.state_days[date], False, DayReason.STATE)
        if chinesecalendar_covers(date.year):
            try:
                return DayInfo(chinese_calendar.is_workday(date), False, DayReason.CHINESECALENDAR)
            except NotImplementedError:  # pragma: no cover - covers() said yes; never crash regardless
                pass
        weekday = date.weekday() < 5
        if date.year in self.entered_years:
            return DayInfo(weekday, False, DayReason.ENTERED_YEAR)
        fixed_holiday = (date.month, date.day) in FIXED_DATE_HOLIDAYS
        return DayInfo(weekday and not fixed_holiday, True, DayReason.FALLBACK)

    def periods_on(self, date: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
        return [
            (
                datetime.datetime.combine(date, start, tzinfo=SHANGHAI),
                datetime.datetime.combine(date, end, tzinfo=SHANGHAI),
            )
            for start, end in self.periods
        ]

    def is_working_time(self, moment: datetime.datetime) -> bool:
        local = _local(moment)
        if not self.day_info(local.date()).is_working:
            return False
        return any(start <= local < end for start, end in self.periods_on(local.date()))

    def add_working_hours(self, start: datetime.datetime, hours: float | int | Decimal) -> Due:
        remaining = datetime.timedelta(hours=float(hours))
        if remaining < datetime.timedelta(0):
            raise ValueError(_("The number of working hours cannot be negative."))
        if not self.periods:
            raise ValueError(_("No working periods are configured, so no deadline can be computed."))
        cursor = _local(start)
        if not remaining:
            return Due(cursor, self.day_info(cursor.date()).provisional)
        provisional = False
        date = cursor.date()
        for _step in range(MAX_DAYS_SEARCHED):
            info = self.day_info(date)
            provisional = provisional or info.provisional
            if info.is_working:
                for period_start, period_end in self.periods_on(date):
                    begin = max(period_start, cursor)
                    if begin >= period_end:
                        continue
                    available = period_end - begin
                    # "<=": a deadline that ends exactly at a period's end stays there (12:00, not 13:00).
                    if remaining <= available:
                        return Due(begin + remaining, provisional)
                    remaining -= available
            date += datetime.timedelta(days=1)
        raise ValueError(
            _("No working time found within %(days)s days; check the company calendar.") % {"days": MAX_DAYS_SEARCHED}
        )


def _local(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("clock.calendar needs an aware datetime")
    return moment.astimezone(SHANGHAI)


def within_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """RULES.md "Within N days": due at 24:00 local time at the end of the day N calendar days after
    the start day. Received Monday 10:00, within 3 -> Thursday 24:00, i.e. Friday 00:00 Asia/Shanghai.
    Calendar days: holidays do not move it, so it is never provisional."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("within_days needs a whole number of days, 0 or more")
    day = _local(start).date() + datetime.timedelta(days=days + 1)
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=SHANGHAI)
