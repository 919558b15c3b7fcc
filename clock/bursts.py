"""Bursts of deadline events become one message (issue 9: "a burst of breaches of the same rule and
office becomes one message with a count").

A burst is the deadline events of one kind (warning or breach), one rule and one office (the company,
for a deadline without an office) — the group key "breach:C3:o12" — that reach one recipient:
- in the same notifying step of the sweeper (a batch of up to clock.sweeper.BATCH events, or one
  event on the isolated fallback path), and
- later, while the recipient's message of that burst is still unread and less than FOLD_WINDOW old:
  the new events are folded into it (its count, subjects and due times updated), so a burst split
  across two sweeps, two batches, two sweepers at once, or a batch that fell back to single steps,
  still makes one message. A read message is never changed; the next event starts a new one.

A single event stays the individual message it always was (title, body and link of its deadline).
When a second event of the same burst arrives while it is unread, it becomes the grouped message.
A message keeps the ids of its deadlines: an event of a deadline it already counts (a re-armed
warning of the same deadline) is not folded in but told in a message of its own.
The grouped message says how many (in the reader's language, the count in the rule's own noun:
"一处：12 件投诉超过 C3 首次回复期限"), lists the first ITEMS_SHOWN subjects by number (never a
resident: numbers, or the deadline titles, which name numbers only), and links to the page listing
them all (the rule's `list_link`, clock.titles; the dashboard otherwise).

A folded message keeps its place and time in the inbox (those of its first events); its body says
the due times it spans.

Email: one per message. A fold into a message whose email is still waiting changes what that one
email will say; a fold into a message already emailed (or being sent) queues its email again, so an
email reader hears of the added events once, with the new count.

Race safety. Events are claimed by one sweeper only (clock.sweeper_batches), so two sweepers never
hold the same event. Folding reads the recipient's unread message of the burst and rewrites it in
the transaction that marks the events notified; on PostgreSQL a transaction-level advisory lock per
burst (taken in key order, one statement) serialises the two sweepers' reads and writes of the same
burst, so the second one sees the first one's message and adds to it — neither creates a second
message nor overwrites the other's count. SQLite serialises writers anyway.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_noop as N_

from estates.models import User

from .calendar import SHANGHAI
from .models import DeadlineEvent, EmailState, Notification
from .notifications import _message as stored_message
from .notifications import render_body_of, render_title_of
from .titles import list_link

# An unread message of a burst takes new events of the same burst for this long after it was made.
FOLD_WINDOW = datetime.timedelta(minutes=10)
# Subjects named in a grouped message; the linked list shows them all.
ITEMS_SHOWN = 5
# The first half of the PostgreSQL advisory lock of a burst ("tj" + 1): bursts only.
LOCK_CLASS = 0x746A01


@dataclass(frozen=True)
class Delivery:
    """One event to notify: its individual message (clock.sweeper._message) and recipients."""

    event: DeadlineEvent
    template: str
    body: list
    params: dict
    recipients: Sequence[User]


def burst_key(event: DeadlineEvent) -> str:
    deadline = event.deadline
    where = f"o{deadline.office_id}" if deadline.office_id else f"c{deadline.company_id or 0}"
    return f"{event.kind}:{deadline.rule}:{where}"[:60]


def _item(deadline) -> Any:
    number = (deadline.params or {}).get("number")
    if isinstance(number, str) and number:
        return number
    return {"rule": deadline.rule, "params": deadline.params, "fallback": deadline.title}


def _burst(events: Iterable[DeadlineEvent]) -> dict:
    """What a message says about its events, kept on it so later events can be folded in."""
    events = sorted(events, key=lambda e: (e.deadline.due_at, e.pk))
    first = events[0]
    deadline = first.deadline
    where = deadline.office if deadline.office_id else deadline.company
    return {
        "kind": first.kind,
        "rule": deadline.rule,
        "office_id": deadline.office_id,
        "company_id": deadline.company_id,
        "place": str(where) if where is not None else "",
        "count": len(events),
        "deadlines": sorted(e.deadline_id for e in events),
        "items": [_item(e.deadline) for e in events[:ITEMS_SHOWN]],
        "first": events[0].deadline.due_at.isoformat(),
        "last": events[-1].deadline.due_at.isoformat(),
        "provisional": any(e.deadline.provisional for e in events),
    }


def _merge(old: dict, new: dict) -> dict:
    return {
        **old,
        "count": int(old.get("count") or 0) + new["count"],
        "deadlines": sorted({*(old.get("deadlines") or []), *new["deadlines"]}),
        "items": (list(old.get("items") or []) + new["items"])[:ITEMS_SHOWN],
        "first": min(old.get("first") or new["first"], new["first"]),
        "last": max(old.get("last") or new["last"], new["last"]),
        "provisional": bool(old.get("provisional")) or new["provisional"],
    }


def _local(iso: str) -> str:
    moment = parse_datetime(iso)
    return formats.date_format(moment.astimezone(SHANGHAI), "Y-m-d H:i") if moment else iso


def _link(burst: dict) -> str:
    link = list_link(burst["rule"], burst["kind"], burst.get("office_id"), burst.get("company_id"))
    if link:
        return link
    try:
        return reverse("dashboard")
    except NoReverseMatch:
        return ""


def grouped_message(burst: dict) -> dict:
    """The stored message of a burst (templates rendered in the reader's language)."""
    rule = burst["rule"]
    params = {
        "office": burst.get("place", ""),
        "subjects": {"count_of": rule, "count": burst["count"]},
        "rule": {"rule_label": rule},
    }
    if burst["kind"] == DeadlineEvent.Kind.WARNING:
        title = N_("%(office)s: %(subjects)s about to pass the %(rule)s deadline")
    else:
        title = N_("%(office)s: %(subjects)s past the %(rule)s deadline")
    first, last = _local(burst["first"]), _local(burst["last"])
    if first == last:
        body = [(N_("Due at %(due)s."), {"due": first})]
    else:
        body = [(N_("Due between %(first)s and %(last)s."), {"first": first, "last": last})]
    items = list(burst.get("items") or [])
    more = burst["count"] - len(items)
    if more > 0:
        body.append((N_("Among them %(items)s, and %(more)d more."), {"items": items, "more": more}))
    else:
        body.append((N_("They are %(items)s."), {"items": items}))
    if burst.get("provisional"):
        body.append((N_("The due time is provisional: the holidays of that year are not yet entered."), {}))
    body.append((N_("Open the list to see them all."), {}))
    message = stored_message(title, body, params)
    message["burst"] = burst
    return message


def _texts(message: dict) -> tuple[str, str]:
    """Title and body in the installation's language (search, rows without templates)."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = Notification(title="", body="", message=message)
        return str(render_title_of(shown))[:200], str(render_body_of(shown))


def _lock(keys: Iterable[str]) -> None:
    """PostgreSQL: hold the advisory lock of each burst until the transaction ends, taken in one
    order so two sweepers never wait on each other crosswise."""
    if connection.vendor != "postgresql":
        return
    ids = sorted({zlib.crc32(key.encode()) - 2**31 for key in keys})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s::int, k) FROM (SELECT unnest(%s::int[]) AS k ORDER BY 1) AS s",
            [LOCK_CLASS, ids],
        )


def _rearm(notification: Notification) -> None:
    """Its email says what the message says now: a waiting email simply will; one already sent
    (or being sent, or given up) is queued again, once."""
    state = notification.email_state
    if state == EmailState.NONE or state == EmailState.PENDING:
        return
    if state == EmailState.FAILED and notification.email_next_try_at is not None:
        return  # retried on its schedule, with the new text
    notification.email_state = EmailState.PENDING
    notification.email_attempts = 0
    notification.email_next_try_at = None
    notification.email_claimed_at = None
    notification.email_error = ""


def deliver(deliveries: Sequence[Delivery]) -> None:
    """Write the notifications of `deliveries` (events claimed by this sweeper), inside the caller's
    transaction: per recipient and burst, folded into their unread message of the burst from the
    last FOLD_WINDOW, else one individual message for a single event, else one grouped message."""
    per: dict[tuple[str, int], list[Delivery]] = {}
    users: dict[int, User] = {}
    for delivery in deliveries:
        key = burst_key(delivery.event)
        for user in delivery.recipients:
            mine = per.setdefault((key, user.pk), [])
            if not mine or mine[-1] is not delivery:
                mine.append(delivery)
            users[user.pk] = user
    if not per:
        return
    keys = sorted({key for key, _user in per})
    _lock(keys)
    now = timezone.now()
    unread: dict[tuple[str, int], Notification] = {}
    candidates = (
        Notification.objects.select_for_update()
        .filter(group_key__in=keys, read_at__isnull=True, created_at__gte=now - FOLD_WINDOW)
        .order_by("created_at", "pk")
    )
    for notification in candidates:
        if (notification.message or {}).get("burst"):
            unread[(notification.group_key, notification.recipient_id)] = notification  # the newest wins
    built: dict[tuple, tuple[dict, str, str]] = {}
    changed: list[Notification] = []
    created: list[Notification] = []
    for (key, user_pk), mine in per.items():
        user = users[user_pk]
        existing = unread.get((key, user_pk))
        if existing is not None:
            # A deadline already in the message (a re-armed warning of it) is news: told apart.
            told = set(existing.message["burst"].get("deadlines") or [])
            fold = [d for d in mine if d.event.deadline_id not in told]
            mine = [d for d in mine if d.event.deadline_id in told]
            if fold:
                message = grouped_message(_merge(existing.message["burst"], _burst(d.event for d in fold)))
                existing.title, existing.body = _texts(message)
                existing.message = message
                existing.link = _link(message["burst"])[:300]
                existing.deadline = existing.event = None
                _rearm(existing)
                changed.append(existing)
            if not mine:
                continue
        signature = tuple(d.event.pk for d in mine)
        if signature not in built:
            burst = _burst(d.event for d in mine)
            if len(mine) == 1:
                only = mine[0]
                message = stored_message(only.template, only.body, only.params)
                message["burst"] = burst
            else:
                message = grouped_message(burst)
            built[signature] = (message, *_texts(message))
        message, title, body = built[signature]
        single = mine[0] if len(mine) == 1 else None
        event = single.event if single else None
        created.append(
            Notification(
                recipient=user,
                key=(f"deadline-event:{event.pk}" if event else f"deadline-burst:{key}:{min(signature)}")[:120],
                group_key=key,
                title=title,
                body=body,
                message=message,
                link=(event.deadline.link if event else _link(message["burst"]))[:300],
                deadline=event.deadline if event else None,
                event=event,
                created_at=now,
                email_state=EmailState.PENDING if user.email else EmailState.NONE,
            )
        )
    if changed:
        Notification.objects.bulk_update(
            changed,
            [
                "title",
                "body",
                "message",
                "link",
                "deadline",
                "event",
                "email_state",
                "email_attempts",
                "email_next_try_at",
                "email_claimed_at",
                "email_error",
            ],
            batch_size=500,
        )
    # Stored once per (recipient, key), as notify() does: a retried step adds nothing twice.
    Notification.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)
