"""Writes of Q5: the office's service catalogue and its communities' public pages."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from estates.models import Community, Office, User

from ..models import CommunityPage, ServiceOffering


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


def community_page(community: Community) -> CommunityPage:
    """The community's public page (made on first use, its token then fixed)."""
    try:
        with transaction.atomic():
            page, _created = CommunityPage.objects.get_or_create(community=community)
    except IntegrityError:
        page = CommunityPage.objects.get(community=community)
    return page
