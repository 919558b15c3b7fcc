"""A resident's personal data in the complaint procedure (PIPL, issue 9): what the export shows, and
the erasure that anonymises it and keeps the figures (common.personal_data)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.personal_data import PersonalDataProvider, records_of, redact_notes
from common.xlsx import Column

from ..models import Complaint, ComplaintEvent, ComplaintRecord, EngineeringRecord, EventKind, SpecialReport
from ..redaction import redact, resident_data

# The complaint's free-text fields: they may name the resident; the erasure redacts them.
TEXT_FIELDS = (
    "content",
    "handling_opinion",
    "measures",
    "response_note",
    "result",
    "return_visit_note",
    "invalid_explanation",
    "developer_sent_what",
    "developer_answer",
    "escalation_reason",
)
RECORD_TEXT = {
    ComplaintRecord: ("handling_notes", "follow_up", "result_told"),
    EngineeringRecord: ("problem", "location", "cause", "measures"),
    SpecialReport: ("impact", "result"),
}


def export_rows(resident) -> list[list]:
    rows = []
    complaints = records_of(Complaint, resident).select_related("office", "unit__building__community")
    for c in complaints.order_by("received_at", "pk"):
        rows.append(
            [
                c.number,
                c.office.name,
                c.received_at,
                c.get_channel_display(),
                c.unit.label if c.unit_id else "",
                c.contact_name,
                c.contact_phone,
                c.content,
                c.result,
                c.get_state_display(),
            ]
        )
    return rows


@transaction.atomic
def erase(resident) -> int:
    """Anonymise the resident's complaints: contact fields emptied, the link to the resident removed,
    every free text (timeline notes and record forms included) redacted of their name, phones and unit.
    Class, category, channel, dates, state and deadlines stay: the figures do not change."""
    complaints = list(records_of(Complaint, resident).select_for_update())
    if not complaints:
        return 0
    known = resident_data(resident, [(c.contact_name, c.contact_phone) for c in complaints])
    ids = [c.pk for c in complaints]
    for c in complaints:
        c.contact_name = ""
        c.contact_phone = ""
        c.resident = None
        for name in TEXT_FIELDS:
            setattr(c, name, redact(getattr(c, name), **known))
        c.save(update_fields=["contact_name", "contact_phone", "resident", *TEXT_FIELDS])
    redact_notes(ComplaintEvent.objects.filter(complaint_id__in=ids), lambda text: redact(text, **known))
    for model, fields in RECORD_TEXT.items():
        for record in model.objects.filter(complaint_id__in=ids):
            for name in fields:
                setattr(record, name, redact(getattr(record, name), **known))
            record.save(update_fields=list(fields))
    for c in complaints:
        c.events.create(at=timezone.now(), kind=EventKind.NOTE, note=_("Personal data erased on request."))
    return len(complaints)


PROVIDER = PersonalDataProvider(
    key="complaints",
    label=gettext_lazy("Complaints"),
    columns=[
        Column(gettext_lazy("Number"), 16, "text"),
        Column(gettext_lazy("Management office"), 14),
        Column(gettext_lazy("Received"), 17),
        Column(gettext_lazy("Channel"), 10),
        Column(gettext_lazy("Unit"), 18),
        Column(gettext_lazy("Contact name"), 12),
        Column(gettext_lazy("Contact phone"), 14, "text"),
        Column(gettext_lazy("What was said"), 40),
        Column(gettext_lazy("Result"), 30),
        Column(gettext_lazy("State"), 10),
    ],
    export=export_rows,
    erase=erase,
)
