"""Writes of forums and home visits (F3): record the event, add each opinion collected as a register
entry linked to it, close it with its record."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from estates.models import Community, Office, Resident, Unit, User
from estates.scoping import user_can_see_office

from ..models import Entry, Outreach, OutreachKind, OutreachState
from ..rules import Channel
from .entries import entry_create


def outreach_create(
    *,
    office: Office,
    by: User,
    kind: str,
    held_at: datetime.datetime,
    community: Community | None = None,
    unit: Unit | None = None,
    place: str = "",
    households: int | None = None,
    staff: str = "",
) -> Outreach:
    """Record a forum (with the households taking part) or a home visit (with the household visited)."""
    if not user_can_see_office(by, office.pk):
        raise ValidationError(_("You do not work for this management office."))
    if kind not in OutreachKind.values:
        raise ValidationError({"kind": _("Choose a forum or a home visit.")})
    if kind == OutreachKind.HOME_VISIT and unit is None:
        raise ValidationError({"unit": _("Name the household visited.")})
    if kind == OutreachKind.FORUM and not households:
        raise ValidationError({"households": _("Say how many households took part.")})
    if unit is not None:
        if unit.building.community.office_id != office.pk:
            raise ValidationError({"unit": _("The unit belongs to another management office.")})
        community = community or unit.building.community
    if community is not None and community.office_id != office.pk:
        raise ValidationError({"community": _("The community belongs to another management office.")})
    if held_at > timezone.now() + datetime.timedelta(days=366):
        raise ValidationError({"held_at": _("The date is more than a year ahead.")})
    event = Outreach(
        office=office,
        kind=kind,
        community=community,
        unit=unit,
        held_at=held_at,
        place=place.strip(),
        households=households if kind == OutreachKind.FORUM else None,
        staff=staff.strip(),
        created_by=by,
    )
    event.full_clean()
    event.save()
    return event


def outreach_add_opinion(
    *,
    event: Outreach,
    by: User,
    kind: str,
    content: str,
    category=None,
    resident: Resident | None = None,
    unit: Unit | None = None,
    contact_name: str = "",
) -> Entry:
    """F3: each opinion collected becomes a register entry (channel forum or home visit) linked to
    the event."""
    if not user_can_see_office(by, event.office_id):
        raise ValidationError(_("This event belongs to another management office."))
    if event.is_closed:
        raise ValidationError(_("The event is closed; its opinions can no longer change."))
    if event.held_at > timezone.now():
        raise ValidationError(_("Opinions are added after the event has taken place."))
    channel = Channel.FORUM if event.kind == OutreachKind.FORUM else Channel.HOME_VISIT
    if event.kind == OutreachKind.HOME_VISIT and unit is None and resident is None:
        unit = event.unit
    with transaction.atomic():
        entry = entry_create(
            office=event.office,
            by=by,
            channel=channel,
            kind=kind,
            content=content,
            category=category,
            community=event.community,
            unit=unit,
            resident=resident,
            contact_name=contact_name,
            received_at=event.held_at,
        )
        Entry.objects.filter(pk=entry.pk).update(outreach=event)
        entry.outreach = event
    return entry


def outreach_close(*, event: Outreach, by: User, record: str) -> Outreach:
    """F3: closing an event requires its record (what was discussed, what was promised)."""
    if not user_can_see_office(by, event.office_id):
        raise ValidationError(_("This event belongs to another management office."))
    record = (record or "").strip()
    if not record:
        raise ValidationError({"record": _("Write the record of the event before closing it.")})
    if event.held_at > timezone.now():
        raise ValidationError(_("An event is closed after it has taken place."))
    changed = Outreach.objects.filter(pk=event.pk, state=OutreachState.PLANNED).update(
        state=OutreachState.CLOSED, record=record, closed_at=timezone.now()
    )
    if changed != 1:
        raise ValidationError(_("The event is already closed."))
    event.refresh_from_db()
    return event
