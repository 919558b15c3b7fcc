"""The monthly archive (F2) and corrective and preventive actions (纠正和预防措施).

A CorrectiveAction is general on purpose: the F2 archive sets them (`archive`), and other process apps
point their own foreign key at one — surveys for a dissatisfied item handled as a nonconformity (S17),
inspections for a QA check finding (Q1, `verifier=QA`: only QA verifies). Its life:

    open --record done (what was done)--> done (awaiting verification)
    done --verify (effectiveness recorded)--> verified        (final)
    done --send back (why)--> open                             (again, with its deadline)

Write only through feedback.services.actions: `action_create`, `action_record_done`, `action_verify`,
`action_send_back`. The due date is a clock deadline (rule F2-CA) through rules.deadline_plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..rules import ActionSource, ActionState, ArchiveState, Verifier


class MonthlyArchive(models.Model):
    """F2: one office's archive of one month's register: figures snapshot (`data`: counts by kind,
    category and channel, the Pareto of categories, the change against earlier months, items still
    open), the office's analysis of the main factors, and the manager's approval, after which it is
    read-only. One per office and month, however often the job fires (unique constraint)."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="feedback_archives", verbose_name=_("office")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month archived."))
    state = models.CharField(_("state"), max_length=10, choices=ArchiveState.choices, default=ArchiveState.DRAFT)
    data = models.JSONField(_("figures"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("generated at"))
    analysis = models.TextField(_("analysis of the main factors"), blank=True)
    meeting_note = models.TextField(_("discussed at a work meeting"), blank=True)
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
        verbose_name = _("monthly feedback archive")
        verbose_name_plural = _("monthly feedback archives")
        ordering = ["-month", "office__name", "pk"]
        indexes = [models.Index(fields=["office", "-month"], name="fb_archive_office_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["office", "month"], name="fb_archive_once_per_month"),
            models.CheckConstraint(condition=Q(state__in=ArchiveState.values), name="fb_archive_state_valid"),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (Q(approved_at__isnull=False, approved_by__isnull=False) & ~Q(analysis="")),
                name="fb_archive_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:archive_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == ArchiveState.DRAFT


class CorrectiveAction(models.Model):
    """A corrective and preventive action (纠正和预防措施); see the module docstring."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="corrective_actions", verbose_name=_("office")
    )
    archive = models.ForeignKey(
        MonthlyArchive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("monthly archive"),
    )
    source = models.CharField(
        pgettext_lazy("feedback", "source"), max_length=12, choices=ActionSource.choices, default=ActionSource.OTHER
    )
    title = models.CharField(_("nonconformity or main factor"), max_length=200)
    description = models.TextField(_("action to take"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=pgettext_lazy("feedback", "owner"),
    )
    department = models.ForeignKey(
        "estates.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("department"),
    )
    due_on = models.DateField(_("due date"))
    verifier = models.CharField(_("verified by"), max_length=10, choices=Verifier.choices, default=Verifier.OFFICE)

    state = models.CharField(_("state"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    done_note = models.TextField(_("what was done"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    effectiveness = models.TextField(_("effectiveness"), blank=True)
    effective = models.BooleanField(_("effective"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    sent_back_note = models.TextField(_("why it was sent back"), blank=True)
    sent_back_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("corrective and preventive action")
        verbose_name_plural = _("corrective and preventive actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["office", "state", "due_on"], name="fb_action_office_state_idx"),
            models.Index(fields=["office", "due_on"], name="fb_action_live_idx", condition=~Q(state="verified")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ActionState.values), name="fb_action_state_valid"),
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(department__isnull=False), name="fb_action_has_owner"
            ),
            # Effectiveness is recorded before an action is closed (verified), by whom and when.
            models.CheckConstraint(
                condition=~Q(state="verified")
                | (Q(verified_by__isnull=False, verified_at__isnull=False, effective=True) & ~Q(effectiveness="")),
                name="fb_action_verification_recorded",
            ),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(done_at__isnull=False) & ~Q(done_note="")),
                name="fb_action_done_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:action_detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.state == ActionState.VERIFIED
