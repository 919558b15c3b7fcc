"""Writes of the user interface shell: reading notifications in the inbox — the clock owns them
(clock.notifications); these names stay for the views that call them."""

from __future__ import annotations

from clock.notifications import notification_mark_read, notifications_mark_all_read

__all__ = ["notification_mark_read", "notifications_mark_all_read"]
