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

Batches (issue 10): `sweep()` claims due rows `BATCH` at a time — on PostgreSQL with
`SELECT … FOR UPDATE SKIP LOCKED`, so two sweepers take disjoint rows and a row a reschedule holds is
left for the next run; on SQLite the IMMEDIATE transaction serialises writers — flips them with one
compare-and-set UPDATE and records their events with one INSERT; notifications are written per batch
(recipients resolved once per office and role, one INSERT of every notification, one UPDATE of the
events), a handful of statements per batch instead of ~24 per deadline. If a batch's UPDATE does not
change exactly the rows it claimed, or its notifications fail, the batch falls back to the single
steps above for those rows (the same guarantees, one at a time), so a bad event is still isolated.

Bursts (issue 9): the events of one kind, rule and office notified together become one message per
recipient with a count, and later events of the burst fold into it while it is unread (clock.bursts);
a single event is the individual message below.

It looks at what is due (`due_at <= now`), never at "exactly now", so a sweeper that was down for an
hour catches up on its next run (the djangoproject.com counter-example of STYLE.md).
"""

from __future__ import annotations

import datetime
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_noop as N_

from .bursts import Delivery, deliver
from .calendar import SHANGHAI
from .models import Deadline, DeadlineEvent, DeadlineState
from .notifications import backoff
from .services import deadline_escalation_users, deadline_responsible_users

logger = logging.getLogger(__name__)

# A guard against a loop that never ends (e.g. a row that keeps coming back); a sweep that stops
# here simply continues on the next beat.
MAX_STEPS = 10_000
# Notifying an event is tried this often before it stays failed (visible to the company admin).
MAX_ATTEMPTS = 8
# Rows claimed per batch (issue 10).
BATCH = 500
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


# Set by a batch (clock.sweeper_batches): recipients resolved once per office, company, party and
# escalation roles for the whole batch instead of once per deadline.
_people_cache: ContextVar[dict | None] = ContextVar("sweeper_people", default=None)


def _people(deadline: Deadline) -> tuple[list, list]:
    cache = _people_cache.get()
    key = (
        deadline.office_id,
        deadline.company_id,
        deadline.responsible_user_id,
        deadline.responsible_department_id,
        deadline.responsible_role,
        tuple(deadline.escalate_roles or ()),
    )
    if cache is not None and key in cache:
        return cache[key]
    found = deadline_responsible_users(deadline), deadline_escalation_users(deadline)
    if cache is not None:
        cache[key] = found
    return found


def _message(event: DeadlineEvent) -> tuple[str, list, dict, list]:
    """The title template, the body lines (msgid, params), the title params and the recipients:
    rendered in each reader's language (clock.notifications)."""
    deadline = event.deadline
    responsible, escalation = _people(deadline)
    title = {"rule": deadline.rule, "params": deadline.params, "fallback": deadline.title}
    details = {"rule": deadline.rule, "title": title, "due": _local(deadline.due_at)}
    if event.kind == DeadlineEvent.Kind.WARNING:
        template = N_("Due soon: %(title)s")
        body = [(N_("%(rule)s %(title)s is due at %(due)s."), details)]
        recipients = responsible
    else:
        template = N_("Overdue: %(title)s")
        body = [(N_("%(rule)s %(title)s was due at %(due)s and is overdue."), details)]
        recipients = responsible + escalation
    if deadline.office_id:
        body.append((N_("Management office: %(office)s"), {"office": str(deadline.office)}))
    if deadline.provisional:
        body.append((N_("The due time is provisional: the holidays of that year are not yet entered."), {}))
    return template, body, {"title": title}, recipients


def _notify_event(event_id: int) -> None:
    with transaction.atomic():
        event = DeadlineEvent.objects.select_related(
            "deadline__office", "deadline__company", "deadline__responsible_user"
        ).get(pk=event_id)
        template, body, params, recipients = _message(event)
        if not recipients:
            # Nobody holds the role: say so loudly rather than letting the flag pass unseen.
            logger.error("deadline %s (%s): no one to notify of %s", event.deadline_id, event.deadline.rule, event.kind)
        # Alone, or folded into the recipients' unread message of its burst (clock.bursts, issue 9).
        deliver([Delivery(event, template, body, params, recipients)])
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
    _notify_claimed(candidate.pk, now)
    return True


def _notify_claimed(event_id: int, now: datetime.datetime) -> None:
    """Notify one claimed event, isolated: a failure is recorded with a back-off, never raised."""
    try:
        _notify_event(event_id)
    except Exception as exc:  # isolate: record, back off, go on with the next event
        attempts = DeadlineEvent.objects.filter(pk=event_id).values_list("attempts", flat=True).first() or 1
        next_try = now + backoff(attempts) if attempts < MAX_ATTEMPTS else None
        DeadlineEvent.objects.filter(pk=event_id).update(
            error=f"{type(exc).__name__}: {exc}"[:2000], next_try_at=next_try
        )
        logger.exception("deadline event %s: notifying failed (attempt %s)", event_id, attempts)


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Flag every overdue open deadline once, warn every deadline whose warning time has come once,
    and notify for every new flag. Safe to run twice, or twice at the same time."""
    from .sweeper_batches import breach_batch, notify_batch, warn_batch

    now = now or timezone.now()
    breached = warned = 0
    # Breaches first: a deadline already overdue is flagged, never warned.
    for _step in range(MAX_STEPS // BATCH + 1):
        done = breach_batch(now, BATCH)
        if done is None:
            break
        breached += done
    for _step in range(MAX_STEPS // BATCH + 1):
        done = warn_batch(now, BATCH)
        if done is None:
            break
        warned += done
    for _step in range(MAX_STEPS // BATCH + 1):
        if not notify_batch(now, BATCH):
            break
    return SweepResult(warned=warned, breached=breached)
