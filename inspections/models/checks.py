"""Checks (Q1): one per office, standard and period, pinned to the standard version it runs against;
item results, the figures the product already knows (with their source), and Q5 promise checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .standards import CheckStandard, Item, PeriodKind, StandardVersion


class CheckState(models.TextChoices):
    OPEN = "open", _("In progress")
    SIGNED = "signed", _("Signed off")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class Check(models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="inspection_checks", verbose_name=_("office")
    )
    standard = models.ForeignKey(CheckStandard, on_delete=models.PROTECT, related_name="checks")
    # Pinned: the version the check was opened against; never moved (editing makes a new version).
    version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="checks")
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period"), help_text=_("First day of the month or quarter checked."))
    state = models.CharField(_("state"), max_length=10, choices=CheckState.choices, default=CheckState.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    red_line_failed = models.BooleanField(_("red line failed"), default=False)
    conclusion = models.TextField(_("conclusion"), blank=True)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["-period_start", "office__name"]
        constraints = [
            # Q1: one check per office, standard and period; beat's catching up relies on it.
            models.UniqueConstraint(fields=["office", "standard", "period_start"], name="inspection_check_once"),
            models.CheckConstraint(
                condition=Q(state="open") | Q(signed_at__isnull=False, score__isnull=False),
                name="inspection_signed_has_score",
            ),
        ]
        indexes = [models.Index(fields=["office", "-period_start"], name="inspection_check_office_idx")]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:check_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == CheckState.OPEN


class ItemResult(models.Model):
    office_path = "check__office"

    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="results", db_column="check_id")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices)
    deduction = models.DecimalField(_("points deducted"), max_digits=5, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)
    scored_at = models.DateTimeField(_("scored at"))
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("item result")
        verbose_name_plural = _("item results")
        constraints = [models.UniqueConstraint(fields=["check_run", "item"], name="inspection_result_once")]

    def __str__(self) -> str:
        return self.outcome


class CheckFigure(models.Model):
    """A figure the product knows, as it stood when last read, with where it came from."""

    office_path = "check__office"

    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="figures", db_column="check_id")
    key = models.CharField(_("figure"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    value = models.CharField(_("value"), max_length=100)
    source = models.CharField(_("source"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField(_("read at"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["check_run", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["check_run", "key"], name="inspection_figure_once")]

    def __str__(self) -> str:
        return self.key


class PromiseCheck(models.Model):
    """Q5: whether one of the office's service promises was kept, recorded in a check."""

    office_path = "check__office"

    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="promise_checks", db_column="check_id")
    offering = models.ForeignKey("inspections.ServiceOffering", on_delete=models.PROTECT, related_name="checks")
    kept = models.BooleanField(_("promise kept"))
    note = models.TextField(_("how it was checked"), blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("promise check")
        verbose_name_plural = _("promise checks")
        constraints = [models.UniqueConstraint(fields=["check_run", "offering"], name="inspection_promise_once")]

    def __str__(self) -> str:
        return str(self.kept)
