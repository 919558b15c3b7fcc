"""Correcting the complainant's name and phone (issue 9; the README promises the front desk may)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from estates.models import User

from ..models import Complaint, EventKind
from ..rules import Action
from .core import apply_change, check_action


@transaction.atomic
def complaint_correct_contact(*, complaint: Complaint, by: User, name: str, phone: str = "") -> Complaint:
    """Correct the resident's record (a linked resident) or the complaint's contact fields; the change,
    old and new, goes on the complaint's timeline (phones are shown there in full: the complaint's own
    page). A compare-and-set like every action."""
    check_action(by, complaint, Action.CORRECT_CONTACT)
    name, phone = name.strip(), phone.strip()
    if not name:
        raise ValidationError({"name": _("Write the resident's name.")})
    resident = complaint.resident if complaint.resident_id else None
    old_name = resident.name if resident else complaint.contact_name
    old_phone = resident.phone if resident else complaint.contact_phone
    if (name, phone) == (old_name, old_phone):
        raise ValidationError(_("Nothing was changed."))
    updates = {} if resident is not None else {"contact_name": name, "contact_phone": phone}
    note = _("Name and phone corrected: %(old)s → %(new)s") % {
        "old": f"{old_name} {old_phone}".strip(),
        "new": f"{name} {phone}".strip(),
    }
    complaint = apply_change(
        complaint, by=by, action=Action.CORRECT_CONTACT, kind=EventKind.NOTE, updates=updates, note=note
    )
    if resident is not None:
        resident.name, resident.phone = name, phone
        resident.full_clean()
        resident.save(update_fields=["name", "phone"])
        complaint.resident = resident
    # The list's search column follows the change (apply_change writes with update()).
    Complaint.objects.filter(pk=complaint.pk).update(search_text=complaint.search_document())
    return complaint
