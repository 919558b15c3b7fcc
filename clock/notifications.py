"""Notifications: the in-app inbox, its email outbox, and reading them. The clock owns every write of
a Notification (web's inbox calls notification_mark_read here).

Text in the reader's language (issue 6 section 6). A notification may store its message as templates
instead of text: `notify(title=gettext_noop("Overdue: %(title)s"), params={...})`. The templates are
msgids, rendered at display time in the active language (the inbox) and, for the email, in the
recipient's language (User.language). A parameter may itself be a deadline title,
`{"rule": "C3", "params": {"number": "TS-…"}}` (clock.titles), rendered the same way. `title` and
`body` still store the text in the installation's language, for search and for rows without templates.

The email is sent once: a sender claims the row with a conditional update; a failure is recorded and
retried with back-off, never dropped silently.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from estates.models import User

from .models import Deadline, DeadlineEvent, EmailState, Notification

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failed attempt; the last value repeats. Used for emails and for the
# sweeper's notification of deadline events alike.
BACKOFF_MINUTES = (1, 5, 30, 120, 360, 720, 1440)
EMAIL_BACKOFF_MINUTES = BACKOFF_MINUTES
# After this many attempts a row stays failed with no next try, visible to the company admin.
EMAIL_MAX_ATTEMPTS = 8
EMAIL_CLAIM_TIMEOUT = datetime.timedelta(minutes=10)


def backoff(attempts: int) -> datetime.timedelta:
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return datetime.timedelta(minutes=BACKOFF_MINUTES[index])


email_backoff = backoff


# ---------------------------------------------------------------------------------------------
# Messages as templates, rendered in the reader's language

# A body line that is the user's own text, shown as written: [(TEXT, {"text": measures})].
TEXT = "%(text)s"


def render_title_of(notification: Notification) -> str:
    return notification.display_title


def render_body_of(notification: Notification) -> str:
    return notification.display_body


def _message(title: str, body: str | Iterable, params: Mapping[str, Any]) -> dict:
    if isinstance(body, str):
        parts = [[body, dict(params)]] if body else []
    else:
        parts = [[str(msgid), dict(part_params)] for msgid, part_params in body]
    return {"title": [str(title), dict(params)], "body": parts}


# ---------------------------------------------------------------------------------------------
# Writing


def notify(
    *,
    recipients: Iterable[User],
    key: str,
    title: str,
    body: str | Iterable[tuple[str, Mapping[str, Any]]] = "",
    link: str = "",
    deadline: Deadline | None = None,
    event: DeadlineEvent | None = None,
    email: bool = True,
    params: Mapping[str, Any] | None = None,
) -> list[Notification]:
    """One notification per recipient, stored once per (recipient, key): notifying again with the
    same key returns the stored rows and sends nothing new (key by event, so a new event is new).

    Without `params`, `title` and `body` are final text. With `params` (a JSON-able dict, may be
    empty), they are untranslated msgids (gettext_noop) rendered with `params` in each reader's
    language; `body` may then also be a list of (msgid, params) lines."""
    now = timezone.now()
    message: dict = {}
    if params is not None:
        message = _message(title, body, params)
        with translation.override(settings.LANGUAGE_CODE):
            shown = Notification(title="", body="", message=message)
            title, body = render_title_of(shown), render_body_of(shown)
    result: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        state = EmailState.PENDING if email and user.email else EmailState.NONE
        # get_or_create retries the read after an IntegrityError, so a concurrent notify is safe.
        notification, _created = Notification.objects.get_or_create(
            recipient=user,
            key=key[:120],
            defaults={
                "title": str(title)[:200],
                "body": str(body),
                "message": message,
                "link": link[:300],
                "deadline": deadline,
                "event": event,
                "created_at": now,
                "email_state": state,
            },
        )
        result.append(notification)
    return result


def notification_mark_read(*, notification: Notification, now: datetime.datetime | None = None) -> bool:
    """Mark one notification read; True if it was unread. A conditional update on unread rows, so a
    double click or two tabs never move read_at forward (the first read time is kept)."""
    now = now or timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


def notifications_mark_all_read(*, user: User, now: datetime.datetime | None = None) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    now = now or timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)


# ---------------------------------------------------------------------------------------------
# The email outbox


def _email_claimable(now: datetime.datetime) -> Q:
    due = Q(email_next_try_at__isnull=True) | Q(email_next_try_at__lte=now)
    return (
        (Q(email_state=EmailState.PENDING) & due)
        | Q(email_state=EmailState.FAILED, email_next_try_at__lte=now)
        # A sender that died mid-send leaves its claim behind; take it over after a while.
        | Q(email_state=EmailState.SENDING, email_claimed_at__lt=now - EMAIL_CLAIM_TIMEOUT)
    )


def email_text(notification: Notification) -> str:
    """The email body in the active language: the message and the absolute link, always built on
    SITE_URL (never a Host header)."""
    body = render_body_of(notification).strip()
    parts = [body] if body else []
    if notification.link:
        link = notification.link if "://" in notification.link else settings.SITE_URL + notification.link
        parts.append(link)
    return "\n\n".join(parts) or render_title_of(notification)


def _language(user: User) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# Emails per batch, sent over one connection to the mail server (hardening issue, item 9: one connection
# per email and 50 a minute made 500 overdue deadlines take half an hour).
EMAIL_BATCH = 200


def send_pending_emails(now: datetime.datetime | None = None, batch: int = EMAIL_BATCH) -> int:
    """Send the emails of unsent notifications, each in its recipient's language; returns how many
    were sent. Each row is claimed with a compare-and-set, so two senders never send the same email;
    a failure is recorded and retried with back-off (1, 5, 30, 120 minutes, ...); after
    EMAIL_MAX_ATTEMPTS it stays failed and logged. The whole batch goes over one connection."""
    now = now or timezone.now()
    with get_connection() as connection:
        return _send_batch(now, batch, connection)


def _send_batch(now: datetime.datetime, batch: int, connection) -> int:
    claimable = _email_claimable(now)
    candidates = list(
        Notification.objects.filter(claimable).order_by("email_next_try_at", "pk").values_list("pk", flat=True)[:batch]
    )
    sent = 0
    for pk in candidates:
        claimed = Notification.objects.filter(claimable, pk=pk).update(
            email_state=EmailState.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1
        )
        if claimed != 1:
            continue  # another sender took it
        notification = Notification.objects.select_related("recipient").get(pk=pk)
        mine = Notification.objects.filter(pk=pk, email_state=EmailState.SENDING, email_claimed_at=now)
        address = notification.recipient.email
        if not address:
            mine.update(email_state=EmailState.NONE, email_error=_("The recipient has no email address."))
            continue
        if notification.email_attempts > EMAIL_MAX_ATTEMPTS:
            # A row whose sending kept dying without an exception (a crashed worker): give up visibly.
            mine.update(email_state=EmailState.FAILED, email_next_try_at=None)
            logger.error("notification %s: email abandoned after %s attempts", pk, notification.email_attempts - 1)
            continue
        try:
            with translation.override(_language(notification.recipient)):
                subject, message = render_title_of(notification), email_text(notification)
            send_mail(
                subject=subject,
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
                connection=connection,
            )
        except Exception as exc:  # any transport error: record it, retry later
            connection.close()  # a broken connection is reopened for the next email
            attempts = notification.email_attempts
            next_try = None if attempts >= EMAIL_MAX_ATTEMPTS else now + backoff(attempts)
            mine.update(
                email_state=EmailState.FAILED,
                email_error=f"{type(exc).__name__}: {exc}"[:2000],
                email_next_try_at=next_try,
            )
            if next_try is None:
                logger.error("notification %s: email to %s failed %s times, giving up: %s", pk, address, attempts, exc)
            else:
                logger.warning("notification %s: email to %s failed (attempt %s): %s", pk, address, attempts, exc)
            continue
        mine.update(email_state=EmailState.SENT, email_sent_at=now, email_error="", email_next_try_at=None)
        sent += 1
    return sent
