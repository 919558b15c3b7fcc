"""Office scoping of the estates reads (STYLE.md 3): a user sees only their own offices' records."""

from __future__ import annotations

from estates import selectors
from tests.factories import CommunityFactory, ResidentFactory, UnitFactory


def test_units_residents_and_communities_are_scoped(frontdesk_a, frontdesk_b, qa, unit_a, unit_b):
    resident_a = ResidentFactory(unit=unit_a)
    resident_b = ResidentFactory(unit=unit_b)
    assert list(selectors.units_for(frontdesk_a)) == [unit_a]
    assert list(selectors.residents_for(frontdesk_a)) == [resident_a]
    assert list(selectors.communities_for(frontdesk_a)) == [unit_a.building.community]
    assert list(selectors.units_for(frontdesk_b)) == [unit_b]
    # QA is a company role and sees every office.
    assert set(selectors.residents_for(qa)) == {resident_a, resident_b}


def test_resident_search_by_name_phone_and_unit_stays_in_the_office(frontdesk_a, office_a, office_b):
    unit = UnitFactory(building__community__office=office_a, building__name="3栋", number="1203")
    zhang = ResidentFactory(unit=unit, name="张伟", phone="13912345678")
    other = ResidentFactory(unit__building__community__office=office_b, name="张伟", phone="13912345678")
    assert list(selectors.resident_search(frontdesk_a, "张伟")) == [zhang]
    assert list(selectors.resident_search(frontdesk_a, "2345678")) == [zhang]
    assert list(selectors.resident_search(frontdesk_a, "1203")) == [zhang]
    assert list(selectors.resident_search(frontdesk_a, "3栋 1203")) == [zhang]
    assert list(selectors.resident_search(frontdesk_a, "3-1203")) == [zhang]
    assert other not in selectors.resident_search(frontdesk_a, "张")
    assert list(selectors.resident_search(frontdesk_a, "   ")) == []


def test_resident_search_is_limited(frontdesk_a, unit_a):
    for n in range(30):
        ResidentFactory(unit=unit_a, name=f"王{n}")
    assert len(list(selectors.resident_search(frontdesk_a, "王"))) == 20
    assert len(list(selectors.resident_search(frontdesk_a, "王", limit=5))) == 5


def test_resident_search_takes_one_query(frontdesk_a, unit_a, django_assert_num_queries):
    for n in range(5):
        ResidentFactory(unit=unit_a, name=f"李{n}")
    frontdesk_a.refresh_from_db()
    with django_assert_num_queries(2):  # the user's office ids, then the residents with their units
        rows = list(selectors.resident_search(frontdesk_a, "李"))
        labels = [selectors.unit_label(r.unit) for r in rows]
    assert len(labels) == 5


def test_user_without_office_sees_nothing(db, office_a, unit_a):
    from tests.factories import UserFactory

    lost = UserFactory(company=office_a.company, offices=[])
    assert list(selectors.units_for(lost)) == []
    CommunityFactory(office=office_a)
    assert list(selectors.communities_for(lost)) == []


def test_mask_phone():
    assert selectors.mask_phone("13912345678") == "139****5678"
    assert selectors.mask_phone("0755-26001234") == "075******1234"
    assert selectors.mask_phone("") == ""
    assert "345" not in selectors.mask_phone("13934567890")[3:-4]
