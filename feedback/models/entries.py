"""The customer communication register (F1, 与顾客沟通登记表): one Entry per contact.

Indexes follow the register page: always by office, usually by state and received time, newest first;
a partial index for what is open; the monthly archive (F2) groups by office, month, kind, category and
channel. Text search on PostgreSQL is served by a trigram index made in migration 0002 (raw SQL, so
SQLite is untouched).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.search import search_document

from ..rules import DEFAULT_CATEGORY_LABELS, OPEN_STATES, Channel, Kind, State


class Category(models.Model):
    """A company-editable category of the register (defaults in rules.DEFAULT_CATEGORIES). A default
    category keeps its code and shows its translated label until the company names it itself."""

    company = models.ForeignKey(
        "estates.Company", on_delete=models.CASCADE, related_name="feedback_categories", verbose_name=_("company")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("Empty: the default name."))
    service_hours = models.PositiveSmallIntegerField(
        _("service request due (working hours)"),
        null=True,
        blank=True,
        help_text=_("F1: a service request of this category is due this many working hours after receipt."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("register category")
        verbose_name_plural = _("register categories")
        ordering = ["company", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="feedback_category_code_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        default = DEFAULT_CATEGORY_LABELS.get(self.code)
        return str(default) if default is not None else self.code


class StateLabel(models.Model):
    """An office's own name for a state, with one of the fixed meanings underneath ("closed — not
    fixed", "referred to the utility" mean closed; counts and deadlines follow the meaning)."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.CASCADE, related_name="feedback_state_labels", verbose_name=_("office")
    )
    meaning = models.CharField(_("meaning"), max_length=12, choices=State.choices)
    label = models.CharField(_("label"), max_length=40)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("state label")
        verbose_name_plural = _("state labels")
        ordering = ["office", "meaning", "label"]
        constraints = [
            models.UniqueConstraint(fields=["office", "label"], name="feedback_state_label_unique"),
            models.CheckConstraint(condition=Q(meaning__in=State.values), name="feedback_state_label_meaning"),
        ]

    def __str__(self) -> str:
        return self.label


class Entry(models.Model):
    """One contact in the register (F1): who, unit, channel, what they said, who received it, what
    was done, the outcome. A complaint logged here is also a complaints.Complaint (`complaint`)."""

    office_path = "office"

    office = models.ForeignKey(
        "estates.Office", on_delete=models.PROTECT, related_name="feedback_entries", verbose_name=_("office")
    )
    # A hidden UUID the entry form carries: a double submit finds the entry already made.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Set by a caller that may call twice for the same thing (a survey comment, S9): idempotency.
    source_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    community = models.ForeignKey(
        "estates.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    unit = models.ForeignKey(
        "estates.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    resident = models.ForeignKey(
        "estates.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    content = models.TextField(pgettext_lazy("feedback", "what was said"))
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    action = models.TextField(_("what was done"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up = models.BooleanField(_("follow-up needed"), default=False)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    state_label = models.ForeignKey(
        StateLabel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("state label"),
    )
    # F1 service requests: who does it, and by when (working hours from the category, kept on the row
    # so the list sorts and filters by it without a deadline subquery).
    department = models.ForeignKey(
        "estates.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    service_hours = models.PositiveSmallIntegerField(_("due in (working hours)"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )

    # F3: the forum or home visit where this opinion was collected.
    outreach = models.ForeignKey(
        "feedback.Outreach",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("forum or home visit"),
    )

    # The resident page (F1 online): only a hash of the private tracking token is stored.
    tracking_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    resident_solved = models.BooleanField(_("resident says solved"), null=True, blank=True)
    resident_answered_at = models.DateTimeField(_("resident answered at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    # The register's text search, as the complaint list's (complaints.search): what was said, lower-cased,
    # then its Chinese cut into two-character words, so a two-character query (漏水) is served by the
    # trigram index too (migration 0004). Derived in save(); bulk writers call search_document themselves.
    search_text = models.TextField(blank=True, default="", editable=False)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The register: by office, usually by state, newest first (keyset on received_at, pk).
            models.Index(fields=["office", "state", "-received_at", "-id"], name="fb_entry_office_state_idx"),
            models.Index(fields=["office", "-received_at", "-id"], name="fb_entry_office_recv_idx"),
            # What is open, without the closed millions (partial).
            models.Index(
                fields=["office", "due_at"],
                name="fb_entry_open_idx",
                condition=Q(state__in=[s.value for s in OPEN_STATES]),
            ),
            # Filters and the monthly archive (F2).
            models.Index(fields=["office", "kind", "-received_at"], name="fb_entry_kind_idx"),
            models.Index(fields=["office", "channel", "-received_at"], name="fb_entry_channel_idx"),
            models.Index(fields=["office", "category", "-received_at"], name="fb_entry_category_idx"),
            models.Index(fields=["received_at"], name="fb_entry_received_idx"),
            # The resident page's throttle "per phone per day".
            models.Index(fields=["contact_phone", "received_at"], name="fb_entry_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="fb_entry_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="fb_entry_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="fb_entry_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        # Derived state, not business logic: the search column follows what was said.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "content" in update_fields:
            self.search_text = search_document([self.content])
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("feedback:detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"YJ{self.pk or 0:07d}"

    def clean(self) -> None:
        if self.unit_id and self.unit.building.community.office_id != self.office_id:
            raise ValidationError({"unit": _("The unit belongs to another management office.")})
        if self.resident_id and self.resident.unit.building.community.office_id != self.office_id:
            raise ValidationError({"resident": _("The resident belongs to another management office.")})
        if self.community_id and self.community.office_id != self.office_id:
            raise ValidationError({"community": _("The community belongs to another management office.")})
        if self.state_label_id and (
            self.state_label.office_id != self.office_id or self.state_label.meaning != self.state
        ):
            raise ValidationError({"state_label": _("This label does not belong to this state.")})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def state_display(self) -> str:
        """The office's own name for the state when it set one, else the fixed meaning's name."""
        if self.state_label_id:
            return self.state_label.label
        return str(State(self.state).label)


class EntryEvent(models.Model):
    """One line of an entry's history: a reply, a state change, a note. `public` lines are the
    office's replies the resident sees on the tracking page. Appended, never edited."""

    office_path = "entry__office"

    class What(models.TextChoices):
        CREATED = "created", _("Logged")
        ASSIGNED = "assigned", _("Assigned")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Note")
        STATE = "state", _("State changed")
        DONE = "done", _("Done")
        CLOSED = "closed", _("Closed")
        RESIDENT = "resident", _("Resident's answer")
        REOPENED = "reopened", _("Reopened")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("shown to the resident"), default=False)
    from_state = models.CharField(_("from"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices, blank=True)

    class Meta:
        verbose_name = _("register entry event")
        verbose_name_plural = _("register entry events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["entry", "at"], name="fb_entry_event_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.what}"

    def save(self, *args, **kwargs) -> None:
        # An invariant, not business logic: the history is a record; a written line never changes.
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The history is appended to, never edited."))
        super().save(*args, **kwargs)
