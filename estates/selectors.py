"""Reads of the estates app (STYLE.md), every one scoped to the user's offices (estates.scoping).

Each returns a queryset with what its lists show already joined (select_related), so a page of rows
costs a fixed number of queries whatever the row count (DESIGN.md, Scale).
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from .models import Community, Resident, Unit, User
from .scoping import offices_for, scoped

__all__ = [
    "communities_for",
    "mask_phone",
    "offices_for",
    "resident_search",
    "residents_for",
    "unit_label",
    "units_for",
]


def communities_for(user: User) -> QuerySet[Community]:
    return scoped(Community.objects.select_related("office"), user).order_by("office__name", "name")


def units_for(user: User) -> QuerySet[Unit]:
    return scoped(Unit.objects.select_related("building__community__office"), user).order_by(
        "building__community__name", "building__name", "number"
    )


def residents_for(user: User) -> QuerySet[Resident]:
    return scoped(Resident.objects.select_related("unit__building__community__office"), user).order_by(
        "unit__building__community__name", "unit__building__name", "unit__number", "name"
    )


_SPLIT = re.compile(r"[\s\-—–/#号室栋幢座]+")


def resident_search(user: User, q: str, limit: int = 20) -> QuerySet[Resident]:
    """Residents of the user's offices matching `q` by unit number, name or phone (the typeahead of
    complaint intake). "3栋 1203" or "3-1203" narrows by building and unit."""
    q = (q or "").strip()[:50]
    if not q:
        return Resident.objects.none()
    condition = Q(name__icontains=q) | Q(unit__number__startswith=q)
    digits = re.sub(r"\D", "", q)
    if len(digits) >= 3 and digits == re.sub(r"[\s\-]", "", q):
        condition |= Q(phone__contains=digits)
    parts = [p for p in _SPLIT.split(q) if p]
    if len(parts) == 2:
        building, number = parts
        condition |= Q(unit__building__name__startswith=building, unit__number=number)
    return residents_for(user).filter(condition)[:limit]


def mask_phone(phone: str) -> str:
    """139****5678: enough for the receiver to confirm the caller, not enough to copy the number out."""
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:] if len(digits) > 7 else digits[:3] + "****"
    return "*" * len(digits)


def unit_label(unit: Unit) -> str:
    """ "科信小区 3栋-1203", from the select_related rows (no query); Unit.label."""
    return unit.label
