"""The timeline of a complaint (append-only) and its attachments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules import State
from .complaint import Complaint


class EventKind(models.TextChoices):
    CREATED = "created", _("Received")
    CLASSIFIED = "classified", _("Classified")
    RESPONDED = "responded", _("First response")
    HANDLING = "handling", _("Handling opinion")
    FORWARDED = "forwarded", _("Forwarded")
    MEASURES = "measures", _("Measures reported")
    RESULT_TOLD = "result_told", _("Result told")
    RV_DECIDED = "rv_decided", _("Return visit decided")
    RV_DONE = "rv_done", _("Return visit done")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    INVALID = "invalid", _("Marked invalid")
    TO_DEVELOPER = "to_developer", _("Handed to the developer")
    DEVELOPER_ANSWER = "dev_answer", _("Developer answered")
    ESCALATED = "escalated", _("Escalated to the management representative")
    ROUTED = "routed", _("Sent to QA")
    RECORD = "record", _("Record updated")
    NOTE = "note", _("Note")


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline. Appended, never edited or deleted."""

    office_path = "complaint__office"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=14, choices=EventKind.choices)
    note = models.TextField(_("note"), blank=True)
    from_state = models.CharField(_("from"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"

    def save(self, *args, **kwargs) -> None:
        # An invariant, not business logic: the timeline is a record; a written line never changes.
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The timeline is appended to, never edited."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The timeline is appended to, never edited."))


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name on disk: it is user input (kept in original_name for the download).
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"complaints/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    office_path = "complaint__office"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        ComplaintEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
