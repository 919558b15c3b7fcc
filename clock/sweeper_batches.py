"""The sweeper's batch steps (issue 10; clock.sweeper's docstring): claim up to `size` rows with
`FOR UPDATE SKIP LOCKED` (PostgreSQL; ignored on SQLite, whose IMMEDIATE transactions serialise
writers), compare-and-set them in one UPDATE, record their events in one INSERT, and notify a batch
of events with recipients resolved once per office and role. Each falls back to clock.sweeper's
single steps when the batch does not hold (a changed row, a failing notification)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import sweeper
from .bursts import Delivery, deliver
from .models import Deadline, DeadlineEvent, DeadlineState
from .sweeper import CLAIM_TIMEOUT, _notifiable, _notify_claimed, _people_cache, breach_one, warn_one

logger = logging.getLogger(__name__)


class _Changed(Exception):
    """The batch's UPDATE did not change exactly the rows it claimed."""


def _flip(claimed, kind: str, now: datetime.datetime, **updates) -> int:
    ids = [pk for pk, _due in claimed]
    flipped = Deadline.objects.filter(pk__in=ids, state=DeadlineState.OPEN, **updates.pop("where")).update(**updates)
    if flipped != len(ids):
        raise _Changed
    DeadlineEvent.objects.bulk_create(
        [DeadlineEvent(deadline_id=pk, kind=kind, due_at=due, created_at=now) for pk, due in claimed],
        ignore_conflicts=True,  # the unique (deadline, kind, due_at) constraint stays the second guard
    )
    return flipped


def breach_batch(now: datetime.datetime, size: int) -> int | None:
    """Flag up to `size` overdue open deadlines, earliest first: how many, or None when none is due."""
    try:
        with transaction.atomic():
            claimed = list(
                Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=now)
                .order_by("due_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "due_at")[:size]
            )
            if not claimed:
                return None
            return _flip(
                claimed, DeadlineEvent.Kind.BREACH, now, where={"due_at__lte": now}, state=DeadlineState.BREACHED,
                breached_at=now,
            )  # fmt: skip
    except _Changed:
        return _single(breach_one, now, size)


def warn_batch(now: datetime.datetime, size: int) -> int | None:
    """Warn up to `size` deadlines whose warning time has come and which are not yet due."""
    try:
        with transaction.atomic():
            claimed = list(
                Deadline.objects.filter(
                    state=DeadlineState.OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now
                )
                .order_by("warn_at", "pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "due_at")[:size]
            )
            if not claimed:
                return None
            where = {"warned_at__isnull": True, "warn_at__lte": now, "due_at__gt": now}
            return _flip(claimed, DeadlineEvent.Kind.WARNING, now, where=where, warned_at=now)
    except _Changed:
        return _single(warn_one, now, size)


def _single(step, now: datetime.datetime, size: int) -> int | None:
    done, seen = 0, False
    for _ in range(size):
        result = step(now)
        if result is None:
            break
        seen = True
        done += result
    return done if seen else None


def notify_batch(now: datetime.datetime, size: int) -> int:
    """Notify up to `size` events due for notifying; how many were claimed (0: none left)."""
    ready = _notifiable(now)
    with transaction.atomic():
        ids = list(
            DeadlineEvent.objects.filter(ready)
            .order_by("created_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return 0
        DeadlineEvent.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, next_try_at=now + CLAIM_TIMEOUT)
    try:
        with transaction.atomic():
            _notify_events(ids)
    except Exception:  # one bad event must not hold the others back: one by one, isolated
        logger.exception("deadline events %s…: batch notification failed, notifying one by one", ids[0])
        for pk in ids:
            _notify_claimed(pk, now)
    return len(ids)


def _notify_events(ids: list[int]) -> None:
    events = list(
        DeadlineEvent.objects.filter(pk__in=ids).select_related(
            "deadline__office", "deadline__company", "deadline__responsible_user"
        )
    )
    token = _people_cache.set({})
    try:
        deliveries = [Delivery(event, *sweeper._message(event)) for event in events]
    finally:
        _people_cache.reset(token)
    for delivery in deliveries:
        if not delivery.recipients:
            event = delivery.event
            logger.error("deadline %s (%s): no one to notify of %s", event.deadline_id, event.deadline.rule, event.kind)
    # One message per recipient and burst (kind, rule, office), with a count (clock.bursts, issue 9).
    deliver(deliveries)
    DeadlineEvent.objects.filter(pk__in=ids).update(notified_at=timezone.now(), error="", next_try_at=None)
