"""Writes of the user interface shell: reading notifications in the inbox.

Both are conditional updates on unread rows, so a double click or two tabs never move read_at
forward (the first read time is the one kept).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from clock.models import Notification
from estates.models import User


def notification_mark_read(*, notification: Notification, now: datetime.datetime | None = None) -> bool:
    """Mark one notification read; True if it was unread."""
    now = now or timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


def notifications_mark_all_read(*, user: User, now: datetime.datetime | None = None) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    now = now or timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)
