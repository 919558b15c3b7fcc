"""The estates pages: units browser, unit page, typeahead JSON, Excel import upload and template."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from estates.models import Resident, Unit
from tests.estates.conftest import upload
from tests.factories import ResidentFactory, UnitFactory


@pytest.fixture
def manager_client(client, officemanager_a):
    client.force_login(officemanager_a)
    return client


def test_unit_list_shows_only_own_office_and_searches(client_a, unit_a, unit_b):
    ResidentFactory(unit=unit_a, name="张伟")
    ResidentFactory(unit=unit_b, name="李娜")
    response = client_a.get(reverse("estates:units"))
    assert response.status_code == 200
    assert list(response.context["units"]) == [unit_a]
    assert "张伟" in response.content.decode() and "李娜" not in response.content.decode()
    assert list(client_a.get(reverse("estates:units"), {"q": "张伟"}).context["units"]) == [unit_a]
    assert list(client_a.get(reverse("estates:units"), {"q": "李娜"}).context["units"]) == []


def test_unit_list_takes_a_fixed_number_of_queries(client_a, unit_a, django_assert_max_num_queries):
    for n in range(60):
        ResidentFactory(unit=UnitFactory(building=unit_a.building, number=f"9{n:03d}"))
    client_a.get(reverse("estates:units"))  # warm the session and the menu
    with django_assert_max_num_queries(14):
        response = client_a.get(reverse("estates:units"))
    assert len(response.context["units"]) == 50


def test_unit_page_for_insider_and_404_for_outsider(client, frontdesk_a, frontdesk_b, unit_a):
    ResidentFactory(unit=unit_a, name="王芳")
    client.force_login(frontdesk_a)
    response = client.get(reverse("estates:unit_detail", args=[unit_a.pk]))
    assert response.status_code == 200 and "王芳" in response.content.decode()
    client.force_login(frontdesk_b)
    assert client.get(reverse("estates:unit_detail", args=[unit_a.pk])).status_code == 404


def test_free_text_is_escaped(client_a, unit_a):
    ResidentFactory(unit=unit_a, name="<script>x</script>")
    content = client_a.get(reverse("estates:unit_detail", args=[unit_a.pk])).content.decode()
    assert "<script>x</script>" not in content and "&lt;script&gt;x&lt;/script&gt;" in content


def test_resident_search_json_is_scoped_and_masks_phones(client_a, unit_a, unit_b):
    mine = ResidentFactory(unit=unit_a, name="陈静", phone="13912345678")
    ResidentFactory(unit=unit_b, name="陈静", phone="13800000000")
    response = client_a.get(reverse("estates:resident_search"), {"q": "陈静"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [mine.pk]
    assert results[0]["phone"] == "139****5678"
    assert results[0]["unit"].endswith(f"-{unit_a.number}")
    assert "13912345678" not in response.content.decode()


def test_resident_search_refuses_post(client_a):
    assert client_a.post(reverse("estates:resident_search"), {"q": "x"}).status_code == 405


def test_import_page_needs_the_import_permission(client_a):
    assert client_a.get(reverse("estates:import")).status_code == 403
    assert client_a.get(reverse("estates:import_template")).status_code == 403


def test_import_good_file_saves_and_redirects(manager_client, office_a, community_a):
    rows = [["科信小区", "1栋", "101", 1, "是", "否", "张三", 13912345678.0, "电话"]]
    response = manager_client.post(reverse("estates:import"), {"office": office_a.pk, "file": upload(rows)})
    assert response.status_code == 302 and response["Location"] == reverse("estates:units")
    assert Resident.objects.get().phone == "13912345678"


def test_import_bad_file_lists_every_bad_row_and_saves_nothing(manager_client, office_a, community_a):
    rows = [
        ["科信小区", "1栋", "101", 1, "是", "否", "", "", ""],
        ["科信小区", "", "102", 1, "是", "否", "", "", ""],
        ["科信小区", "1栋", "103", "x", "是", "否", "", "", ""],
        ["<b>小区</b>", "1栋", "104", 1, "是", "否", "", "", ""],
    ]
    response = manager_client.post(
        reverse("estates:import"), {"office": office_a.pk, "file": upload(rows)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert [e.row for e in response.context["result"].errors] == [3, 4, 5]
    content = response.content.decode()
    assert "<b>小区</b>" not in content and "&lt;b&gt;小区&lt;/b&gt;" in content
    assert Unit.objects.count() == 0


def test_import_wrong_file_type_is_a_form_error(manager_client, office_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("units.csv", b"a,b,c", content_type="text/csv")
    response = manager_client.post(reverse("estates:import"), {"office": office_a.pk, "file": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_import_into_another_office_is_not_a_choice(manager_client, office_b):
    from tests.factories import CommunityFactory

    CommunityFactory(office=office_b, name="翠湖苑")
    rows = [["翠湖苑", "1栋", "101", 1, "是", "否", "", "", ""]]
    response = manager_client.post(reverse("estates:import"), {"office": office_b.pk, "file": upload(rows)})
    assert response.status_code == 200
    assert "office" in response.context["form"].errors
    assert Unit.objects.count() == 0


def test_template_download(manager_client):
    response = manager_client.get(reverse("estates:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "小区"


def test_import_page_offers_only_the_users_offices(manager_client, office_a, office_b):
    response = manager_client.get(reverse("estates:import"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["office"].queryset) == [office_a]
    assert reverse("estates:import_template") in response.content.decode()


def test_company_role_browses_every_office(client, qa, unit_a, unit_b):
    client.force_login(qa)
    assert set(client.get(reverse("estates:units")).context["units"]) == {unit_a, unit_b}
