"""C3 re-planned when the company calendar changes (clock.signals.calendar_changed)."""

from __future__ import annotations

import datetime
from typing import Any

from clock.calendar import WorkCalendar
from clock.deadlines import deadline_sync
from clock.selectors import live_deadlines_of_model

from .. import rules
from ..models import Complaint


def complaints_calendar_changed(
    sender: Any,
    *,
    first: datetime.date | None,
    last: datetime.date | None,
    calendar: WorkCalendar,
    now: datetime.datetime,
    reason: str,
    **kwargs: Any,
) -> int:
    """clock.signals.calendar_changed: C3 depends on the calendar beyond its due time — whether the
    receipt was in working time chooses 8 working hours or 24 hours — so the complaints whose C3
    counts from a changed day are re-planned with the new calendar (in the change's transaction)."""
    live_c3 = live_deadlines_of_model(Complaint).filter(rule=rules.RULE_C3)
    if first is not None:
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=rules.SHANGHAI)
        end = datetime.datetime.combine(last or first, datetime.time.min, tzinfo=rules.SHANGHAI)
        live_c3 = live_c3.filter(basis_at__gte=start, basis_at__lt=end + datetime.timedelta(days=1))
    complaints = Complaint.objects.filter(pk__in=live_c3.values("subject_id"), state__in=rules.WORKING_STATES)
    count = 0
    for complaint in complaints.select_related("office"):
        plan = rules.deadline_plan(complaint, calendar)
        deadline_sync(complaint, plan, done=rules.deadlines_done(complaint), now=now, calendar=calendar, reason=reason)
        count += 1
    return count
