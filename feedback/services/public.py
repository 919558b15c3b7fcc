"""The resident page (F1 online): a resident leaves an opinion, request or complaint without an
account and follows it through a private tracking link.

The tracking token is random (an HMAC of the form's random one-time token under SECRET_KEY, 192
bits): never derived from the unit or a counter, used for nothing else, and only its SHA-256 is
stored. Deriving it from the form token lets a double submit land on the same entry and show the same
link; a form token reused with other content (a cached page shared by two residents) is refused.

Abuse is throttled in layers, each with its own message:
1. per client address per hour and 2. per day — counters in the cache (Redis in production, shared by
   every web machine; the address is not stored with the entry);
3. per phone per day, 4. the same text twice, 5. a site-wide daily cap — counted from the register
   rows themselves (indexed by phone and by received time), so they are exact and need no second store.
django-ratelimit was not added: three of the five layers are questions about rows we keep anyway, and
the two address counters are a few lines on Django's cache with fixed windows.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Community, Unit

from ..models import Entry, ResidentPage
from ..rules import SHANGHAI, Channel, Kind, State, local_midnight
from .entries import entry_create

PUBLIC_KINDS = (Kind.OPINION, Kind.SERVICE, Kind.COMPLAINT, Kind.SUGGESTION)
# Defaults; a deployment may set FEEDBACK_PUBLIC_LIMITS = {"per_address_hour": 5, ...} in settings.
DEFAULT_LIMITS = {
    "per_address_hour": 5,
    "per_address_day": 20,
    "per_phone_day": 3,
    "site_day": 1000,
}
# How long after an entry is closed its tracking link still answers.
TRACKING_DAYS_AFTER_CLOSE = 90


class Throttled(ValidationError):
    """A throttle layer said no; the message says which and what to do."""


@dataclass(frozen=True)
class Submission:
    entry: Entry
    token: str


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "FEEDBACK_PUBLIC_LIMITS", {})}


def page_for(community: Community) -> ResidentPage:
    """The community's resident page, made on first use."""
    page = ResidentPage.objects.filter(community=community).first()
    if page is not None:
        return page
    try:
        with transaction.atomic():
            return ResidentPage.objects.create(community=community, key=secrets.token_urlsafe(12))
    except IntegrityError:
        return ResidentPage.objects.get(community=community)


def page_renew(*, page: ResidentPage) -> ResidentPage:
    """A new address (and QR code) for an abused page; the old one stops answering."""
    page.key = secrets.token_urlsafe(12)
    page.save(update_fields=["key"])
    return page


def tracking_token(form_token: uuid.UUID) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"feedback-tracking:" + form_token.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _today_start(now: datetime.datetime) -> datetime.datetime:
    return local_midnight(now.astimezone(SHANGHAI).date())


def _address_keys(address: str, now: datetime.datetime) -> tuple[str, str]:
    local = now.astimezone(SHANGHAI)
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"fb:addr:h:{digest}:{local:%Y%m%d%H}", f"fb:addr:d:{digest}:{local:%Y%m%d}"


def _check_throttles(*, page: ResidentPage, address: str, phone: str, content: str, now: datetime.datetime) -> None:
    limit = limits()
    hour_key, day_key = _address_keys(address, now)
    if (cache.get(hour_key) or 0) >= limit["per_address_hour"]:
        raise Throttled(_("Too many messages from this network in the last hour. Please try again later."))
    if (cache.get(day_key) or 0) >= limit["per_address_day"]:
        raise Throttled(_("Too many messages from this network today. Please try again tomorrow or call the office."))
    today = Entry.objects.filter(channel=Channel.ONLINE, received_at__gte=_today_start(now))
    if today.filter(contact_phone=phone).count() >= limit["per_phone_day"]:
        raise Throttled(_("This phone number has sent the most messages allowed today. Please call the office."))
    if Entry.objects.filter(
        channel=Channel.ONLINE,
        community=page.community,
        content=content,
        received_at__gte=now - datetime.timedelta(days=1),
    ).exists():
        raise Throttled(_("We have already received this message. You do not need to send it again."))
    if today.count() >= limit["site_day"]:
        raise Throttled(_("The online service has reached its limit for today. Please call the office."))


def _count_address(address: str, now: datetime.datetime) -> None:
    for key, seconds in zip(_address_keys(address, now), (3600, 86400), strict=True):
        # add() then incr(): the first of a window creates it with its expiry; incr keeps it.
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=seconds)


def public_submit(
    *,
    page: ResidentPage,
    kind: str,
    content: str,
    contact_phone: str,
    contact_name: str = "",
    unit: Unit | None = None,
    unit_text: str = "",
    address: str,
    form_token: uuid.UUID,
    throttle: bool = True,
) -> Submission:
    """Log a resident's message from the community page as channel "online" (F1) and return the
    entry with its private tracking token. Raises Throttled (a ValidationError) when a layer says no.
    `throttle=False` only for the demo data, which writes the history of many residents at once."""
    if not page.active:
        raise ValidationError(_("This page is closed."))
    if kind not in PUBLIC_KINDS:
        raise ValidationError({"kind": _("Choose what you would like to tell us.")})
    content = (content or "").strip()
    phone = (contact_phone or "").strip()
    if not content:
        raise ValidationError({"content": _("Please write your message.")})
    if not phone:
        raise ValidationError({"contact_phone": _("Please leave a phone number so that we can reach you.")})
    if unit is not None and unit.building.community_id != page.community_id:
        raise ValidationError({"unit": _("This unit is not in this community.")})
    if unit is None and unit_text.strip():
        content = _("[Unit given: %(unit)s] %(text)s") % {"unit": unit_text.strip()[:30], "text": content}
    token = tracking_token(form_token)

    existing = Entry.objects.filter(form_token=form_token).first()
    if existing is not None:
        if existing.tracking_hash == token_hash(token) and existing.contact_phone == phone:
            return Submission(entry=existing, token=token)  # a double submit: the same entry and link
        raise ValidationError(_("This form has expired. Please reload the page and write again."))

    now = timezone.now()
    if throttle:
        _check_throttles(page=page, address=address, phone=phone, content=content, now=now)
    entry = entry_create(
        office=page.community.office,
        by=None,
        channel=Channel.ONLINE,
        kind=kind,
        content=content,
        community=page.community,
        unit=unit,
        contact_name=contact_name,
        contact_phone=phone,
        received_at=now,
        form_token=form_token,
        tracking_hash=token_hash(token),
        follow_up=True,
    )
    if entry.tracking_hash != token_hash(token):  # lost a race to another form with this token
        raise ValidationError(_("This form has expired. Please reload the page and write again."))
    if throttle:
        _count_address(address, now)
    return Submission(entry=entry, token=token)


def entry_for_token(token: str) -> Entry | None:
    """The entry of a tracking token, or None for an unknown token or one whose entry was closed
    long ago: the caller answers both alike."""
    if not token or len(token) > 64:
        return None
    entry = (
        Entry.objects.select_related("community", "office", "state_label")
        .filter(tracking_hash=token_hash(token))
        .first()
    )
    if entry is None:
        return None
    if entry.state == State.CLOSED and entry.closed_at is not None:
        if entry.closed_at < timezone.now() - datetime.timedelta(days=TRACKING_DAYS_AFTER_CLOSE):
            return None
    return entry


def awaiting_answer(entry: Entry) -> bool:
    """F1: when the office marks it done, the page asks "solved? satisfied?" once."""
    return entry.state == State.DONE and entry.resident_answered_at is None
