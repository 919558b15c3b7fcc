"""The pure rules of the complaint procedure (RULES.md section C). No database: the working-time
calendar is the clock's (clock.calendar.WorkCalendar), passed in by the caller, which loads it once
(clock.selectors.load_calendar).

`response_due(received_at)` is fixed by name and meaning (issue 3): other tools call it.
`deadline_plan(complaint, calendar)` says which deadlines must be live for a complaint as it is now;
the services hand it to clock.deadlines.deadline_sync at the end of every state change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from clock.calendar import SHANGHAI, Due, WorkCalendar
from clock.deadlines import DeadlineSpec, Measure
from common.dates import Window
from estates.models import QA_ROLES, Role

# The state machine and action registry (machine.py) and the C14/C15 periods (periods.py) are read here.
from .machine import (  # noqa: F401  # noqa: F401
    DECIDE_TARGETS,
    FINAL_STATES,
    HANDLER_ACTIONS,
    OPEN_STATES,
    RETURN_VISIT_TARGETS,
    TRANSITIONS,
    WORKING_STATES,
    Action,
    State,
    Transition,
    actions_for,
    allowed_from,
    available,
    role_may,
    role_may_on,
)
from .periods import (  # noqa: F401
    CATCH_UP_MONTHS,
    RULE_C14,
    RULE_C15,
    SUMMARY_DUE_DAY,
    analysis_deadline_plan,
    analysis_due,
    last_finished_month,
    last_finished_quarter,
    month_bounds,
    month_start,
    months_to_catch_up,
    next_month,
    previous_month,
    quarter_bounds,
    quarter_label,
    quarter_months,
    quarter_start,
    quarters_to_catch_up,
    summary_deadline_plan,
    summary_due,
)

if TYPE_CHECKING:
    from .models import Complaint

# Sensible ranges of the moments people enter (hardening issue, item 1), checked by the forms and the
# services alike: a complaint is logged when it arrives (never ahead of now beyond a clock's skew; paper
# registers entered late, issue 9, reach 10 years back); a handling deadline lies ahead within a year;
# the F2 written report was sent within the last year.
CLOCK_SKEW = datetime.timedelta(minutes=2)
RECEIVED_WINDOW = Window(past=datetime.timedelta(days=3653), future=CLOCK_SKEW)  # late entry (issue 9): 10 years
HANDLING_DUE_WINDOW = Window(past=datetime.timedelta(0), future=datetime.timedelta(days=366))
REPORT_SENT_WINDOW = Window(past=datetime.timedelta(days=366), future=CLOCK_SKEW)
# Free text the services accept (the forms say the same with a counter): a complaint, a note, a record box.
TEXT_LIMIT = 2000

# C3: 8 working hours when received in working time, 24 hours (wall-clock) otherwise.
RESPONSE_WORKING_HOURS = 8
RESPONSE_OUTSIDE_HOURS = 24
# C8: a difficult class-1 complaint reaches QA and the assistant GM within half a working day (4 h).
DIFFICULT_TO_QA_WORKING_HOURS = 4
# C11: a department given a complaint reports its measures to QA within 1 working day (8 h).
MEASURES_TO_QA_WORKING_HOURS = 8
# C17: the company's compensation authority when the company has not set its own (yuan).
DEFAULT_COMPENSATION_AUTHORITY = Decimal("5000.00")

# Rule codes of the deadlines we open on a complaint (clock.Deadline.rule, at most 10 characters).
RULE_C3 = "C3"
RULE_C8 = "C8"  # difficult class 1 to QA + assistant GM
RULE_C8_HANDLING = "C8-DL"  # the handling deadline QA / the assistant GM set
RULE_C11 = "C11"


# The title of each deadline rule, rendered in the reader's language (registered in apps.ready).
RULE_TITLES = {
    RULE_C3: _("First response to complaint %(number)s"),
    RULE_C8: _("Difficult complaint %(number)s: handling opinion and deadline"),
    RULE_C8_HANDLING: _("Handle complaint %(number)s by the set deadline"),
    RULE_C11: _("Report measures on complaint %(number)s to QA"),
    RULE_C14: _("Monthly complaint summary %(month)s, %(department)s"),
    RULE_C15: _("Quarterly complaint analysis %(quarter)s"),
}

# A burst of breaches or warnings of one rule in one office is one notification with a count (issue 9,
# clock.bursts): "一处：12 件投诉超过 C3 首次回复期限". The rule's short name, and how its subjects are counted.
RULE_NAMES = {
    RULE_C3: _("first response"),
    RULE_C8: _("difficult complaint to QA"),
    RULE_C8_HANDLING: _("handling by the set date"),
    RULE_C11: _("measures to QA"),
    RULE_C14: _("monthly summary"),
    RULE_C15: _("quarterly analysis"),
}
COMPLAINTS_COUNTED = ngettext_lazy("%(count)d complaint", "%(count)d complaints", "count")
RULE_SUBJECTS = {
    RULE_C3: COMPLAINTS_COUNTED,
    RULE_C8: COMPLAINTS_COUNTED,
    RULE_C8_HANDLING: COMPLAINTS_COUNTED,
    RULE_C11: COMPLAINTS_COUNTED,
    RULE_C14: ngettext_lazy("%(count)d monthly summary", "%(count)d monthly summaries", "count"),
    RULE_C15: ngettext_lazy("%(count)d quarterly analysis", "%(count)d quarterly analyses", "count"),
}


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is not None:
        return calendar
    from clock.selectors import load_calendar  # the convenience default of the by-name functions

    return load_calendar()


# ---------------------------------------------------------------------------------------------
# Deadlines (C3, C8, C11)


def response_due_info(received_at: datetime.datetime, calendar: WorkCalendar | None = None) -> Due:
    """C3 first response, with whether a provisional calendar day was used — including for the
    choice itself: on a fallback day, whether the receipt was in working time is a guess too."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ValueError("response_due needs an aware datetime")
    calendar = _calendar(calendar)
    guessed = calendar.day_info(received_at.astimezone(SHANGHAI).date()).provisional
    if calendar.is_working_time(received_at):
        due = calendar.add_working_hours(received_at, RESPONSE_WORKING_HOURS)
        return Due(at=due.at, provisional=due.provisional or guessed)
    # Outside working time (evenings, the lunch break, weekends, holidays): 24 wall-clock hours.
    return Due(at=received_at + datetime.timedelta(hours=RESPONSE_OUTSIDE_HOURS), provisional=guessed)


def response_due(received_at: datetime.datetime, calendar: WorkCalendar | None = None) -> datetime.datetime:
    """C3: the first response is due 8 working hours after receipt when received in working time,
    24 hours after receipt when received outside working time. Aware in, aware out."""
    return response_due_info(received_at, calendar).at


def difficult_due_info(found_at: datetime.datetime, calendar: WorkCalendar | None = None) -> Due:
    """C8: half a working day after the complaint was found difficult."""
    return _calendar(calendar).add_working_hours(found_at, DIFFICULT_TO_QA_WORKING_HOURS)


def measures_due_info(forwarded_at: datetime.datetime, calendar: WorkCalendar | None = None) -> Due:
    """C11: one working day after the department was given the complaint."""
    return _calendar(calendar).add_working_hours(forwarded_at, MEASURES_TO_QA_WORKING_HOURS)


def is_c8(complaint: Complaint) -> bool:
    """C8 applies to a difficult class-1 complaint."""
    return bool(complaint.difficult and complaint.complaint_class == ComplaintClass.CLASS_1)


def deadline_plan(complaint: Complaint, calendar: WorkCalendar) -> list[DeadlineSpec]:
    """The deadlines that must be live for `complaint` as it is now (clock.deadlines.deadline_sync).

    - C3 first response: from receipt until the first response (8 working hours, or 24 hours when
      received outside working time), while the complaint is being worked on;
    - C8: a difficult class-1 complaint, from when it became one until QA or the assistant GM give
      their handling opinion (half a working day), answered by the QA manager;
    - C8-DL: the handling deadline QA or the assistant GM set, until the result is told, answered by
      the handler (else the responsible department, else the office's department managers);
    - C11: from the forward until the department reports its measures (1 working day), answered by
      the department the complaint was forwarded to; a re-forward restarts it for the new department.
    A final state (closed, invalid) plans nothing."""
    if complaint.state not in WORKING_STATES:
        return []
    base = {
        "office": complaint.office,
        "company": None,
        "params": {"number": complaint.number},
        "link": complaint.get_absolute_url(),
    }
    plan: list[DeadlineSpec] = []
    if complaint.responded_at is None:
        received = complaint.clock_start  # issue 9: a late entry's C3 runs from its entry
        in_working_time = calendar.is_working_time(received)
        plan.append(
            DeadlineSpec(
                rule=RULE_C3,
                basis=received,
                measure=Measure.WORKING_HOURS if in_working_time else Measure.WALL_HOURS,
                amount=RESPONSE_WORKING_HOURS if in_working_time else RESPONSE_OUTSIDE_HOURS,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role=Role.CS_ASSISTANT,
                escalate_roles=QA_ROLES,
                provisional=calendar.day_info(received.astimezone(SHANGHAI).date()).provisional,
                **base,
            )
        )
    if is_c8(complaint) and complaint.c8_since is not None and complaint.c8_answered_at is None:
        plan.append(
            DeadlineSpec(
                rule=RULE_C8,
                basis=complaint.c8_since,
                measure=Measure.WORKING_HOURS,
                amount=DIFFICULT_TO_QA_WORKING_HOURS,
                responsible_user_id=None,
                responsible_department_id=None,
                responsible_role=Role.QA_MANAGER,
                escalate_roles=(Role.ASSISTANT_GM, Role.QA_STAFF),
                **base,
            )
        )
    told = complaint.result_told_at
    set_at = complaint.handling_due_set_at
    if complaint.handling_due_at is not None and (told is None or (set_at is not None and told < set_at)):
        plan.append(
            DeadlineSpec(
                rule=RULE_C8_HANDLING,
                basis=complaint.handling_due_at,
                measure=Measure.FIXED,
                amount=0,
                responsible_user_id=complaint.handler_id,
                responsible_department_id=None if complaint.handler_id else complaint.department_id,
                responsible_role="" if complaint.handler_id or complaint.department_id else Role.DEPT_MANAGER,
                escalate_roles=(*QA_ROLES, Role.ASSISTANT_GM),
                **base,
            )
        )
    if complaint.forwarded_at is not None and complaint.measures_reported_at is None and complaint.department_id:
        plan.append(
            DeadlineSpec(
                rule=RULE_C11,
                basis=complaint.forwarded_at,
                measure=Measure.WORKING_HOURS,
                amount=MEASURES_TO_QA_WORKING_HOURS,
                responsible_user_id=None,
                responsible_department_id=complaint.department_id,
                responsible_role="",
                escalate_roles=QA_ROLES,
                **base,
            )
        )
    return plan


def deadlines_done(complaint: Complaint) -> set[str]:
    """The rules whose step has been done: a live deadline of one that is no longer planned is met
    (late stays late); any other is cancelled."""
    done = set()
    if complaint.responded_at is not None:
        done.add(RULE_C3)
    if complaint.c8_answered_at is not None:
        done.add(RULE_C8)
    if complaint.result_told_at is not None:
        done.add(RULE_C8_HANDLING)
    if complaint.measures_reported_at is not None:
        done.add(RULE_C11)
    return done


# ---------------------------------------------------------------------------------------------
# Classes (C1)


class ComplaintClass(models.IntegerChoices):
    CLASS_1 = 1, _("Class 1")
    CLASS_2 = 2, _("Class 2")
    CLASS_3 = 3, _("Class 3")


CLASS_DEFINITIONS = {
    ComplaintClass.CLASS_1: _(
        "Class 1: caused by the property management service falling short. Only class 1 is an effective complaint."
    ),
    ComplaintClass.CLASS_2: _("Class 2: caused by the developer's building quality or facilities."),
    ComplaintClass.CLASS_3: _("Class 3: the external environment, or public facilities outside the managed area."),
}


def is_effective(cls: int | None) -> bool:
    """C1: only a class-1 complaint is an effective complaint (有效投诉)."""
    return cls == ComplaintClass.CLASS_1


def class_definitions() -> list[tuple[int, str]]:
    return [(int(k), str(v)) for k, v in CLASS_DEFINITIONS.items()]


# C2: what the receiver says to the resident (shown on the intake form).
INTAKE_SCRIPT = _(
    "Apologise to the resident, thank them for telling us, and promise that an answer will come soon. "
    "Then pass the complaint to the responsible department."
)


# ---------------------------------------------------------------------------------------------
# Return visits (C12) and compensation (C17, C18)


def return_visit_required(important: bool) -> bool:
    """C12: an important complaint always gets a QA return visit; otherwise QA decides."""
    return bool(important)


class CompensationRoute(models.TextChoices):
    COMPANY = "company", _("Handled by the company")
    DEVELOPER = "developer", _("Handed to the developer")


def compensation_route(amount: Decimal | int | float | None, developer_involved: bool, authority_limit: Decimal) -> str:
    """C17: a loss that involves the developer, or an amount above the company's authority, goes to
    the developer; otherwise the company handles it. An amount exactly at the limit is within it."""
    if developer_involved:
        return CompensationRoute.DEVELOPER
    if amount is not None and Decimal(str(amount)) > Decimal(str(authority_limit)):
        return CompensationRoute.DEVELOPER
    return CompensationRoute.COMPANY


# Channels that make C9 apply: complaints made to the company, the group or a government body.
C9_CHANNELS = ("company", "group", "government")
# C10: complaints to the customer service centre go to QA for a handling opinion.
C10_CHANNELS = ("cs_centre",)
