"""The pure rules of the customer communication register (RULES.md section F). No database.

- F1: every contact is logged (channel, kind, category, what was said, who received it, what was done,
  the outcome); a service request has a due time from its category (working hours on the company
  calendar); an enquiry answered on the spot is closed in the same save.
- F2: a monthly archive per office with corrective and preventive actions (纠正和预防措施).
- F3: forums and home visits, whose opinions become register entries.

`deadline_plan(subject)` says which deadlines must be live for an entry, a corrective action or an
archive, as a pure function of its state; feedback.deadlines.sync hands it to the clock's
`deadline_sync` at the end of every state change.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from clock.deadlines import DeadlineSpec, Measure
from estates.models import Role

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
    HOME_VISIT = "home_visit", pgettext_lazy("feedback", "Home visit")
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

    OPEN = "open", pgettext_lazy("feedback", "Open")
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
    OPEN = "open", pgettext_lazy("feedback", "Open")
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
    APPROVED = "approved", pgettext_lazy("feedback", "Approved")


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
# Deadline plans (clock deadline core v2)

# The titles of our deadlines, rendered in the reader's language (registered in apps.py).
RULE_TITLES = {
    RULE_SERVICE: _("Service request %(number)s done"),
    RULE_ACTION: _("Corrective action done: %(title)s"),
    RULE_ARCHIVE: _("Monthly feedback archive %(month)s approved"),
}
# What a grouped notification of a burst of one rule in one office says (issue 9, clock.bursts).
RULE_NAMES = {
    RULE_SERVICE: _("service request"),
    RULE_ACTION: _("corrective action"),
    RULE_ARCHIVE: _("monthly archive"),
}
RULE_SUBJECTS = {
    RULE_SERVICE: ngettext_lazy("%(count)d service request", "%(count)d service requests", "count"),
    RULE_ACTION: ngettext_lazy("%(count)d corrective action", "%(count)d corrective actions", "count"),
}


def _entry_plan(entry) -> list[DeadlineSpec]:
    # F1: a service request is done within its category's working hours; the assignee answers (the
    # department, or the office's front desk until someone is named); the office manager hears of
    # a breach.
    if entry.kind != Kind.SERVICE or entry.state not in OPEN_STATES or not entry.service_hours:
        return []
    return [
        DeadlineSpec(
            rule=RULE_SERVICE,
            basis=entry.received_at,
            measure=Measure.WORKING_HOURS,
            amount=int(entry.service_hours),
            office=entry.office,
            company=None,
            responsible_user_id=entry.assignee_id,
            responsible_department_id=None if entry.assignee_id else entry.department_id,
            responsible_role="" if (entry.assignee_id or entry.department_id) else Role.FRONT_DESK,
            escalate_roles=(Role.OFFICE_MANAGER,),
            params={"number": entry.number},
            link=f"/feedback/{entry.pk}/",
        )
    ]


def _action_plan(action) -> list[DeadlineSpec]:
    # F2: a corrective action is done by the end of its due date; the owner (or the department)
    # answers; the office manager (QA for a QA-verified action, Q1) hears of a breach.
    if action.state != ActionState.OPEN or action.due_on is None:
        return []
    return [
        DeadlineSpec(
            rule=RULE_ACTION,
            basis=end_of_day(action.due_on),
            measure=Measure.FIXED,
            amount=0,
            office=action.office,
            company=None,
            responsible_user_id=action.owner_id,
            responsible_department_id=None if action.owner_id else action.department_id,
            responsible_role="" if (action.owner_id or action.department_id) else Role.OFFICE_MANAGER,
            escalate_roles=(Role.QA_MANAGER,) if action.verifier == Verifier.QA else (Role.OFFICE_MANAGER,),
            params={"title": action.title},
            link=f"/feedback/actions/{action.pk}/",
        )
    ]


def _archive_plan(archive) -> list[DeadlineSpec]:
    # F2: the office manager approves the month's archive promptly after the month.
    if archive.state != ArchiveState.DRAFT:
        return []
    return [
        DeadlineSpec(
            rule=RULE_ARCHIVE,
            basis=archive_due(archive.month),
            measure=Measure.FIXED,
            amount=0,
            office=archive.office,
            company=None,
            responsible_user_id=None,
            responsible_department_id=None,
            responsible_role=Role.OFFICE_MANAGER,
            escalate_roles=(Role.QA_MANAGER,),
            params={"month": f"{archive.month:%Y-%m}"},
            link=f"/feedback/archives/{archive.pk}/",
        )
    ]


def deadline_plan(subject, calendar=None) -> list[DeadlineSpec]:
    """The deadlines that must be live for `subject` now (an Entry, a CorrectiveAction or a
    MonthlyArchive), for clock.deadlines.deadline_sync. A final state has an empty plan. No rule here
    needs the calendar itself (the clock computes working hours); the argument keeps the clock's
    signature."""
    name = type(subject).__name__
    if name == "Entry":
        return _entry_plan(subject)
    if name == "CorrectiveAction":
        return _action_plan(subject)
    if name == "MonthlyArchive":
        return _archive_plan(subject)
    raise TypeError(f"no deadline plan for {name}")


def deadlines_done(subject) -> tuple[str, ...]:
    """The rules whose deadline closes as met (not cancelled) when it leaves the plan: the step was
    done (a service request done or closed, an action done, an archive approved)."""
    name = type(subject).__name__
    if name == "Entry":
        return (RULE_SERVICE,) if subject.state in (State.DONE, State.CLOSED) else ()
    if name == "CorrectiveAction":
        return (RULE_ACTION,) if subject.state != ActionState.OPEN else ()
    if name == "MonthlyArchive":
        return (RULE_ARCHIVE,) if subject.state == ArchiveState.APPROVED else ()
    return ()
