"""The clock: the working-time calendar, deadlines and notifications.

The clock knows nothing of complaints or surveys (DESIGN.md). A process app opens a Deadline on a
subject it owns, closes it when the step is done, and the sweeper warns and flags it.
"""

from ..breach_counts import BreachCount  # derived from Deadline by triggers (issue 10)
from .calendar_days import CalendarDay, CalendarSettings, CalendarYear, DayKind, DaySource, default_periods
from .deadlines import Deadline, DeadlineEvent, DeadlineState, Measure
from .notifications import EmailState, Notification

__all__ = [
    "BreachCount",
    "CalendarDay",
    "CalendarSettings",
    "CalendarYear",
    "DayKind",
    "DaySource",
    "Deadline",
    "DeadlineEvent",
    "DeadlineState",
    "EmailState",
    "Measure",
    "Notification",
    "default_periods",
]
