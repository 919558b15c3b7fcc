"""What the complaint row keeps for its list (issue 10), written by the clock's subject hook: the
clock calls `after_deadlines` after every deadline_sync of a complaint — at intake and at the end of
every state change, in the same transaction — and after a calendar recompute moved one of its
deadlines (clock.subject_hooks). One UPDATE of the complaint's own row. And where a grouped
notification of a burst of deadline events links to (`burst_list_link`, clock.bursts)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from .models import Complaint
from .rules import RULE_C14, RULE_C15


def after_deadlines(complaint: Complaint, next_due_at: datetime.datetime | None) -> None:
    # Always written (the instance may be stale): one UPDATE by primary key per state change.
    Complaint.objects.filter(pk=complaint.pk).update(next_due_at=next_due_at)
    complaint.next_due_at = next_due_at


def burst_list_link(rule: str, kind: str, office_id: int | None, company_id: int | None) -> str:
    """Where a grouped notification of a burst of `rule` (clock.bursts, issue 9) sends its reader: the
    complaint list of that office, overdue ones only for breaches, next due first for warnings (the
    list answers in the reader's own scope); the summaries or analyses for C14 and C15."""
    if rule == RULE_C14:
        return reverse("complaints:summary_list")
    if rule == RULE_C15:
        return reverse("complaints:analysis_list")
    query = {"office": office_id} if office_id else {}
    query.update({"overdue": "on"} if kind == "breach" else {"sort": "due"})
    return f"{reverse('complaints:list')}?{urlencode(query)}"
