"""Writes of the feedback app, by stage: entries (F1 intake), register (F1 afterwards and the
complaint mirror), public (the resident page), outreach (F3), archive and actions (F2)."""

from .actions import action_create, action_record_done, action_send_back, action_verify
from .archive import archive_approve, archive_generate, archive_refresh, archive_save_analysis, generate_due_archives
from .entries import categories_for, category_by_code, entry_create
from .outreach import outreach_add_opinion, outreach_close, outreach_create
from .public import public_submit
from .register import entry_hand_over, entry_resident_answer, entry_update, mirror_complaints

__all__ = [
    "action_create",
    "action_record_done",
    "action_send_back",
    "action_verify",
    "archive_approve",
    "archive_generate",
    "archive_refresh",
    "archive_save_analysis",
    "categories_for",
    "category_by_code",
    "entry_create",
    "entry_hand_over",
    "entry_resident_answer",
    "entry_update",
    "generate_due_archives",
    "mirror_complaints",
    "outreach_add_opinion",
    "outreach_close",
    "outreach_create",
    "public_submit",
]
