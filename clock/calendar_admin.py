"""Writes of the calendar page (the company admin): a year's State Council arrangement, the company's
own closed and open days, the working periods and the warning fraction.

Each change runs in one transaction with the recomputation of the open deadlines it touches
(clock.deadlines.deadlines_recompute: every open deadline counted in working hours whose span touches
a changed day, and every provisional one), recorded on each moved deadline, and then tells the
process apps (clock.signals.calendar_changed) so plans that depend on the calendar are re-synced. A
deadline that is now due in the past is breached by the next sweep as usual.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.dates import check_window
from estates.models import User

from .calendar import parse_periods
from .deadlines import deadlines_recompute
from .models import CalendarDay, CalendarSettings, CalendarYear, DayKind, DaySource
from .selectors import load_calendar
from .signals import calendar_changed

logger = logging.getLogger(__name__)


def _recompute(first: datetime.date | None, last: datetime.date | None, reason: str) -> int:
    """Recompute what the change touches (all calendar-based deadlines when first is None)."""
    now = timezone.now()
    calendar = load_calendar()
    dates = None if first is None else [first, last or first]
    moved = deadlines_recompute(dates=dates, reason=reason, now=now, calendar=calendar)
    calendar_changed.send(sender=CalendarDay, first=first, last=last, calendar=calendar, now=now, reason=reason)
    if moved:
        logger.info("calendar change (%s): %s open deadlines recomputed", reason, moved)
    return moved


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Enter a year between 2000 and 2100."))


def calendar_year_enter(
    *, year: int, holidays: list[datetime.date], workdays: list[datetime.date], by: User | None, note: str = ""
) -> CalendarYear:
    """Record the State Council arrangement of `year`: its holidays and 调休 make-up working days
    replace whatever was entered for that year before, all at once, and the year stops being
    provisional. Open deadlines touching the year are recomputed."""
    _check_year(year)
    holiday_set, workday_set = set(holidays), set(workdays)
    outside = sorted(d for d in holiday_set | workday_set if d.year != year)
    if outside:
        raise ValidationError(_("%(date)s is not in %(year)s.") % {"date": outside[0].isoformat(), "year": year})
    both = sorted(holiday_set & workday_set)
    if both:
        raise ValidationError(
            _("%(date)s is entered both as a holiday and as a working day.") % {"date": both[0].isoformat()}
        )
    now = timezone.now()
    with transaction.atomic():
        CalendarDay.objects.filter(source=DaySource.STATE, date__year=year).delete()
        rows = [
            CalendarDay(date=d, kind=DayKind.OFF, source=DaySource.STATE, changed_by=by, changed_at=now)
            for d in sorted(holiday_set)
        ] + [
            CalendarDay(date=d, kind=DayKind.WORK, source=DaySource.STATE, changed_by=by, changed_at=now)
            for d in sorted(workday_set)
        ]
        CalendarDay.objects.bulk_create(rows)
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"entered_by": by, "source_note": note[:200]}
        )
        _recompute(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}: State Council arrangement")
    return entry


def calendar_day_set(*, date: datetime.date, kind: str, note: str = "", by: User | None) -> CalendarDay:
    """A company extra closed day (kind=off) or open day (kind=work); it wins over the statutory one."""
    if kind not in DayKind.values:
        raise ValidationError(_("Choose a closed day or an open day."))
    check_window(date, field="date")  # hardening issue, item 1: a calendar day lies in 2000–2099
    with transaction.atomic():
        day, _created = CalendarDay.objects.update_or_create(
            date=date,
            source=DaySource.COMPANY,
            defaults={"kind": kind, "note": note[:100], "changed_by": by, "changed_at": timezone.now()},
        )
        _recompute(date, date, f"{date.isoformat()}: company {'open' if kind == DayKind.WORK else 'closed'} day")
    return day


def calendar_day_remove(*, date: datetime.date, by: User | None = None) -> bool:
    """Remove the company's own entry for `date` (the statutory calendar applies again)."""
    with transaction.atomic():
        deleted, _detail = CalendarDay.objects.filter(date=date, source=DaySource.COMPANY).delete()
        if deleted:
            logger.info("company calendar day %s removed by %s", date, getattr(by, "pk", None))
            _recompute(date, date, f"{date.isoformat()}: company day removed")
    return bool(deleted)


def calendar_settings_update(
    *, periods: list[list[str]], warn_fraction: Decimal | float | str, by: User | None
) -> CalendarSettings:
    """Change the working periods and the default warning fraction. Open deadlines counted in
    working hours are recomputed on the new periods; new ones use them too."""
    try:
        parse_periods(periods)
    except ValueError as exc:
        raise ValidationError({"periods": str(exc)}) from exc
    fraction = Decimal(str(warn_fraction))
    if not Decimal("0") < fraction < Decimal("1"):
        raise ValidationError({"warn_fraction": _("The warning fraction must be more than 0 and less than 1.")})
    with transaction.atomic():
        obj = CalendarSettings.load()
        changed = [list(p) for p in obj.periods] != [[str(start), str(end)] for start, end in periods]
        obj.periods = [[str(start), str(end)] for start, end in periods]
        obj.warn_fraction = fraction
        obj.updated_by = by
        obj.full_clean()
        obj.save(update_fields=["periods", "warn_fraction", "updated_by", "updated_at"])
        if changed:
            _recompute(None, None, "working periods changed")
    return obj
