"""Issue 9: the unit page shows the unit's past complaints and register entries, newest first, inside
the reader's offices, from providers the apps register (estates.unit_history), at a fixed query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ComplaintFactory, ResidentFactory, UnitFactory

UTC = datetime.UTC


def _complaint(unit, number, day, **kwargs):
    return ComplaintFactory(
        office=unit.building.community.office,
        unit=unit,
        number=number,
        received_at=datetime.datetime(2026, 3, day, 2, 0, tzinfo=UTC),
        **kwargs,
    )


def _page(client, unit):
    return client.get(reverse("estates:unit_detail", args=[unit.pk]))


def test_unit_page_lists_its_complaints_newest_first_and_no_other_units(client_a, office_a, unit_a, unit_b):
    older = _complaint(unit_a, "TS-2026-000101", 2, category="repairs", contact_name="张先生")
    newer = _complaint(unit_a, "TS-2026-000102", 9, category="noise", contact_name="李女士")
    neighbour = UnitFactory(building=unit_a.building, number="9901")
    _complaint(neighbour, "TS-2026-000103", 5)
    _complaint(unit_b, "TS-2026-000104", 6)  # another office's unit

    html = _page(client_a, unit_a).content.decode()

    assert "TS-2026-000101" in html and "TS-2026-000102" in html
    assert html.index("TS-2026-000102") < html.index("TS-2026-000101")  # newest first
    assert "TS-2026-000103" not in html and "TS-2026-000104" not in html
    assert newer.get_absolute_url() in html and older.get_absolute_url() in html
    assert "2026-03-09" in html and newer.get_category_display() in html
    # Inside the office the name shows; the phone is masked, as outside the complaint's own record.
    assert "李女士" in html and "138****8000" in html and "13800138000" not in html
    # "See all" opens the complaint list filtered by this unit.
    assert f"{reverse('complaints:list')}?unit={unit_a.pk}" in html


def test_unit_page_names_the_resident_of_a_complaint_with_masked_phone(client_a, unit_a):
    resident = ResidentFactory(unit=unit_a, name="周先生", phone="13611112222")
    _complaint(unit_a, "TS-2026-000110", 3, resident=resident, contact_name="", contact_phone="")
    html = _page(client_a, unit_a).content.decode()
    section = html[html.index("TS-2026-000110") :]
    assert "周先生" in section and "136****2222" in section and "13611112222" not in section


def test_unit_page_of_another_office_is_404_and_shows_nothing(client, frontdesk_b, unit_a):
    _complaint(unit_a, "TS-2026-000120", 3)
    client.force_login(frontdesk_b)
    response = _page(client, unit_a)
    assert response.status_code == 404
    assert "TS-2026-000120" not in response.content.decode()


def test_unit_page_says_when_the_unit_has_no_complaints(client_a, unit_a):
    html = _page(client_a, unit_a).content.decode()
    assert "Nothing recorded for this unit." in html or "该房屋没有记录" in html


def _queries(client, unit) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _page(client, unit).status_code == 200
    return len(ctx.captured_queries)


def test_unit_page_query_count_does_not_grow_with_the_history(
    client_a, unit_a, make_entry_for, django_assert_max_num_queries
):
    _complaint(unit_a, "TS-2026-000200", 1)
    make_entry_for(unit_a)
    one = _queries(client_a, unit_a)
    for i in range(1, 10):
        resident = ResidentFactory(unit=unit_a)
        _complaint(unit_a, f"TS-2026-{200 + i:06d}", 1 + i, resident=resident)
        make_entry_for(unit_a, resident=resident)
    with django_assert_max_num_queries(one):
        html = _page(client_a, unit_a).content.decode()
    assert "TS-2026-000209" in html and "TS-2026-000200" in html
    assert one <= 14  # session, user, unit, residents, one per section, the menu's


def test_more_than_a_section_shows_says_see_all(client_a, unit_a):
    from estates.unit_history import SECTION_ROWS

    for i in range(SECTION_ROWS + 1):
        _complaint(unit_a, f"TS-2026-{300 + i:06d}", 1 + i)
    html = _page(client_a, unit_a).content.decode()
    assert "TS-2026-000300" not in html  # the oldest is behind "see all"
    assert f"TS-2026-{300 + SECTION_ROWS:06d}" in html


@pytest.fixture
def make_entry_for(frontdesk_a):
    from feedback.services import entry_create

    def make(unit, **kwargs):
        values = {
            "office": unit.building.community.office,
            "by": frontdesk_a,
            "channel": "phone",
            "kind": "opinion",
            "content": "楼下的路灯坏了",
            "unit": unit,
            "contact_phone": "13700001111",
        }
        values.update(kwargs)
        return entry_create(**values)

    return make


def test_unit_page_lists_the_register_entries_naming_the_unit(client_a, unit_a, unit_b, make_entry_for, frontdesk_b):
    mine = make_entry_for(unit_a, contact_name="吴女士")
    other = make_entry_for(UnitFactory(building=unit_a.building, number="9902"))
    html = _page(client_a, unit_a).content.decode()
    assert mine.number in html and mine.get_absolute_url() in html and "吴女士" in html
    assert other.number not in html
    assert "137****1111" in html and "13700001111" not in html
    assert f"{reverse('feedback:register')}?unit={unit_a.pk}" in html


def test_unit_page_lists_a_complaint_logged_in_the_register_once(client_a, unit_a, make_entry_for):
    """C2: a complaint logged at the register's front door is also a complaint; the unit page lists it
    in the complaints section only, not a second time as a register entry."""
    entry = make_entry_for(unit_a, kind="complaint", content="楼上漏水一周了")
    entry.refresh_from_db()
    assert entry.complaint_id
    html = _page(client_a, unit_a).content.decode()
    assert entry.complaint.number in html
    assert entry.number not in html


# ---------------------------------------------------------------------------------------------
# "See all": the apps' lists filtered by the unit


def test_complaint_list_filtered_by_unit_shows_only_that_units(client_a, unit_a):
    _complaint(unit_a, "TS-2026-000401", 3)
    _complaint(UnitFactory(building=unit_a.building, number="9903"), "TS-2026-000402", 4)
    html = client_a.get(reverse("complaints:list"), {"unit": unit_a.pk}).content.decode()
    assert "TS-2026-000401" in html and "TS-2026-000402" not in html
    assert unit_a.label in html  # the list says which unit it shows
    assert reverse("estates:unit_detail", args=[unit_a.pk]) in html


def test_complaint_list_filtered_by_another_offices_unit_shows_nothing(client_a, unit_b):
    _complaint(unit_b, "TS-2026-000403", 3)
    html = client_a.get(reverse("complaints:list"), {"unit": unit_b.pk}).content.decode()
    assert "TS-2026-000403" not in html and unit_b.label not in html


def test_register_filtered_by_unit_shows_only_that_units_entries(client_a, unit_a, make_entry_for):
    mine = make_entry_for(unit_a)
    other = make_entry_for(UnitFactory(building=unit_a.building, number="9904"))
    html = client_a.get(reverse("feedback:register"), {"unit": unit_a.pk}).content.decode()
    assert mine.number in html and other.number not in html
    assert unit_a.label in html
