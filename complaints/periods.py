"""C14 and C15 periods: month and quarter boundaries in Shanghai time, and the summaries' due times.
Pure; re-exported by complaints.rules."""

from __future__ import annotations

import datetime

from clock.calendar import SHANGHAI

# C14: the department manager approves last month's summary before 00:00 on the 5th.
SUMMARY_DUE_DAY = 5


def _shanghai_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    month = month_start(month)
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def previous_month(month: datetime.date) -> datetime.date:
    month = month_start(month)
    return month.replace(year=month.year - 1, month=12) if month.month == 1 else month.replace(month=month.month - 1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a month in Shanghai wall time, as aware datetimes."""
    return _shanghai_midnight(month_start(month)), _shanghai_midnight(next_month(month))


def last_finished_month(now: datetime.datetime) -> datetime.date:
    """C14: the month whose summary is due, i.e. the month before `now`'s Shanghai month."""
    return previous_month(now.astimezone(SHANGHAI).date())


def summary_due(month: datetime.date) -> datetime.datetime:
    """C14: 00:00 (Shanghai) on the 5th of the month after `month` — a clock time, not working time."""
    return _shanghai_midnight(next_month(month).replace(day=SUMMARY_DUE_DAY))


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_months(quarter: datetime.date) -> list[datetime.date]:
    first = quarter_start(quarter)
    return [first, next_month(first), next_month(next_month(first))]


def quarter_bounds(quarter: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    months = quarter_months(quarter)
    return month_bounds(months[0])[0], month_bounds(months[-1])[1]


def last_finished_quarter(now: datetime.datetime) -> datetime.date:
    """C15: the first day of the quarter before `now`'s Shanghai quarter."""
    current = quarter_start(now.astimezone(SHANGHAI).date())
    return quarter_start(previous_month(current))


def quarter_label(quarter: datetime.date) -> str:
    return f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"


def analysis_due(quarter: datetime.date, days_after: int | None = None) -> datetime.datetime:
    """C15: QA's analysis is due `days_after` days after the quarter ends (a company setting), or by
    default at the end of the first month after the quarter (00:00 on the 1st of the month after)."""
    end = quarter_bounds(quarter)[1]
    if days_after:
        return end + datetime.timedelta(days=int(days_after))
    return _shanghai_midnight(next_month(end.date()))
