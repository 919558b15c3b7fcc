"""Writes of the feedback app, by stage: entries (F1), actions (F2 corrective actions)."""

from .actions import action_create, action_record_done, action_send_back, action_verify
from .entries import categories_for, category_by_code, entry_create

__all__ = [
    "action_create",
    "action_record_done",
    "action_send_back",
    "action_verify",
    "categories_for",
    "category_by_code",
    "entry_create",
]
