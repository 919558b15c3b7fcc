"""The pure rules of the customer communication register (RULES.md section F). No database.

- F1: every contact is logged (channel, kind, category, what was said, who received it, what was done,
  the outcome); a service request has a due time from its category (working hours on the company
  calendar); an enquiry answered on the spot is closed in the same save.
- F2: a monthly archive per office with corrective and preventive actions (纠正和预防措施).
- F3: forums and home visits, whose opinions become register entries.

`deadline_plan(subject)` says which deadlines must be live for an entry, a corrective action or an
archive, as a pure function of its state (deadline core v2: the clock's `deadline_sync` makes it so).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Rule codes of our deadlines (clock.Deadline.rule, at most 10 characters).
RULE_SERVICE = "F1"  # a service request done by its due time
RULE_ACTION = "F2-CA"  # a corrective action done by its due date
RULE_ARCHIVE = "F2"  # the month's archive approved

# F2: the month's archive is approved within this many calendar days after the month ends.
ARCHIVE_DUE_DAYS = 10
# F1: service request due times in working hours, per default category (company-editable).
DEFAULT_SERVICE_HOURS = 8


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    ONLINE = "online", _("Online")
    FORUM = "forum", _("Resident forum")
    HOME_VISIT = "home_visit", _("Home visit")
    SURVEY = "survey", _("Survey comment")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    OPINION = "opinion", _("Opinion")
    SUGGESTION = "suggestion", _("Suggestion")
    SERVICE = "service", _("Service request")
    ENQUIRY = "enquiry", _("Enquiry")
    PRAISE = "praise", _("Praise")
    COMPLAINT = "complaint", _("Complaint")


class State(models.TextChoices):
    """The fixed meanings underneath every state an office names (StateLabel adds its own names)."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.OPEN, State.IN_PROGRESS)

# The default categories of a company (code, label, service due in working hours). The company may
# rename, add, deactivate and change the hours (Category rows).
DEFAULT_CATEGORIES: list[tuple[str, object, int]] = [
    ("customer_service", _("Customer service"), 8),
    ("security", _("Security"), 4),
    ("cleaning", _("Cleaning"), 8),
    ("greening", _("Greening"), 16),
    ("repairs", _("Repairs"), 4),
    ("facilities", _("Facilities"), 8),
    ("parking", _("Parking"), 8),
    ("fees", _("Fees"), 8),
    ("neighbours", _("Neighbours"), 16),
    ("other", _("Other"), 8),
]
DEFAULT_CATEGORY_LABELS = {code: label for code, label, _hours in DEFAULT_CATEGORIES}


class ActionState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified")


class ActionSource(models.TextChoices):
    ARCHIVE = "archive", _("Monthly archive (F2)")
    SURVEY = "survey", _("Satisfaction survey (S17)")
    INSPECTION = "inspection", _("QA check (Q1)")
    OTHER = "other", _("Other")


class Verifier(models.TextChoices):
    """Who may verify a corrective action: the office manager or QA, or QA only (Q1 findings)."""

    OFFICE = "office", _("Office manager or QA")
    QA = "qa", _("QA only")


class ArchiveState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


def initial_state(kind: str, answered_on_the_spot: bool) -> str:
    """F1: an enquiry (or any contact) answered on the spot is closed in the same save."""
    if answered_on_the_spot:
        return State.CLOSED
    return State.OPEN


def is_open(state: str) -> bool:
    return state in OPEN_STATES


# ---------------------------------------------------------------------------------------------
# Months (F2)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a month in Asia/Shanghai."""
    return local_midnight(month), local_midnight(next_month(month))


def last_finished_month(now: datetime.datetime) -> datetime.date:
    return previous_month(now.astimezone(SHANGHAI).date())


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last` inclusive (catching up missed months)."""
    out: list[datetime.date] = []
    month = month_start(first)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def archive_due(month: datetime.date) -> datetime.datetime:
    """F2: the archive of `month` is approved within ARCHIVE_DUE_DAYS days after the month ends
    (24:00 local time at the end of that day)."""
    return local_midnight(next_month(month) + datetime.timedelta(days=ARCHIVE_DUE_DAYS))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A due date as a moment: 24:00 local time at the end of the day."""
    return local_midnight(day + datetime.timedelta(days=1))


def pareto(counts: list[tuple[str, int]]) -> list[dict]:
    """F2: categories by count, largest first, with each one's share and the cumulative percentage
    (a Pareto chart: the few factors that make most of the opinions)."""
    rows = sorted(((label, n) for label, n in counts if n > 0), key=lambda item: (-item[1], item[0]))
    total = sum(n for _label, n in rows)
    out: list[dict] = []
    running = 0
    for label, n in rows:
        running += n
        out.append(
            {
                "label": label,
                "count": n,
                "percent": round(100 * n / total, 1) if total else 0.0,
                "cumulative": round(100 * running / total, 1) if total else 0.0,
            }
        )
    return out


def change(current: int, previous: int | None) -> int | None:
    """The change against an earlier month (None when there is nothing to compare with)."""
    if previous is None:
        return None
    return current - previous


# ---------------------------------------------------------------------------------------------
# Deadline plans


@dataclass(frozen=True)
class PlannedDeadline:
    """One deadline that must be live now, in the terms of the clock's deadline core v2: rule ID,
    basis moment, measure (working hours / wall hours / within N days / a fixed moment), who answers
    (a named user, a department, or a role in an office) and whom a breach tells."""

    rule: str
    title: str
    basis: datetime.datetime
    measure: str  # "working_hours" | "wall_hours" | "days" | "at"
    amount: int = 0
    due_at: datetime.datetime | None = None  # for measure "at"
    user_id: int | None = None
    department_id: int | None = None
    role: str = ""
    office_id: int | None = None
    tell_roles: tuple[str, ...] = field(default_factory=tuple)


def _entry_plan(entry) -> list[PlannedDeadline]:
    # F1: a service request is done within its category's working hours; the assignee answers
    # (the department, or the office's front desk until someone is named); the office manager hears
    # of a breach.
    if entry.kind != Kind.SERVICE or entry.state not in OPEN_STATES or not entry.service_hours:
        return []
    return [
        PlannedDeadline(
            rule=RULE_SERVICE,
            title=str(_("Service request %(number)s done")) % {"number": entry.number},
            basis=entry.received_at,
            measure="working_hours",
            amount=int(entry.service_hours),
            user_id=entry.assignee_id,
            department_id=None if entry.assignee_id else entry.department_id,
            role="" if (entry.assignee_id or entry.department_id) else "front_desk",
            office_id=entry.office_id,
            tell_roles=("office_manager",),
        )
    ]


def _action_plan(action) -> list[PlannedDeadline]:
    # F2: a corrective action is done by its due date; the owner (or department) answers; the office
    # manager (QA for a QA-verified action) hears of a breach.
    if action.state != ActionState.OPEN or action.due_on is None:
        return []
    return [
        PlannedDeadline(
            rule=RULE_ACTION,
            title=str(_("Corrective action done: %(title)s")) % {"title": action.title},
            basis=action.created_at,
            measure="at",
            due_at=end_of_day(action.due_on),
            user_id=action.owner_id,
            department_id=None if action.owner_id else action.department_id,
            role="" if (action.owner_id or action.department_id) else "office_manager",
            office_id=action.office_id,
            tell_roles=("qa_manager",) if action.verifier == Verifier.QA else ("office_manager",),
        )
    ]


def _archive_plan(archive) -> list[PlannedDeadline]:
    # F2: the office manager approves the month's archive promptly after the month.
    if archive.state != ArchiveState.DRAFT:
        return []
    return [
        PlannedDeadline(
            rule=RULE_ARCHIVE,
            title=str(_("Monthly feedback archive %(month)s approved")) % {"month": f"{archive.month:%Y-%m}"},
            basis=archive.generated_at,
            measure="at",
            due_at=archive_due(archive.month),
            role="office_manager",
            office_id=archive.office_id,
            tell_roles=("qa_manager",),
        )
    ]


def deadline_plan(subject) -> list[PlannedDeadline]:
    """The deadlines that must be live for `subject` now (an Entry, a CorrectiveAction or a
    MonthlyArchive). A final state has an empty plan."""
    name = type(subject).__name__
    if name == "Entry":
        return _entry_plan(subject)
    if name == "CorrectiveAction":
        return _action_plan(subject)
    if name == "MonthlyArchive":
        return _archive_plan(subject)
    raise TypeError(f"no deadline plan for {name}")
