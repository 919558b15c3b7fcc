"""Sensible ranges for the dates and times users enter (hardening issue, item 1).

A date in year 1 was accepted by the intake; PostgreSQL stored a moment Python cannot read back, and every
page, export and sweep that touched the row failed. Every user-entered date or time is checked against a
window, in the form (with a message next to the field) and again in the service (the same window), and the
database refuses what is older than EARLIEST (complaints 0012 constraints).

A Window is relative to now: `past` is how far back, `future` how far ahead a value may lie; None means the
absolute bounds EARLIEST / LATEST only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


@dataclass(frozen=True)
class Window:
    past: datetime.timedelta | None = None
    future: datetime.timedelta | None = None

    def bounds(self, now: datetime.datetime | None = None) -> tuple[datetime.datetime, datetime.datetime]:
        """The earliest and latest aware moment allowed at `now`."""
        now = now or timezone.now()
        tz = timezone.get_current_timezone()
        lowest = datetime.datetime.combine(EARLIEST, datetime.time.min, tzinfo=tz)
        highest = datetime.datetime.combine(LATEST, datetime.time.max, tzinfo=tz)
        low = max(lowest, now - self.past) if self.past is not None else lowest
        high = min(highest, now + self.future) if self.future is not None else highest
        return low, high

    def date_bounds(self, now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.date]:
        low, high = self.bounds(now)
        return timezone.localtime(low).date(), timezone.localtime(high).date()


ANY = Window()  # the absolute range only: filters, calendar days


def check_window(value, window: Window = ANY, *, field: str | None = None, now: datetime.datetime | None = None):
    """Raise ValidationError (on `field` when given) unless the date or datetime `value` lies in `window`."""
    if value is None:
        return value
    if isinstance(value, datetime.datetime):
        low, high = window.bounds(now)
        ok = low <= value <= high
        shown = (date_format(timezone.localtime(low), "Y-m-d H:i"), date_format(timezone.localtime(high), "Y-m-d H:i"))
    else:
        low_d, high_d = window.date_bounds(now)
        ok = low_d <= value <= high_d
        shown = (low_d.isoformat(), high_d.isoformat())
    if not ok:
        message = _("Enter a date between %(low)s and %(high)s.") % {"low": shown[0], "high": shown[1]}
        raise ValidationError({field: message} if field else message, code="date_range")
    return value
