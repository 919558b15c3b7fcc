"""Versioned check standards (Q1 月检标准): sections, items, pass criteria, points, weights, red lines.

A version is immutable once a check has been run against it: editing a used version makes a new
version (services.standards), so a past check keeps the version it was pinned to.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly check")
    QUARTERLY = "quarterly", _("Quarterly check")


class CheckStandard(models.Model):
    """A standard QA keeps for a company, e.g. the monthly check of customer-opinion handling."""

    company = models.ForeignKey(
        "estates.Company", on_delete=models.PROTECT, related_name="check_standards", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=100)
    period = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTHLY)
    active = models.BooleanField(_("in use"), default=True, help_text=_("Beat opens checks for standards in use."))

    class Meta:
        verbose_name = _("check standard")
        verbose_name_plural = _("check standards")
        ordering = ["company", "period", "name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="inspection_standard_name_unique")]

    def __str__(self) -> str:
        return self.name


class StandardVersion(models.Model):
    standard = models.ForeignKey(
        CheckStandard, on_delete=models.PROTECT, related_name="versions", verbose_name=_("standard")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("85"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A check scoring below this (out of 100) fails."),
    )
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        ordering = ["standard", "-number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="inspection_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("section"), max_length=100)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("what is checked"), max_length=300)
    criteria = models.TextField(_("what counts as a pass"), blank=True)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("The most this item can deduct from its section's 100."),
    )
    red_line = models.BooleanField(_("red line"), default=False, help_text=_("Failing it fails the whole check."))
    # The figure (figures.PROVIDERS key) QA reads when scoring this item; empty: scored by hand only.
    figure_key = models.CharField(_("figure"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.text
