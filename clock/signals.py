"""Signals of the clock.

`calendar_changed` is sent inside the transaction of a calendar change (clock.calendar_admin), after
the clock has recomputed the open deadlines from their stored basis. A process app whose plan itself
depends on the calendar (complaints: C3 counts working hours or 24 hours depending on whether the
receipt was in working time) connects a receiver in AppConfig.ready and re-syncs its affected
subjects with the new calendar. Arguments: `first` and `last` (the changed dates, both None for a
change of the working periods), `calendar` (the new WorkCalendar), `now`, `reason`.
"""

from __future__ import annotations

from django.dispatch import Signal

calendar_changed = Signal()
