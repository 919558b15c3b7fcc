"""Q1/Q2: QA's reproducible random samples per office and month, and the call-back queue."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionSettings(models.Model):
    company = models.OneToOneField(
        "estates.Company", on_delete=models.CASCADE, related_name="inspection_settings", verbose_name=_("company")
    )
    residents_per_sample = models.PositiveSmallIntegerField(
        _("residents per spot check"),
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_("Q1: residents called per office and month about daily service."),
    )
    items_per_sample = models.PositiveSmallIntegerField(
        _("closed items per verification"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
        help_text=_("Q2: last month's closed complaints and service requests verified per office, of each kind."),
    )

    class Meta:
        verbose_name = _("inspection settings")
        verbose_name_plural = _("inspection settings")

    def __str__(self) -> str:
        return str(self.company_id)


class CallbackSample(models.Model):
    office_path = "office"

    office = models.ForeignKey("estates.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    month = models.DateField(_("month"))
    # The seed makes the draw reproducible: the same office, month and data give the same sample.
    seed = models.CharField(_("seed"), max_length=64)
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("call-back sample")
        verbose_name_plural = _("call-back samples")
        ordering = ["-month", "office__name"]
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="inspection_sample_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class CallbackKind(models.TextChoices):
    RESIDENT = "resident", _("Satisfaction spot check")
    COMPLAINT = "complaint", _("Closed complaint")
    ENTRY = "entry", _("Closed service request")


class CallbackOutcome(models.TextChoices):
    PENDING = "", _("Not called yet")
    OK = "ok", _("Verified OK")
    FAILED = "failed", _("Verification failed")
    UNREACHED = "unreached", _("Not reached")


class CallbackItem(models.Model):
    office_path = "sample__office"

    sample = models.ForeignKey(CallbackSample, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=CallbackKind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    resident = models.ForeignKey("estates.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entry = models.ForeignKey("feedback.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reached = models.BooleanField(_("reached"), null=True, blank=True)
    handled = models.BooleanField(_("really handled"), null=True, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    note = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=CallbackOutcome.choices, default=CallbackOutcome.PENDING, blank=True
    )
    finding = models.ForeignKey(
        "inspections.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened = models.BooleanField(_("item reopened"), default=False)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["sample", "kind", "order"]

    def __str__(self) -> str:
        return self.kind
