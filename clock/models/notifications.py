"""Notifications: a user's inbox and the email sent for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..titles import render_part
from .deadlines import Deadline, DeadlineEvent


class EmailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NONE = "none", _("No email")


class Notification(models.Model):
    """An in-app message, and its email. The email is sent once: a sender claims the row with a
    conditional update; a failure is recorded and retried with back-off, never dropped silently."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event = models.ForeignKey(
        DeadlineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # Makes a notification idempotent: the same key for the same recipient is stored once.
    key = models.CharField(max_length=120)
    # The burst a deadline notification belongs to, "breach:C3:o12" (kind, rule, office): new events of
    # the same burst fold into the recipient's unread message of it (clock.bursts, issue 9).
    group_key = models.CharField(max_length=60, blank=True, default="")
    # The text in the installation's language (search, and rows without a stored message).
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # The message as templates: {"title": [msgid, params], "body": [[msgid, params], ...]}, rendered
    # in the reader's language (clock.notifications).
    message = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_try_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            # The sweeper's look for an unread message of a burst to fold new events into.
            models.Index(
                fields=["group_key", "created_at"],
                name="notification_burst_idx",
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
            ),
            models.Index(
                fields=["email_next_try_at"],
                name="notification_email_due_idx",
                condition=Q(email_state__in=["pending", "failed", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language."""
        title = (self.message or {}).get("title")
        return (render_part(title) or self.title) if title else self.title

    @property
    def display_body(self) -> str:
        """The message in the active language."""
        parts = (self.message or {}).get("body")
        if not parts:
            return self.body
        return "\n".join(filter(None, (render_part(part) for part in parts)))
