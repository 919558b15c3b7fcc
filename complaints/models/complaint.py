"""The complaint: its channels, kinds and categories, the company settings and the yearly number."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.db import ChoiceLabelsMixin

from ..rules import OPEN_STATES, ComplaintClass, State
from ..search import search_document

# The fields the search column is made of (Complaint.save).
SEARCH_SOURCES = {"number", "content", "contact_name", "contact_phone", "unit", "unit_id", "resident", "resident_id"}

# The earliest moment the database stores (common.dates.EARLIEST at midnight UTC).
EARLIEST_STORED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email or internet")
    FAX = "fax", _("Fax")
    COMPANY = "company", _("Via the company")
    GROUP = "group", _("Via the group")
    GOVERNMENT = "government", _("Via a government body")
    CS_CENTRE = "cs_centre", _("Via the customer service centre")
    ONLINE = "online", _("Online by the resident")
    SURVEY = "survey", _("From a survey")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class Category(models.TextChoices):
    REPAIRS = "repairs", _("Repairs")
    SECURITY = "security", _("Security")
    CLEANING = "cleaning", _("Cleaning and greening")
    CHARGES = "charges", _("Charges")
    ATTITUDE = "attitude", _("Service attitude")
    NOISE = "noise", _("Noise")
    PARKING = "parking", _("Parking")
    BUILDING = "building", _("Building quality")
    FACILITIES = "facilities", _("Public facilities")
    OTHER = "other", _("Other")


class ResponseHow(models.TextChoices):
    """C3, issue 9: how the resident was first answered."""

    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visited the resident")
    MESSAGE = "message", _("Message")


class ComplaintSettings(models.Model):
    """Per-company settings of the complaint procedure."""

    company = models.OneToOneField(
        "estates.Company", on_delete=models.CASCADE, related_name="complaint_settings", verbose_name=_("company")
    )
    compensation_authority = models.DecimalField(
        _("compensation authority (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=5000,
        help_text=_("C17: compensation above this amount is handed to the developer."),
    )
    analysis_due_days = models.PositiveSmallIntegerField(
        _("quarterly analysis due (days after the quarter)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "C15: days after a quarter ends by which QA's analysis is due; "
            "empty: the end of the first month after the quarter."
        ),
    )

    backdate_days = models.PositiveSmallIntegerField(
        _("receipt time may be back-dated (days)"),
        default=3,
        help_text=_(
            "Issue 9: a complaint may be logged with a receipt time up to this many days back; an older one "
            "needs a reason for the late entry, and its deadlines run from the moment it was entered."
        ),
    )

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")
        constraints = [
            # C15: at least 1 day after the quarter; empty means the end of the first month after it.
            models.CheckConstraint(
                condition=Q(analysis_due_days__isnull=True) | Q(analysis_due_days__gte=1),
                name="complaint_settings_analysis_due_days_min_1",
            )
        ]

    def __str__(self) -> str:
        # Never follows a foreign key (STYLE.md 16).
        return f"{self._meta.verbose_name} #{self.company_id}"


class YearCounter(models.Model):
    """The last complaint number given out in a year (TS-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Complaint(ChoiceLabelsMixin, models.Model):
    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("office")
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    # A hidden UUID the intake form carries: a double submit finds the complaint already made.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    resident = models.ForeignKey(
        "estates.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("resident"),
    )
    unit = models.ForeignKey(
        "estates.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("unit"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    content = models.TextField(_("what was said"))

    complaint_class = models.PositiveSmallIntegerField(
        _("class"), choices=ComplaintClass.choices, null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    important = models.BooleanField(_("important"), default=False)
    difficult = models.BooleanField(_("difficult"), default=False)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    # C8: when the complaint became a difficult class-1 complaint, and when QA or the assistant GM
    # answered it with a handling opinion (the C8 deadline counts from the first to the second).
    c8_since = models.DateTimeField(_("difficult class 1 since"), null=True, blank=True)
    c8_answered_at = models.DateTimeField(_("C8 answered at"), null=True, blank=True)

    department = models.ForeignKey(
        "estates.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("responsible department"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("handler"),
    )
    handling_opinion = models.TextField(_("handling opinion"), blank=True)
    handling_due_at = models.DateTimeField(_("handling deadline"), null=True, blank=True)
    # When the handling deadline was last set: a result told before it does not meet it (a reopened
    # complaint with a new deadline).
    handling_due_set_at = models.DateTimeField(_("handling deadline set at"), null=True, blank=True)
    # C10: a complaint to the customer service centre waits for QA's handling opinion.
    needs_qa_opinion = models.BooleanField(_("awaiting QA's handling opinion"), default=False)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    measures = models.TextField(_("measures reported"), blank=True)
    measures_reported_at = models.DateTimeField(_("measures reported at"), null=True, blank=True)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    # Issue 8 (racing clicks): every action is a compare-and-set on the version the page was rendered
    # with, so eight simultaneous POSTs of the same form make one change, not eight.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    response_note = models.TextField(_("first response"), blank=True)
    response_how = models.CharField(_("answered by"), max_length=8, choices=ResponseHow.choices, blank=True)
    result = models.TextField(_("result"), blank=True)
    result_told_at = models.DateTimeField(_("result told at"), null=True, blank=True)

    return_visit_required = models.BooleanField(_("return visit required"), null=True, blank=True)
    return_visit_decided_at = models.DateTimeField(_("return visit decided at"), null=True, blank=True)
    return_visit_at = models.DateTimeField(_("return visit at"), null=True, blank=True)
    return_visit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return visit by"),
    )
    return_visit_satisfied = models.BooleanField(_("resident satisfied"), null=True, blank=True)
    return_visit_note = models.TextField(_("return visit outcome"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    invalid = models.BooleanField(_("invalid"), default=False)
    invalid_explanation = models.TextField(_("explanation given to the resident"), blank=True)

    compensation_amount = models.DecimalField(
        _("compensation (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    developer_involved = models.BooleanField(_("developer involved"), default=False)
    return_exchange_request = models.BooleanField(_("request to return or exchange the home"), default=False)
    developer_sent_at = models.DateTimeField(_("sent to the developer at"), null=True, blank=True)
    developer_sent_what = models.TextField(_("what was sent to the developer"), blank=True)
    developer_answer = models.TextField(_("developer's answer"), blank=True)
    developer_answered_at = models.DateTimeField(_("developer answered at"), null=True, blank=True)

    escalated_to_mr = models.BooleanField(_("escalated to the management representative"), default=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("why the departments could not resolve it"), blank=True)

    late_entry_reason = models.TextField(_("why it was entered late"), blank=True)

    # Kept by the clock's subject hook (complaints.apps, issue 10): the earliest due time of the
    # complaint's live deadlines, so the list filters "overdue" (next_due_at <= now: a live breached
    # deadline is always due in the past) and sorts by next due without reading the deadline table.
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True, editable=False)
    # The list's text search (complaints.search): derived from the fields below in save(), so every
    # write (intake, a change, the admin) keeps it; bulk writers call search_document themselves.
    search_text = models.TextField(blank=True, default="", editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The list: always by office, usually by state, newest first.
            models.Index(fields=["office", "state", "-received_at"], name="complaint_office_state_idx"),
            # What is open, without the closed millions (partial).
            models.Index(
                fields=["office", "-received_at"],
                name="complaint_open_idx",
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
            ),
            # Work log, date ranges, the monthly and quarterly summaries (C14, C15).
            models.Index(fields=["office", "-received_at"], name="complaint_office_received_idx"),
            models.Index(fields=["received_at"], name="complaint_received_idx"),
            # Keyset paging of the company-wide list: (received_at, id) in one index, no sort step.
            models.Index(fields=["-received_at", "-id"], name="complaint_received_id_idx"),
            # "Overdue only": the few complaints with a live deadline (partial, issue 10).
            models.Index(fields=["next_due_at"], name="complaint_next_due_idx", condition=Q(next_due_at__isnull=False)),
            # The list sorted by next due (nulls last, then newest first), read in index order.
            models.Index(
                F("next_due_at").asc(),  # ASC is NULLS LAST on PostgreSQL; SQLite has no NULLS in an index
                F("received_at").desc(),
                F("id").desc(),
                name="complaint_due_sort_idx",
            ),
            models.Index(fields=["complaint_class", "received_at"], name="complaint_class_idx"),
            models.Index(fields=["channel", "received_at"], name="complaint_channel_idx"),
            models.Index(fields=["category", "received_at"], name="complaint_category_idx"),
            models.Index(fields=["department", "received_at"], name="complaint_department_idx"),
            # C14's carried-over count: unfinished at a month's start (closed_at empty or later), by
            # department and, for the receiving department, by office (issue 10).
            models.Index(fields=["department", "closed_at"], name="complaint_dept_closed_idx"),
            models.Index(fields=["office", "closed_at"], name="complaint_office_closed_idx"),
            # ... and the part of it still unfinished today (closed_at empty), partial: what a month
            # carries over is then read from these few rows plus those closed since the month began
            # (the two indexes above), never from the department's whole history (issue 10).
            models.Index(
                fields=["department", "received_at"],
                name="complaint_dept_unfinished_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["office", "received_at"],
                name="complaint_unassigned_open_idx",
                condition=Q(closed_at__isnull=True, department__isnull=True),
            ),
            # The return-visit queue.
            models.Index(
                fields=["office", "result_told_at"],
                name="complaint_rv_queue_idx",
                condition=Q(state="awaiting_rv"),
            ),
        ]
        constraints = [
            # Hardening issue, item 1: a moment before 2000 (year 1 was accepted once) is refused by the
            # database itself; Python cannot read such a value back and every page touching it failed.
            models.CheckConstraint(condition=Q(received_at__gte=EARLIEST_STORED), name="complaint_received_in_range"),
            models.CheckConstraint(
                condition=Q(handling_due_at__isnull=True) | Q(handling_due_at__gte=EARLIEST_STORED),
                name="complaint_handling_due_in_range",
            ),
            models.CheckConstraint(
                condition=Q(complaint_class__isnull=True) | Q(complaint_class__in=[1, 2, 3]),
                name="complaint_class_valid",
            ),
            models.CheckConstraint(condition=Q(state__in=State.values), name="complaint_state_valid"),
            # C16: an invalid complaint always carries the explanation given to the resident.
            models.CheckConstraint(
                condition=Q(invalid=False) | ~Q(invalid_explanation=""), name="complaint_invalid_explained"
            ),
            models.CheckConstraint(
                condition=Q(compensation_amount__isnull=True) | Q(compensation_amount__gte=0),
                name="complaint_compensation_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        # Derived state, not business logic: the search column follows what it is made of.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCH_SOURCES & set(update_fields):
            self.search_text = self.search_document()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:detail", args=[self.pk])

    def clean(self) -> None:
        if self.unit_id and self.unit.building.community.office_id != self.office_id:
            raise ValidationError({"unit": _("The unit belongs to another management office.")})
        if self.resident_id and self.resident.unit.building.community.office_id != self.office_id:
            raise ValidationError({"resident": _("The resident belongs to another management office.")})

    def search_document(self) -> str:
        unit = self.unit if self.unit_id else None
        resident = self.resident if self.resident_id else None
        return search_document(
            [
                self.number,
                self.content,
                self.contact_name,
                self.contact_phone,
                unit.number if unit else "",
                resident.name if resident else "",
            ]
        )

    @property
    def is_effective(self) -> bool:
        """C1: only class 1 is an effective complaint."""
        return self.complaint_class == ComplaintClass.CLASS_1

    @property
    def clock_start(self) -> datetime.datetime:
        """When C3 starts: the receipt, or for a late entry (issue 9: received more than the company's
        back-dating window ago, with a reason) the moment it was entered: the lateness is the office's,
        not the clock's."""
        if self.late_entry_reason and self.created_at is not None:
            return self.created_at
        return self.received_at

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def who(self) -> str:
        """The complainant as the work log shows it."""
        if self.resident_id:
            return str(self.resident)
        return self.contact_name or str(_("Unknown"))

    @property
    def passed_to(self) -> str:
        if self.department_id:
            return self.department.label
        if self.handler_id:
            return str(self.handler)
        return ""
