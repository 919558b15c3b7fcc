"""The deadline sweeper, after healthchecks' sendalerts (STYLE.md, DESIGN.md 6-7).

`sweep()` loops single steps. A step takes the earliest due row and compare-and-sets its state on
the values it read (`pk`, state open, the same due/warning time, and that time still <= now): a
second sweeper racing it (beat fired twice, two workers on PostgreSQL) or a reschedule committing
between the read and the update changes zero rows, and the step moves on. An event is recorded only
if exactly one row changed; the unique (deadline, kind, due_at) constraint on DeadlineEvent is the
second guard.

Notifying is a separate step per event, isolated: it claims the event (attempts + 1, a next try in
the future), then creates the notifications keyed by the event in their own transaction. A failure
is recorded on the event (error, next try with back-off as the email outbox) and the sweep goes on to
the next event; after MAX_ATTEMPTS the event stays failed, shown to the company admin
(clock.selectors.failed_deadline_events). A crash between claim and notify leaves the claim to expire.

It looks at what is due (`due_at <= now`), never at "exactly now", so a sweeper that was down for an
hour catches up on its next run (the djangoproject.com counter-example of STYLE.md).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_noop as N_

from .calendar import SHANGHAI
from .models import Deadline, DeadlineEvent, DeadlineState
from .notifications import backoff, notify
from .services import deadline_escalation_users, deadline_responsible_users

logger = logging.getLogger(__name__)

# A guard against a loop that never ends (e.g. a row that keeps coming back); a sweep that stops
# here simply continues on the next beat.
MAX_STEPS = 10_000
# Notifying an event is tried this often before it stays failed (visible to the company admin).
MAX_ATTEMPTS = 8
# A claimed event whose notifier died is taken over after this long.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class SweepResult:
    warned: int
    breached: int


def _record_event(deadline_id: int, kind: str, due_at: datetime.datetime, now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            DeadlineEvent.objects.create(deadline_id=deadline_id, kind=kind, due_at=due_at, created_at=now)
    except IntegrityError:
        logger.warning("deadline %s: %s event for %s already recorded", deadline_id, kind, due_at)
        return False
    return True


def breach_one(now: datetime.datetime) -> int | None:
    """Flag the earliest open overdue deadline: 1 when this call flagged it, 0 when a concurrent
    sweeper or a reschedule got there first, None when nothing is left."""
    candidate = (
        Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=now)
        .order_by("due_at", "pk")
        .only("pk", "due_at")
        .first()
    )
    if candidate is None:
        return None
    with transaction.atomic():
        flipped = Deadline.objects.filter(
            pk=candidate.pk, state=DeadlineState.OPEN, due_at=candidate.due_at, due_at__lte=now
        ).update(state=DeadlineState.BREACHED, breached_at=now)
        if flipped == 1 and _record_event(candidate.pk, DeadlineEvent.Kind.BREACH, candidate.due_at, now):
            return 1
    return 0


def warn_one(now: datetime.datetime) -> int | None:
    """Warn about the earliest deadline whose warning time has come (1, 0 or None as breach_one).
    A deadline already past due gets no warning: breach_one flags it instead."""
    candidate = (
        Deadline.objects.filter(state=DeadlineState.OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now)
        .order_by("warn_at", "pk")
        .only("pk", "warn_at", "due_at")
        .first()
    )
    if candidate is None:
        return None
    with transaction.atomic():
        flipped = Deadline.objects.filter(
            pk=candidate.pk,
            state=DeadlineState.OPEN,
            warned_at__isnull=True,
            warn_at=candidate.warn_at,
            warn_at__lte=now,
            due_at=candidate.due_at,
            due_at__gt=now,
        ).update(warned_at=now)
        if flipped == 1 and _record_event(candidate.pk, DeadlineEvent.Kind.WARNING, candidate.due_at, now):
            return 1
    return 0


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(moment.astimezone(SHANGHAI), "Y-m-d H:i")


def _message(event: DeadlineEvent) -> tuple[str, list, dict, list]:
    """The title template, the body lines (msgid, params), the title params and the recipients:
    rendered in each reader's language (clock.notifications)."""
    deadline = event.deadline
    responsible = deadline_responsible_users(deadline)
    title = {"rule": deadline.rule, "params": deadline.params, "fallback": deadline.title}
    details = {"rule": deadline.rule, "title": title, "due": _local(deadline.due_at)}
    if event.kind == DeadlineEvent.Kind.WARNING:
        template = N_("Due soon: %(title)s")
        body = [(N_("%(rule)s %(title)s is due at %(due)s."), details)]
        recipients = responsible
    else:
        template = N_("Overdue: %(title)s")
        body = [(N_("%(rule)s %(title)s was due at %(due)s and is overdue."), details)]
        recipients = responsible + deadline_escalation_users(deadline)
    if deadline.office_id:
        body.append((N_("Management office: %(office)s"), {"office": str(deadline.office)}))
    if deadline.provisional:
        body.append((N_("The due time is provisional: the holidays of that year are not yet entered."), {}))
    return template, body, {"title": title}, recipients


def _notify_event(event_id: int) -> None:
    with transaction.atomic():
        event = DeadlineEvent.objects.select_related("deadline__office", "deadline__responsible_user").get(pk=event_id)
        template, body, params, recipients = _message(event)
        if not recipients:
            # Nobody holds the role: say so loudly rather than letting the flag pass unseen.
            logger.error("deadline %s (%s): no one to notify of %s", event.deadline_id, event.deadline.rule, event.kind)
        notify(
            recipients=recipients,
            key=f"deadline-event:{event.pk}",
            title=template,
            body=body,
            params=params,
            link=event.deadline.link,
            deadline=event.deadline,
            event=event,
        )
        DeadlineEvent.objects.filter(pk=event.pk).update(notified_at=timezone.now(), error="", next_try_at=None)


def _notifiable(now: datetime.datetime) -> Q:
    return Q(notified_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & (
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )


def notify_one(now: datetime.datetime) -> bool:
    """Send the notifications of the oldest event due for notifying; False when none is left. A
    failure is recorded on the event and retried later; it never stops the next event."""
    ready = _notifiable(now)
    candidate = DeadlineEvent.objects.filter(ready).order_by("created_at", "pk").only("pk").first()
    if candidate is None:
        return False
    claimed = DeadlineEvent.objects.filter(ready, pk=candidate.pk).update(
        attempts=F("attempts") + 1, next_try_at=now + CLAIM_TIMEOUT
    )
    if claimed != 1:
        return True  # another sweeper took it
    try:
        _notify_event(candidate.pk)
    except Exception as exc:  # isolate: record, back off, go on with the next event
        attempts = DeadlineEvent.objects.filter(pk=candidate.pk).values_list("attempts", flat=True).first() or 1
        next_try = now + backoff(attempts) if attempts < MAX_ATTEMPTS else None
        DeadlineEvent.objects.filter(pk=candidate.pk).update(
            error=f"{type(exc).__name__}: {exc}"[:2000], next_try_at=next_try
        )
        logger.exception("deadline event %s: notifying failed (attempt %s)", candidate.pk, attempts)
    return True


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Flag every overdue open deadline once, warn every deadline whose warning time has come once,
    and notify for every new flag. Safe to run twice, or twice at the same time."""
    now = now or timezone.now()
    breached = warned = 0
    # Breaches first: a deadline already overdue is flagged, never warned.
    for _step in range(MAX_STEPS):
        done = breach_one(now)
        if done is None:
            break
        breached += done
    for _step in range(MAX_STEPS):
        done = warn_one(now)
        if done is None:
            break
        warned += done
    for _step in range(MAX_STEPS):
        if not notify_one(now):
            break
    return SweepResult(warned=warned, breached=breached)
