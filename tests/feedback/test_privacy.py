"""PIPL (issue 9): a resident's register entries are in their personal-data export and are anonymised
by the erasure, like their complaints; the figures stay and other residents are untouched."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import Entry, EntryEvent
from tests.factories import UserFactory


@pytest.fixture
def superuser(company):
    return UserFactory(username="root", company=company, is_superuser=True, is_staff=True, role="")


def test_pipl_export_lists_the_residents_register_entries(client, frozen, superuser, make_entry, resident_a):
    make_entry(resident=resident_a, unit=resident_a.unit, content="东门路灯坏了")
    make_entry(contact_name="李女士", contact_phone=resident_a.phone, content="快递柜满了")
    make_entry(contact_name="王先生", contact_phone="13800001111", content="别人的意见")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:estates_resident_changelist"),
        {"action": "export_personal_data", "_selected_action": [resident_a.pk]},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = {c.value for ws in book.worksheets for r in ws.iter_rows() for c in r}
    assert {"东门路灯坏了", "快递柜满了", "13912345678"} <= values
    assert "别人的意见" not in values and "13800001111" not in values


def test_pipl_erasure_anonymises_register_entries_and_keeps_the_figures(
    client, frozen, superuser, make_entry, resident_a
):
    unit = resident_a.unit
    mine = make_entry(
        resident=resident_a,
        unit=unit,
        content=f"李女士反映{unit.building.name}-{unit.number}门口路灯坏了，电话13912345678",
        outcome="已告知李女士维修时间",
    )
    by_phone = make_entry(contact_name="李女士", contact_phone=resident_a.phone, content="快递柜满了")
    EntryEvent.objects.create(entry=mine, at=mine.received_at, what=EntryEvent.What.REPLY, note="李女士您好，已修好")
    other = make_entry(contact_name="王先生", contact_phone="13800001111", content="别人的意见")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:estates_resident_changelist"),
        {"action": "erase_personal_data", "_selected_action": [resident_a.pk], "confirm": "yes"},
    )
    assert response.status_code == 302
    for entry in (mine, by_phone):
        entry.refresh_from_db()
        assert entry.resident_id is None and entry.contact_name == "" and entry.contact_phone == ""
        for text in (entry.content, entry.outcome):
            assert "李女士" not in text and "13912345678" not in text and unit.number not in text
        assert entry.channel == "phone" and entry.received_at and entry.kind == "opinion"  # the figures stay
        assert not any("李女士" in e.note for e in entry.events.all())
        assert entry.events.filter(note="已应住户要求删除个人信息。").exists()  # the history says why
    assert "路灯坏了" in mine.content
    other.refresh_from_db()
    assert other.contact_name == "王先生" and other.contact_phone == "13800001111" and other.content == "别人的意见"
    assert Entry.objects.count() == 3
