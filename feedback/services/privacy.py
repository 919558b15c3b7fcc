"""A resident's personal data in the customer communication register (PIPL, issue 9): the rows of
their export and the erasure that anonymises their entries and keeps the figures (common.personal_data).

The register holds what residents said and how to reach them just as complaints do; an erasure that
cleaned only the complaints would leave the same name and phone in the register (and its mirror of each
complaint)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.personal_data import PersonalDataProvider, records_of, redact_notes
from common.xlsx import Column
from complaints.redaction import redact, resident_data

from ..models import Entry, EntryEvent

# The entry's free texts: they may name the resident; the erasure redacts them.
TEXT_FIELDS = ("content", "action", "outcome")


def export_rows(resident) -> list[list]:
    rows = []
    entries = records_of(Entry, resident).select_related("office", "unit__building__community")
    for e in entries.order_by("received_at", "pk"):
        rows.append(
            [
                e.office.name,
                e.received_at,
                e.get_channel_display(),
                e.get_kind_display(),
                e.unit.label if e.unit_id else "",
                e.contact_name,
                e.contact_phone,
                e.content,
                e.action,
                e.outcome,
            ]
        )
    return rows


@transaction.atomic
def erase(resident) -> int:
    """Anonymise the resident's register entries: contact fields emptied, the link to the resident
    removed, the entry's texts and its history lines (the replies the tracking page shows included)
    redacted of their name, phones and unit. Channel, kind, category, dates and state stay."""
    entries = list(records_of(Entry, resident).select_for_update())
    if not entries:
        return 0
    known = resident_data(resident, [(e.contact_name, e.contact_phone) for e in entries])
    now = timezone.now()
    for e in entries:
        e.contact_name = ""
        e.contact_phone = ""
        e.resident = None
        for name in TEXT_FIELDS:
            setattr(e, name, redact(getattr(e, name), **known))
        e.save(update_fields=["contact_name", "contact_phone", "resident", *TEXT_FIELDS, "updated_at"])
    ids = [e.pk for e in entries]
    redact_notes(EntryEvent.objects.filter(entry_id__in=ids), lambda text: redact(text, **known))
    EntryEvent.objects.bulk_create(
        [
            EntryEvent(entry_id=pk, at=now, what=EntryEvent.What.NOTE, note=_("Personal data erased on request."))
            for pk in ids
        ]
    )
    return len(entries)


PROVIDER = PersonalDataProvider(
    key="feedback",
    label=gettext_lazy("Register"),
    columns=[
        Column(gettext_lazy("Management office"), 14),
        Column(gettext_lazy("Received"), 17),
        Column(gettext_lazy("Channel"), 10),
        Column(gettext_lazy("Kind"), 10),
        Column(gettext_lazy("Unit"), 18),
        Column(gettext_lazy("Contact name"), 12),
        Column(gettext_lazy("Contact phone"), 14, "text"),
        Column(gettext_lazy("What was said"), 40),
        Column(gettext_lazy("What was done"), 30),
        Column(gettext_lazy("Outcome"), 30),
    ],
    export=export_rows,
    erase=erase,
)
