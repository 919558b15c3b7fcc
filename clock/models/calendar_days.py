"""The working-time calendar: the company's working periods, its days and the years it has."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..calendar import DEFAULT_PERIODS, WARN_FRACTION, parse_periods


def default_periods() -> list[list[str]]:
    return [list(period) for period in DEFAULT_PERIODS]


class CalendarSettings(models.Model):
    """The company's working periods (one row for the installation). Default per RULES.md."""

    periods = models.JSONField(
        _("working periods"),
        default=default_periods,
        help_text=_('Working periods of a working day, as [["09:00", "12:00"], ["13:00", "18:00"]].'),
    )
    warn_fraction = models.DecimalField(
        _("warn at"),
        max_digits=3,
        decimal_places=2,
        default=WARN_FRACTION,
        help_text=_("Warn when this fraction of the time to a deadline has passed."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")
        permissions = [("manage_calendar", _("Can manage the working-time calendar"))]

    def __str__(self) -> str:
        return str(_("Calendar settings"))

    def clean(self) -> None:
        try:
            parse_periods(self.periods)
        except ValueError as exc:
            raise ValidationError({"periods": str(exc)}) from exc

    @classmethod
    def load(cls) -> CalendarSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class DayKind(models.TextChoices):
    OFF = "off", _("Day off")
    WORK = "work", _("Working day")


class DaySource(models.TextChoices):
    STATE = "state", _("State Council arrangement")
    COMPANY = "company", _("Company decision")


class CalendarDay(models.Model):
    """A day whose kind differs from the default: a statutory holiday or make-up working day the admin
    entered for a year chinesecalendar does not cover, or a company's extra closed or open day.
    A company entry wins over a State Council entry on the same date."""

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=5, choices=DayKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)
    # Who changed the calendar, and when: a moved deadline can be traced to the entry that moved it.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "source"], name="calendar_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose State Council arrangement the company admin has entered. Years chinesecalendar
    covers need no row; years with neither fall back and make deadlines provisional."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    source_note = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
