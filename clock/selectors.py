"""Reads of the clock: what dashboards and the header show. Querysets, aggregated in the database."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from estates.models import User
from estates.scoping import office_ids_for

from .models import Deadline, DeadlineState, Notification

DUE_SOON = datetime.timedelta(hours=24)


def live_deadlines_for(user: User) -> QuerySet[Deadline]:
    """Unfinished deadlines the user answers for: named on them, or holding their role in one of their
    offices (a company role: in any office of the company, or company-level ones with no office)."""
    mine = Q(responsible_user=user)
    if user.role:
        role_q = Q(responsible_role=user.role, responsible_user__isnull=True)
        if user.is_company_wide:
            mine |= role_q & (Q(office_id__in=office_ids_for(user)) | Q(office__isnull=True))
        else:
            mine |= role_q & Q(office_id__in=office_ids_for(user))
    return (
        Deadline.objects.filter(mine, closed_at__isnull=True, state__in=[DeadlineState.OPEN, DeadlineState.BREACHED])
        .select_related("office", "responsible_user")
        .order_by("due_at")
    )


def deadline_buckets(user: User, now: datetime.datetime | None = None, limit: int = 20) -> dict[str, list[Deadline]]:
    """The dashboard's three lists: overdue, due soon (within 24 hours), provisional."""
    now = now or timezone.now()
    live = live_deadlines_for(user)
    return {
        "overdue": list(live.filter(due_at__lte=now)[:limit]),
        "due_soon": list(live.filter(due_at__gt=now, due_at__lte=now + DUE_SOON)[:limit]),
        "provisional": list(live.filter(provisional=True)[:limit]),
    }


def inbox_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """Read on every page (the header badge); served by the partial index on unread rows."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
