"""What the complaint row keeps for its list (issue 10), written by the clock's subject hook: the
clock calls `after_deadlines` after every deadline_sync of a complaint — at intake and at the end of
every state change, in the same transaction — and after a calendar recompute moved one of its
deadlines (clock.subject_hooks). One UPDATE of the complaint's own row."""

from __future__ import annotations

import datetime

from .models import Complaint


def after_deadlines(complaint: Complaint, next_due_at: datetime.datetime | None) -> None:
    # Always written (the instance may be stale): one UPDATE by primary key per state change.
    Complaint.objects.filter(pk=complaint.pk).update(next_due_at=next_due_at)
    complaint.next_due_at = next_due_at
