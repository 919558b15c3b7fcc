"""Q4: the office's light repair records and the monthly return visits to them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class RepairRecord(models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="repair_records", verbose_name=_("office")
    )
    unit = models.ForeignKey(
        "estates.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    what = models.CharField(_("what was repaired"), max_length=200)
    repairer = models.CharField(_("repairer"), max_length=50)
    done_on = models.DateField(_("done on"))
    # Taken from a register service request of the repairs category (once per request).
    entry = models.OneToOneField(
        "feedback.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # A hidden UUID the form carries: a double submit finds the record already made.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("repair record")
        verbose_name_plural = _("repair records")
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["office", "-done_on"], name="inspection_repair_office_idx")]

    def __str__(self) -> str:
        return self.what


class RepairVisit(models.Model):
    """Q4: the return visit to one repair: attitude, punctuality and quality, each 1-5."""

    office_path = "repair__office"

    repair = models.OneToOneField(RepairRecord, on_delete=models.CASCADE, related_name="visit")
    visited_at = models.DateTimeField(_("visited at"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField(_("resident reached"), default=True)
    attitude = models.PositiveSmallIntegerField(_("attitude"), null=True, blank=True, validators=SCORE_VALIDATORS)
    punctuality = models.PositiveSmallIntegerField(_("punctuality"), null=True, blank=True, validators=SCORE_VALIDATORS)
    quality = models.PositiveSmallIntegerField(_("quality"), null=True, blank=True, validators=SCORE_VALIDATORS)
    note = models.TextField(_("what the resident said"), blank=True)

    class Meta:
        verbose_name = _("repair return visit")
        verbose_name_plural = _("repair return visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(reached=False)
                | Q(attitude__isnull=False, punctuality__isnull=False, quality__isnull=False),
                name="inspection_visit_scored_when_reached",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_at:%Y-%m-%d}"


class RepairMonth(models.Model):
    """Q4: an office's month of repair return visits; the subject of the month's clock deadline."""

    office_path = "office"

    office = models.ForeignKey("estates.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    month = models.DateField(_("month"))
    opened_at = models.DateTimeField(_("opened at"))
    completed_at = models.DateTimeField(_("all visited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair return-visit month")
        verbose_name_plural = _("repair return-visit months")
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="inspection_repair_month_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
