"""Reads of the estates app (STYLE.md), every one scoped to the user's offices (estates.scoping).

Each returns a queryset with what its lists show already joined (select_related), so a page of rows
costs a fixed number of queries whatever the row count (DESIGN.md, Scale).
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

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
    "unit_condition",
    "unit_filter",
    "what_matched",
]


def communities_for(user: User) -> QuerySet[Community]:
    return scoped(Community.objects.select_related("office"), user).order_by("office__name", "name")


def _natural(prefix: str) -> list:
    """Natural order of buildings and units (issue 9): 2栋 before 10栋, 101 before 1001 — the shorter
    label first, then the label (numbers are stored as text, usually without leading zeros)."""
    return [
        f"{prefix}building__community__name",
        Length(f"{prefix}building__name"),
        f"{prefix}building__name",
        Length(f"{prefix}number"),
        f"{prefix}number",
    ]


def units_for(user: User) -> QuerySet[Unit]:
    return scoped(Unit.objects.select_related("building__community__office"), user).order_by(*_natural(""))


def residents_for(user: User) -> QuerySet[Resident]:
    return scoped(Resident.objects.select_related("unit__building__community__office"), user).order_by(
        *_natural("unit__"), "name"
    )


# A unit label as it is shown ("科信小区 1栋-1403", "1栋-1403") or typed ("1栋502", "1-1403").
_LABEL = re.compile(r"^(?:(?P<community>\S+)\s+)?(?P<building>[^\s\-—–]+?)\s*[-—–]\s*(?P<number>[^\s\-]+)$")
# Searching by phone starts at 4 digits (issue 9): fewer match half the estate.
PHONE_MIN_DIGITS = 4


def unit_condition(q: str, prefix: str = "") -> Q | None:
    """The units whose label is `q` as shown (小区 楼栋-房号 or 楼栋-房号), or 楼栋-房号 typed with the
    building's number only ("1-502" for 1栋-502). None when `q` is not a unit label."""
    m = _LABEL.match(q.strip())
    if not m:
        return None
    building, number = m["building"], m["number"]
    where = Q(**{f"{prefix}number": number}) & (
        Q(**{f"{prefix}building__name": building})
        | Q(**{f"{prefix}building__name__in": [f"{building}栋", f"{building}幢", f"{building}座", f"{building}号楼"]})
    )
    if m["community"]:
        where &= Q(**{f"{prefix}building__community__name": m["community"]})
    return where


def what_matched(resident: Resident, q: str) -> str:
    """What of the resident matched the search (the typeahead says it): "phone", "name" or "unit"."""
    q = (q or "").strip()
    digits = re.sub(r"\D", "", q)
    if len(digits) >= PHONE_MIN_DIGITS and digits == re.sub(r"[\s\-]", "", q) and digits in resident.phone:
        return "phone"
    if q and q.lower() in resident.name.lower():
        return "name"
    return "unit"


_SPLIT = re.compile(r"[\s\-—–/#号室栋幢座]+")


def resident_search(user: User, q: str, limit: int = 20) -> QuerySet[Resident]:
    """Residents of the user's offices matching `q` by unit number, name or phone (the typeahead of
    complaint intake). "3栋 1203" or "3-1203" narrows by building and unit."""
    q = (q or "").strip()[:50]
    if not q:
        return Resident.objects.none()
    condition = Q(name__icontains=q) | Q(unit__number__startswith=q)
    digits = re.sub(r"\D", "", q)
    if len(digits) >= PHONE_MIN_DIGITS and digits == re.sub(r"[\s\-]", "", q):
        condition |= Q(phone__contains=digits)
    label = unit_condition(q, "unit__")
    if label is not None:
        condition |= label
    else:
        parts = [p for p in _SPLIT.split(q) if p]
        if len(parts) == 2:
            building, number = parts
            condition |= Q(unit__building__name__startswith=building, unit__number=number)
    return residents_for(user).filter(condition)[:limit]


def unit_filter(user: User, pk: int | None) -> Unit | None:
    """The unit a list is filtered by (issue 9: "see all" from the unit page), inside the user's
    offices, with what its label needs joined in; None when there is none or it is not the user's."""
    if not pk:
        return None
    return units_for(user).filter(pk=pk).first()


def mask_phone(phone: str) -> str:
    """139****5678: enough for the receiver to confirm the caller, not enough to copy the number out."""
    digits = phone.strip()
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:] if len(digits) > 7 else digits[:3] + "****"
    return "*" * len(digits)


def unit_label(unit: Unit) -> str:
    """ "科信小区 3栋-1203", from the select_related rows (no query); Unit.label."""
    return unit.label
