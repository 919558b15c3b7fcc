"""Hardening issue, item 5: NUL and other control characters never reach the database — every text input
passes a form that refuses NUL and strips the other control characters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from common.forms import Form
from common.text import strip_control
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["\x00", "13\x00800", "王\x01", "\x1b[31m"])
def test_resident_search_with_control_characters_answers_json(client_a, unit_a, q):
    ResidentFactory(unit=unit_a, name="王小明")
    response = client_a.get(reverse("estates:resident_search"), {"q": q})
    assert response.status_code == 200
    assert "results" in response.json()


def test_resident_search_strips_control_characters_and_still_finds(client_a, unit_a):
    ResidentFactory(unit=unit_a, name="王小明")
    response = client_a.get(reverse("estates:resident_search"), {"q": "王小\x07明"})
    assert [r["name"] for r in response.json()["results"]] == ["王小明"]


def test_unit_list_search_with_nul_answers_200(client_a, unit_a):
    client_a.force_login(_manager(unit_a))
    assert client_a.get(reverse("estates:units"), {"q": "\x00"}).status_code == 200


def _manager(unit):
    from estates.models import Role
    from tests.factories import UserFactory

    office = unit.building.community.office
    return UserFactory(role=Role.OFFICE_MANAGER, company=office.company, offices=[office])


def test_strip_control_keeps_tabs_and_line_breaks():
    assert strip_control("a\x00b\x01c\td\r\ne\x7f\x9f") == "abc\td\r\ne"


def test_the_shared_form_strips_control_characters_and_refuses_nul():
    from django import forms

    class Sample(Form):
        text = forms.CharField(widget=forms.Textarea)

    form = Sample({"text": "楼道\x1b灯\x08不亮\n三楼"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "楼道灯不亮\n三楼"
    assert not Sample({"text": "a\x00b"}).is_valid()


def test_an_old_row_with_control_characters_never_breaks_an_export(client_a, unit_a, frontdesk_a, office_a):
    """A row written before the forms stripped control characters still exports (openpyxl refuses them)."""
    import io

    from openpyxl import load_workbook

    from complaints import services
    from complaints.models import Complaint

    complaint = services.complaint_create(office=office_a, received_by=frontdesk_a, channel="phone", content="旧记录")
    Complaint.objects.filter(pk=complaint.pk).update(content="旧\x1b记录\x07")
    response = client_a.get(reverse("complaints:work_log_xlsx"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [c for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for c in row if c]
    assert "旧记录" in cells
