"""Issue 9, resident lookup: phones from 4 digits on, the result says what matched, units sort
naturally (101 before 1001), the units page accepts 1栋-502 and the label exactly as shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from estates import selectors
from tests.factories import BuildingFactory, ResidentFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def estate(office_a):
    one = BuildingFactory(community__office=office_a, community__name="科信小区", name="1栋")
    ten = BuildingFactory(community=one.community, name="10栋")
    two = BuildingFactory(community=one.community, name="2栋")
    units = {
        "1-1001": UnitFactory(building=one, number="1001"),
        "1-101": UnitFactory(building=one, number="101"),
        "1-502": UnitFactory(building=one, number="502"),
        "1-1403": UnitFactory(building=one, number="1403"),
        "10-101": UnitFactory(building=ten, number="101"),
        "2-101": UnitFactory(building=two, number="101"),
    }
    ResidentFactory(unit=units["1-1403"], name="陈坤", phone="13912341403")
    ResidentFactory(unit=units["1-502"], name="周玲", phone="13700000502")
    return units


def test_issue9_units_sort_naturally(frontdesk_a, estate):
    labels = [u.label for u in selectors.units_for(frontdesk_a)]
    assert labels == [
        "科信小区 1栋-101", "科信小区 1栋-502", "科信小区 1栋-1001", "科信小区 1栋-1403",
        "科信小区 2栋-101", "科信小区 10栋-101",
    ]  # fmt: skip


def test_issue9_phone_matches_from_4_digits_and_says_what_matched(client_a, estate):
    url = reverse("estates:resident_search")
    assert client_a.get(url, {"q": "139"}).json()["results"] == []
    results = client_a.get(url, {"q": "1234"}).json()["results"]
    assert [r["name"] for r in results] == ["陈坤"] and "电话" in results[0]["matched"]
    results = client_a.get(url, {"q": "周玲"}).json()["results"]
    assert "姓名" in results[0]["matched"]


def test_issue9_keyword_finds_a_unit_label_exactly_as_shown(client_a, frontdesk_a, estate):
    assert [r.name for r in selectors.resident_search(frontdesk_a, "1栋-1403")] == ["陈坤"]
    assert [r.name for r in selectors.resident_search(frontdesk_a, "科信小区 1栋-1403")] == ["陈坤"]


def test_issue9_units_page_accepts_building_dash_unit(client_a, estate):
    html = client_a.get(reverse("estates:units"), {"q": "1栋-502"}).content.decode()
    assert "1栋-502" in html and "1栋-1403" not in html and "10栋-101" not in html
