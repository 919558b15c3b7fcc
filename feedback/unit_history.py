"""The register section of the unit page (issue 9): the customer communication register's entries that
name the unit (F1), newest first, in the reader's office scope, registered into estates.unit_history
in FeedbackConfig.ready()."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from estates.models import Unit, User
from estates.selectors import mask_phone
from estates.unit_history import HistoryRow, UnitHistoryProvider

from .rules import Kind
from .selectors import entries_for


def unit_entries(user: User, unit: Unit, limit: int) -> list[HistoryRow]:
    """One query: the unit's register entries inside the user's offices, with what a row names joined."""
    qs = (
        entries_for(user)
        .filter(unit=unit)
        # An entry handed over as a complaint (C2) is listed once, as the complaint, in its own section.
        .filter(complaint__isnull=True)
        .select_related("category", "state_label", "resident")
        .order_by("-received_at", "-pk")[:limit]
    )
    rows = []
    for e in qs:
        what = str(Kind(e.kind).label)
        if e.category_id:
            what = f"{what} · {e.category.label}"
        rows.append(
            HistoryRow(
                number=e.number,
                at=e.received_at,
                what=what,
                state=e.state_display,
                url=e.get_absolute_url(),
                who=e.resident.name if e.resident_id and e.resident else e.contact_name,
                # Not the entry's own record: the phone is masked (STYLE.md 17).
                phone=mask_phone(e.contact_phone or (e.resident.phone if e.resident_id and e.resident else "")),
            )
        )
    return rows


def see_all(unit: Unit) -> str:
    return f"{reverse('feedback:register')}?{urlencode({'unit': unit.pk})}"


PROVIDER = UnitHistoryProvider(
    key="feedback",
    title=_("Customer communication register"),
    order=20,
    permission="feedback.view_entry",
    rows=unit_entries,
    see_all=see_all,
)
