"""Deadlines on a process app's subjects and their history (the clock knows nothing of complaints)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..titles import render_title


class DeadlineState(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    BREACHED = "breached", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")


class Measure(models.TextChoices):
    """How a deadline's due time is computed from its basis (RULES.md "Working time", "Within N days")."""

    WORKING_HOURS = "work_h", _("Working hours")
    WALL_HOURS = "wall_h", _("Hours")
    # Due at 24:00 local time at the end of the day N calendar days after the start day.
    WITHIN_DAYS = "days", _("Within N days")
    # The basis is the due moment itself (00:00 on the 5th, C14).
    FIXED = "fixed", _("Fixed moment")


class Deadline(models.Model):
    """One deadline of one rule on one subject. State moves open -> met | cancelled | breached; a
    breached deadline stays breached when the step is finally done (closed_at is set), so lateness
    is never forgotten. "Open" on a dashboard means closed_at is null.

    The due time is computed from the stored basis (basis_at, measure, amount), so the clock can
    recompute it when the calendar changes (clock.deadlines.deadlines_recompute) without knowing the
    subject. The title is rendered at display time from rule and params (clock.titles)."""

    office = models.ForeignKey(
        "estates.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("office"),
    )
    # Whose deadline it is when there is no office (a company-level step such as C15): the company
    # whose role holders answer for it. Set from the office when there is one.
    company = models.ForeignKey(
        "estates.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("company"),
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    rule = models.CharField(_("rule"), max_length=10)
    # The title in the installation's language when it was opened (admin search, old rows); pages
    # show display_title, rendered in the reader's language.
    title = models.CharField(_("title"), max_length=200, blank=True)
    params = models.JSONField(_("title parameters"), default=dict, blank=True)
    basis_at = models.DateTimeField(_("counted from"), null=True, blank=True)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.FIXED)
    amount = models.PositiveIntegerField(_("amount"), default=0, help_text=_("Hours or days; 0 for a fixed moment."))
    # The plan's own choice rested on a provisional calendar day (C3: was the receipt in working time?).
    basis_provisional = models.BooleanField(default=False)
    responsible_department = models.ForeignKey(
        "estates.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible department"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible person"),
    )
    responsible_role = models.CharField(_("responsible role"), max_length=20, blank=True)
    escalate_roles = models.JSONField(_("escalate to"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warn at"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Computed on a day of a year whose holidays are not yet entered."),
    )
    state = models.CharField(_("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The last recomputation after a calendar change: when, and which change.
    recomputed_at = models.DateTimeField(_("recomputed at"), null=True, blank=True)
    recompute_note = models.CharField(_("recomputed because"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        indexes = [
            # The sweeper's two queries: open rows by due time and by warning time. Partial, so the
            # millions of finished deadlines are not in them (healthchecks' Check.alert_after).
            models.Index(fields=["due_at"], name="deadline_open_due_idx", condition=Q(state="open")),
            models.Index(
                fields=["warn_at"], name="deadline_unwarned_idx", condition=Q(state="open", warned_at__isnull=True)
            ),
            # Dashboards: my unfinished deadlines, by person and by office and role.
            models.Index(
                fields=["responsible_user", "due_at"],
                name="deadline_user_live_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["office", "responsible_role", "due_at"],
                name="deadline_role_live_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["responsible_department", "due_at"],
                name="deadline_dept_live_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject_idx"),
            # "Breaches I supervise" (issue 10): breached, unfinished rows in due order, so the QA
            # dashboard reads the first 20 instead of every breach of the company. PostgreSQL also
            # gets a GIN index on escalate_roles for the same rows (migration 0005, jsonb @>).
            models.Index(
                fields=["due_at"],
                name="deadline_breached_live_idx",
                condition=Q(state="breached", closed_at__isnull=True),
            ),
            # QA's dashboard groups those breaches by rule and office (issue 9): one aggregate over all of
            # them. Measured at 1M complaints, 19,745 breaches (EXPLAIN ANALYZE): 157 ms fetching every row
            # from the heap; 31 ms as an index-only scan (no heap fetch) with what the aggregate reads in
            # this index.
            models.Index(
                # Key columns, not INCLUDE: SQLite has no covering indexes (system check W040).
                fields=["rule", "office", "due_at", "company", "escalate_roles", "id"],
                name="deadline_breached_group_idx",
                condition=Q(state="breached", closed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(warn_at__lte=models.F("due_at")), name="deadline_warn_before_due"),
            # One live deadline per rule and subject: a double click or a retried task cannot open two
            # (clock.services.deadline_open returns the live one).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule"],
                condition=Q(closed_at__isnull=True),
                name="deadline_live_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.title}"

    @property
    def display_title(self) -> str:
        """The title in the active language, from the rule's registered template and the params."""
        return render_title(self.rule, self.params, self.title)

    @property
    def is_live(self) -> bool:
        return self.closed_at is None and self.state in (DeadlineState.OPEN, DeadlineState.BREACHED)

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.closed_at is None and (self.state == DeadlineState.BREACHED or self.due_at <= now)


class DeadlineEvent(models.Model):
    """A warning or a breach, recorded exactly once per deadline (unique constraint) by the sweeper."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Breach")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The due time the event was about: a rescheduled deadline is warned again (a new event), but
    # never twice for the same due time.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    # Notifying is isolated per event: a failure is recorded here and retried with back-off, and the
    # sweep goes on to the next event (shown to the company admin on the calendar page).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("deadline event")
        verbose_name_plural = _("deadline events")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind", "due_at"], name="deadline_event_once_per_due"),
            # Rows from before due_at was recorded: once per kind, as they always were.
            models.UniqueConstraint(
                fields=["deadline", "kind"], condition=Q(due_at__isnull=True), name="deadline_event_once"
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="event_unnotified_idx", condition=Q(notified_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
