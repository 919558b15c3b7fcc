"""Writes of Q5: the office's service catalogue and its communities' public pages."""

from __future__ import annotations

from decimal import Decimal

from django.core import signing
from django.db import transaction

from estates.models import Community, Office, User

from ..models import ServiceOffering


@transaction.atomic
def offering_save(
    *,
    office: Office,
    by: User,
    offering: ServiceOffering | None = None,
    kind: str,
    name: str,
    price: Decimal | None,
    price_unit: str = "",
    promise: str = "",
    active: bool = True,
    order: int = 0,
) -> ServiceOffering:
    offering = offering or ServiceOffering(office=office)
    offering.kind, offering.name, offering.price, offering.price_unit = kind, name.strip(), price, price_unit
    offering.promise, offering.active, offering.order = promise, active, order
    offering.full_clean()
    offering.save()
    return offering


_SALT = "inspections.public-services"


def community_token(community: Community) -> str:
    """The public page's token: the community id signed with the site's secret (unguessable, nothing
    stored, so showing a QR code changes nothing)."""
    return signing.Signer(salt=_SALT).sign(str(community.pk))


def community_from_token(token: str) -> Community | None:
    try:
        pk = int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Community.objects.select_related("office").filter(pk=pk).first()
