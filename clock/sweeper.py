"""The deadline sweeper, after healthchecks' sendalerts (STYLE.md, DESIGN.md 6-7).

`sweep()` loops single steps. A step takes the earliest due row, compare-and-sets its state and
records an event only if exactly one row changed; a second sweeper racing it (beat fired twice, two
workers on PostgreSQL) changes zero rows and moves on. The unique (deadline, kind) constraint on
DeadlineEvent is the second guard. Notifications are a separate step that claims unnotified events
with a conditional update, in the same transaction as the notifications it creates, so a crash
leaves the event unclaimed for the next sweep instead of losing it.

It looks at what is due (`due_at <= now`), never at "exactly now", so a sweeper that was down for an
hour catches up on its next run (the djangoproject.com counter-example of STYLE.md).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Deadline, DeadlineEvent, DeadlineState
from .services import deadline_escalation_users, deadline_responsible_users, notify
from .worktime import SHANGHAI

logger = logging.getLogger(__name__)

# A guard against a loop that never ends (e.g. a row that keeps coming back); a sweep that stops
# here simply continues on the next beat.
MAX_STEPS = 10_000


@dataclass(frozen=True)
class SweepResult:
    warned: int
    breached: int


def _record_event(deadline_id: int, kind: str, now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            DeadlineEvent.objects.create(deadline_id=deadline_id, kind=kind, created_at=now)
    except IntegrityError:
        logger.warning("deadline %s: %s event already recorded", deadline_id, kind)
        return False
    return True


def breach_one(now: datetime.datetime) -> int | None:
    """Flag the earliest open overdue deadline: 1 when this call flagged it, 0 when a concurrent
    sweeper got there first, None when nothing is left."""
    candidate = (
        Deadline.objects.filter(state=DeadlineState.OPEN, due_at__lte=now).order_by("due_at", "pk").only("pk").first()
    )
    if candidate is None:
        return None
    with transaction.atomic():
        flipped = Deadline.objects.filter(pk=candidate.pk, state=DeadlineState.OPEN).update(
            state=DeadlineState.BREACHED, breached_at=now
        )
        if flipped == 1 and _record_event(candidate.pk, DeadlineEvent.Kind.BREACH, now):
            return 1
    return 0


def warn_one(now: datetime.datetime) -> int | None:
    """Warn about the earliest deadline whose warning time has come (1, 0 or None as breach_one).
    A deadline already past due gets no warning: breach_one flags it instead."""
    candidate = (
        Deadline.objects.filter(state=DeadlineState.OPEN, warned_at__isnull=True, warn_at__lte=now, due_at__gt=now)
        .order_by("warn_at", "pk")
        .only("pk")
        .first()
    )
    if candidate is None:
        return None
    with transaction.atomic():
        flipped = Deadline.objects.filter(
            pk=candidate.pk, state=DeadlineState.OPEN, warned_at__isnull=True, due_at__gt=now
        ).update(warned_at=now)
        if flipped == 1 and _record_event(candidate.pk, DeadlineEvent.Kind.WARNING, now):
            return 1
    return 0


def _local(moment: datetime.datetime) -> str:
    return formats.date_format(moment.astimezone(SHANGHAI), "Y-m-d H:i")


def _message(event: DeadlineEvent) -> tuple[str, str, list]:
    deadline = event.deadline
    responsible = deadline_responsible_users(deadline)
    where = str(deadline.office) if deadline.office_id else ""
    details = {
        "rule": deadline.rule,
        "title": deadline.display_title,
        "due": _local(deadline.due_at),
        "office": where,
    }
    if event.kind == DeadlineEvent.Kind.WARNING:
        title = _("Due soon: %(title)s") % details
        body = _("%(rule)s %(title)s is due at %(due)s.") % details
        recipients = responsible
    else:
        title = _("Overdue: %(title)s") % details
        body = _("%(rule)s %(title)s was due at %(due)s and is overdue.") % details
        recipients = responsible + deadline_escalation_users(deadline)
    if where:
        body += "\n" + _("Management office: %(office)s") % details
    if deadline.provisional:
        body += "\n" + _("The due time is provisional: the holidays of that year are not yet entered.")
    return title, body, recipients


def notify_one(now: datetime.datetime) -> bool:
    """Send the notifications of the oldest event nobody has notified yet."""
    candidate = DeadlineEvent.objects.filter(notified_at__isnull=True).order_by("created_at", "pk").only("pk").first()
    if candidate is None:
        return False
    with transaction.atomic():
        if DeadlineEvent.objects.filter(pk=candidate.pk, notified_at__isnull=True).update(notified_at=now) != 1:
            return True
        event = DeadlineEvent.objects.select_related("deadline__office", "deadline__responsible_user").get(
            pk=candidate.pk
        )
        title, body, recipients = _message(event)
        if not recipients:
            # Nobody holds the role: say so loudly rather than letting the flag pass unseen.
            logger.error("deadline %s (%s): no one to notify of %s", event.deadline_id, event.deadline.rule, event.kind)
        notify(
            recipients=recipients,
            key=f"deadline:{event.deadline_id}:{event.kind}",
            title=title,
            body=body,
            link=event.deadline.link,
            deadline=event.deadline,
        )
    return True


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Flag every overdue open deadline once, warn every deadline whose warning time has come once,
    and notify for every new flag. Safe to run twice, or twice at the same time."""
    now = now or timezone.now()
    breached = warned = 0
    with translation.override(settings.LANGUAGE_CODE):
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
