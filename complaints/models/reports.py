"""The summaries: C14 monthly summaries, C15 quarterly analyses and published complaints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .complaint import Complaint

# ---------------------------------------------------------------------------------------------
# Summaries (C14, C15)


class SummaryState(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved and published")


class PeriodReport(models.Model):
    """What a C14 summary and a C15 analysis share: the company, the figures frozen as a versioned
    snapshot (complaints.reports.snapshot), when they were computed, and a draft state until a
    person approves or publishes it (each kind names its own states, "draft" first)."""

    DRAFT = "draft"

    company = models.ForeignKey(
        "estates.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    data = models.JSONField(_("figures"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.state == self.DRAFT  # type: ignore[attr-defined]


class MonthlySummary(PeriodReport):
    """C14: a department's summary of last month's complaints and their handling. Generated as a
    draft after the month ends (one per department and month, whatever beat does: the unique
    constraint), approved by the department manager before 00:00 on the 5th; approval freezes the
    snapshot in `data`, publishes it to staff and copies it to QA.

    `office` is the department's office (empty for a company-level department, whose summary the
    company roles see)."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint_summaries",
        verbose_name=_("office"),
    )
    department = models.ForeignKey(
        "estates.Department", on_delete=models.PROTECT, related_name="complaint_summaries", verbose_name=_("department")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month summarised."))
    state = models.CharField(_("state"), max_length=10, choices=SummaryState.choices, default=SummaryState.DRAFT)
    note = models.TextField(_("manager's note"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly complaint summary")
        verbose_name_plural = _("monthly complaint summaries")
        ordering = ["-month", "department__name", "pk"]
        indexes = [
            models.Index(fields=["office", "-month"], name="summary_office_month_idx"),
            models.Index(fields=["company", "-month"], name="summary_company_month_idx"),
        ]
        constraints = [
            # C14: one summary per department and month, however often beat fires.
            models.UniqueConstraint(fields=["department", "month"], name="summary_once_per_month"),
            models.CheckConstraint(condition=Q(state__in=SummaryState.values), name="summary_state_valid"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="summary_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.department_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:summary_detail", args=[self.pk])


class AnalysisState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuarterlyAnalysis(PeriodReport):
    """C15: QA's quarterly analysis of every department's complaints, published internally. A
    company-level record: every staff member of the company sees it once published; QA and the
    company roles see the draft."""

    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter analysed."))
    state = models.CharField(_("state"), max_length=10, choices=AnalysisState.choices, default=AnalysisState.DRAFT)
    conclusions = models.TextField(_("QA's conclusions"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly complaint analysis")
        verbose_name_plural = _("quarterly complaint analyses")
        ordering = ["-quarter", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["company", "quarter"], name="analysis_once_per_quarter"),
            models.CheckConstraint(condition=Q(state__in=AnalysisState.values), name="analysis_state_valid"),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (Q(published_at__isnull=False, published_by__isnull=False) & ~Q(conclusions="")),
                name="analysis_publication_recorded",
            ),
        ]

    def __str__(self) -> str:
        from ..rules import quarter_label

        return quarter_label(self.quarter)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:analysis_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return str(self)


class PublicationReason(models.TextChoices):
    IMPORTANT = "important", _("Important complaint")
    REPRESENTATIVE = "representative", _("Representative complaint")


class ComplaintPublication(models.Model):
    """C15: an important or representative complaint, published promptly by QA to every staff
    member of the company. What is published is QA's own short text (no resident's name or phone)."""

    office_path = "complaint__office"

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="publication")
    company = models.ForeignKey(
        "estates.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("company")
    )
    reason = models.CharField(_("why published"), max_length=15, choices=PublicationReason.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened and what we learn"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("published complaint")
        verbose_name_plural = _("published complaints")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["company", "-published_at"], name="publication_company_idx")]

    def __str__(self) -> str:
        return self.title
