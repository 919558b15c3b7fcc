"""The complaints section of the unit page (issue 9): a unit's past complaints, newest first, in the
reader's office scope, registered into estates.unit_history in ComplaintsConfig.ready()."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from estates.models import Unit, User
from estates.selectors import mask_phone
from estates.unit_history import HistoryRow, UnitHistoryProvider

from .selectors import complaints_for


def unit_complaints(user: User, unit: Unit, limit: int) -> list[HistoryRow]:
    """One query: the unit's complaints inside the user's offices, with the resident joined in."""
    qs = (
        complaints_for(user)
        .filter(unit=unit)
        .select_related("resident")
        .only(
            "pk",
            "number",
            "received_at",
            "category",
            "state",
            "contact_name",
            "contact_phone",
            "resident__name",
            "resident__phone",
        )
        .order_by("-received_at", "-pk")[:limit]
    )
    return [
        HistoryRow(
            number=c.number,
            at=c.received_at,
            what=c.get_category_display() if c.category else "",
            state=c.get_state_display(),
            url=c.get_absolute_url(),
            who=c.who,
            # The unit page is not the complaint's own record: the phone is masked (STYLE.md 17).
            phone=mask_phone(c.contact_phone or (c.resident.phone if c.resident_id and c.resident else "")),
        )
        for c in qs
    ]


def see_all(unit: Unit) -> str:
    return f"{reverse('complaints:list')}?{urlencode({'unit': unit.pk})}"


PROVIDER = UnitHistoryProvider(
    key="complaints",
    title=_("Complaints"),
    order=10,
    permission="complaints.view_complaint",
    rows=unit_complaints,
    see_all=see_all,
)
