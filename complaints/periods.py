"""The pure rules of the C14 monthly summaries and C15 quarterly analyses: month and quarter
boundaries in Shanghai time, their due times, how far generation catches up, and their deadline
plans (clock.deadlines). No database. complaints.rules re-exports every name here.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from clock.calendar import SHANGHAI
from clock.deadlines import DeadlineSpec, Measure
from estates.models import QA_ROLES, Role

if TYPE_CHECKING:
    from .models import MonthlySummary, QuarterlyAnalysis

RULE_C14 = "C14"
RULE_C15 = "C15"


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
    """C15: QA's analysis is due `days_after` days after the quarter ends (a company setting, at
    least 1), or by default at the end of the first month after the quarter (00:00 on the 1st of
    the month after)."""
    end = quarter_bounds(quarter)[1]
    if days_after is not None:
        if int(days_after) < 1:
            raise ValueError("the C15 analysis is due at least 1 day after the quarter")
        return end + datetime.timedelta(days=int(days_after))
    return _shanghai_midnight(next_month(end.date()))


# How far back scheduled generation catches up on missing months and quarters (issue 6 section 7).
CATCH_UP_MONTHS = 12


def months_to_catch_up(now: datetime.datetime, since: datetime.date | None) -> list[datetime.date]:
    """C14: the finished months whose summaries are made if missing, oldest first: back to
    CATCH_UP_MONTHS months, but not before `since` (the first month ever summarised; None: only
    the last finished month, so a new installation does not make a year of overdue drafts)."""
    last = last_finished_month(now)
    months = [last]
    while len(months) < CATCH_UP_MONTHS:
        earlier = previous_month(months[-1])
        if since is None or earlier < month_start(since):
            break
        months.append(earlier)
    return months[::-1]


def quarters_to_catch_up(now: datetime.datetime, since: datetime.date | None) -> list[datetime.date]:
    """C15: the finished quarters whose analyses are made if missing, oldest first (as months_to_catch_up,
    back to CATCH_UP_MONTHS months)."""
    last = last_finished_quarter(now)
    quarters = [last]
    while len(quarters) < CATCH_UP_MONTHS // 3:
        earlier = quarter_start(previous_month(quarters[-1]))
        if since is None or earlier < quarter_start(since):
            break
        quarters.append(earlier)
    return quarters[::-1]


def summary_deadline_plan(summary: MonthlySummary, *, manager_id: int | None) -> list[DeadlineSpec]:
    """C14: a draft summary is due 00:00 (Shanghai) on the 5th of the next month; its department's
    manager answers (the office's department managers, or the QA manager for a company-level
    department, when it has none); QA is told of a breach. An approved summary plans nothing."""
    if summary.state != "draft":
        return []
    department = summary.department
    # Issue 9: without a department manager the office manager approves (the QA manager a company one).
    role = "" if manager_id else (Role.OFFICE_MANAGER if department.office_id else Role.QA_MANAGER)
    return [
        DeadlineSpec(
            rule=RULE_C14,
            basis=summary_due(summary.month),
            measure=Measure.FIXED,
            amount=0,
            office=department.office,
            company=department.company,
            responsible_user_id=manager_id,
            responsible_department_id=None,
            responsible_role=role,
            escalate_roles=QA_ROLES,
            params={"month": f"{summary.month:%Y-%m}", "department": department.label},
            link=summary.get_absolute_url(),
        )
    ]


def analysis_deadline_plan(analysis: QuarterlyAnalysis, *, due_at: datetime.datetime) -> list[DeadlineSpec]:
    """C15: QA's draft analysis is due at `due_at` (analysis_due); the QA manager answers, the
    management representative is told of a breach. A published analysis plans nothing."""
    if analysis.state != "draft":
        return []
    return [
        DeadlineSpec(
            rule=RULE_C15,
            basis=due_at,
            measure=Measure.FIXED,
            amount=0,
            office=None,
            company=analysis.company,
            responsible_user_id=None,
            responsible_department_id=None,
            responsible_role=Role.QA_MANAGER,
            escalate_roles=(Role.MGMT_REP,),
            params={"quarter": analysis.label},
            link=analysis.get_absolute_url(),
        )
    ]
