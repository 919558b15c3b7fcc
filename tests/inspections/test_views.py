"""Inspection pages: QA runs a check in the browser's way (POSTs), the office reads it, outsiders get
404, lists have a fixed query count, forms keep what was typed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.models import Check, Finding, Item, RepairRecord, ServiceOffering
from inspections.services import checks, repairs


@pytest.fixture
def client_qa(client, qa):
    client.force_login(qa)
    return client


def test_q1_qa_scores_records_a_finding_and_signs_in_the_pages(client_qa, check_a):
    url = reverse("inspections:check_detail", args=[check_a.pk])
    page = client_qa.get(url)
    assert page.status_code == 200
    assert "C3" in page.content.decode()
    for item in Item.objects.filter(section__version=check_a.version):
        r = client_qa.post(
            reverse("inspections:check_score_item", args=[check_a.pk]), {"item": item.pk, "outcome": "pass"}
        )
        assert r.status_code == 302
    token = "0c5e3d59-1df4-4d42-8bde-6a1c1d1b3a10"
    for _ in range(2):  # a double submit makes one finding
        r = client_qa.post(
            reverse("inspections:check_add_finding", args=[check_a.pk]),
            {"form_token": token, "description": "<script>x</script>登记表缺项", "evidence": "抽查3月5日登记"},
        )
        assert r.status_code == 302
    assert Finding.objects.filter(check_run=check_a).count() == 1
    body = client_qa.get(url).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;登记表缺项" in body and "<script>x</script>" not in body
    r = client_qa.post(reverse("inspections:check_sign", args=[check_a.pk]), {"conclusion": "合格"})
    check_a.refresh_from_db()
    assert check_a.state == "signed" and check_a.score is not None
    printed = client_qa.get(reverse("inspections:check_print", args=[check_a.pk]))
    assert printed.status_code == 200 and "tj-print" in printed.content.decode()


def test_q1_finding_form_keeps_what_was_typed_on_error(client_qa, check_a):
    r = client_qa.post(
        reverse("inspections:check_add_finding", args=[check_a.pk]),
        {"form_token": "0c5e3d59-1df4-4d42-8bde-6a1c1d1b3a11", "description": "", "evidence": "现场照片两张"},
    )
    assert r.status_code == 400
    assert "现场照片两张" in r.content.decode()
    assert not Finding.objects.exists()


def test_q1_office_reads_its_check_but_cannot_score(client, frontdesk_a, check_a):
    client.force_login(frontdesk_a)
    assert client.get(reverse("inspections:check_detail", args=[check_a.pk])).status_code == 200
    item = Item.objects.filter(section__version=check_a.version).first()
    r = client.post(reverse("inspections:check_score_item", args=[check_a.pk]), {"item": item.pk, "outcome": "pass"})
    assert r.status_code == 403
    assert not check_a.results.exists()


def test_q1_outsider_gets_404_on_the_check(client, frontdesk_b, check_a):
    client.force_login(frontdesk_b)
    assert client.get(reverse("inspections:check_detail", args=[check_a.pk])).status_code == 404
    assert client.get(reverse("inspections:check_print", args=[check_a.pk])).status_code == 404


def test_q1_check_list_query_count_is_fixed(client_qa, standard, django_assert_max_num_queries, company):
    from tests.factories import OfficeFactory

    for n in range(6):
        OfficeFactory(company=company, name=f"管理处{n}", code=f"o{n}")
    checks.checks_open_due()
    with django_assert_max_num_queries(12):
        r = client_qa.get(reverse("inspections:check_list") + "?month=2026-03")
    assert r.status_code == 200 and Check.objects.count() >= 6
    assert r.content.decode().count("/inspections/checks/") >= 6


def test_q1_check_page_query_count_does_not_grow_with_items(client_qa, check_a, qa, django_assert_max_num_queries):
    for item in Item.objects.filter(section__version=check_a.version):
        checks.check_item_score(check=check_a, by=qa, item=item, outcome="pass")
    with django_assert_max_num_queries(30):
        assert client_qa.get(reverse("inspections:check_detail", args=[check_a.pk])).status_code == 200


def test_q1_standard_edit_page_makes_a_new_version_when_used(client_qa, check_a, standard):
    item = Item.objects.filter(section__version=check_a.version).first()
    r = client_qa.post(
        reverse("inspections:standard_item_save", args=[standard.pk]),
        {"section_id": item.section_id, "item_id": item.pk, "text": "改过的内容", "points": "20"},
    )
    assert r.status_code == 302
    assert standard.versions.count() == 2
    item.refresh_from_db()
    assert item.text != "改过的内容"
    assert client_qa.get(reverse("inspections:standard_detail", args=[standard.pk])).status_code == 200


def test_q4_office_records_a_repair_and_its_visit(client, cs_a, office_a, unit_a, frozen):
    client.force_login(cs_a)
    label = f"{unit_a.building.name}-{unit_a.number}"
    data = {
        "form_token": "0c5e3d59-1df4-4d42-8bde-6a1c1d1b3a12",
        "office": office_a.pk,
        "unit": label,
        "what": "更换水龙头",
        "repairer": "王师傅",
        "done_on": "2026-03-09",
    }
    assert client.post(reverse("inspections:repair_create"), data).status_code == 302
    assert client.post(reverse("inspections:repair_create"), data).status_code == 302
    repair = RepairRecord.objects.get()
    assert repair.unit == unit_a
    r = client.post(
        reverse("inspections:repair_visit", args=[repair.pk]),
        {"reached": "1", "attitude": "5", "punctuality": "4", "quality": "5", "note": "满意"},
    )
    assert r.status_code == 302
    page = client.get(reverse("inspections:repair_list") + "?month=2026-03").content.decode()
    assert "王师傅" in page and "4.00" in page


def test_q4_repair_form_keeps_input_and_refuses_the_future(client, cs_a, office_a, frozen):
    client.force_login(cs_a)
    r = client.post(
        reverse("inspections:repair_create"),
        {
            "form_token": "0c5e3d59-1df4-4d42-8bde-6a1c1d1b3a13",
            "office": office_a.pk,
            "what": "修门锁",
            "repairer": "王师傅",
            "done_on": "2026-04-09",
        },
    )
    assert r.status_code == 200 and "修门锁" in r.content.decode()
    assert not RepairRecord.objects.exists()


def test_q5_assistant_adds_a_service(client, cs_a, office_a):
    client.force_login(cs_a)
    r = client.post(
        reverse("inspections:offering_create"),
        {
            "office": office_a.pk,
            "kind": "paid",
            "name": "家电清洗",
            "price": "80",
            "price_unit": "台",
            "promise": "预约后24小时内上门",
            "active": "on",
            "order": "1",
        },
    )
    assert r.status_code == 302
    assert ServiceOffering.objects.get().promise == "预约后24小时内上门"
    assert "家电清洗" in client.get(reverse("inspections:offering_list")).content.decode()


def test_reports_scorecard_comparison_and_excel(client_qa, check_a, qa, frozen, cs_a, office_a):
    for item in Item.objects.filter(section__version=check_a.version):
        checks.check_item_score(check=check_a, by=qa, item=item, outcome="pass")
    checks.check_sign(check=check_a, by=qa)
    r = repairs.repair_record_create(
        office=office_a, by=cs_a, what='=HYPERLINK("x")', repairer="王", done_on=datetime.date(2026, 3, 2)
    )
    repairs.repair_visit_record(repair=r, by=cs_a, reached=True, attitude=4, punctuality=4, quality=4)
    card = client_qa.get(reverse("inspections:scorecard") + f"?office={office_a.pk}&month=2026-03").content.decode()
    assert "100.00" in card and "4.00" in card
    comp = client_qa.get(reverse("inspections:comparison") + "?month=2026-03")
    assert comp.status_code == 200 and office_a.name in comp.content.decode()
    import io

    from openpyxl import load_workbook

    for url in (
        reverse("inspections:scorecard_export") + f"?office={office_a.pk}&month=2026-03",
        reverse("inspections:comparison_export") + "?month=2026-03",
        reverse("inspections:check_export", args=[check_a.pk]),
    ):
        x = client_qa.get(url)
        assert x.status_code == 200
        wb = load_workbook(io.BytesIO(x.content))
        for row in wb.active.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_reports_comparison_is_for_company_roles(client, frontdesk_a):
    client.force_login(frontdesk_a)
    assert client.get(reverse("inspections:comparison")).status_code == 403


def test_q1_qa_creates_a_quarterly_standard_in_use_only_with_items(client_qa, company, office_a, qa, frozen):
    from inspections.models import CheckStandard

    r = client_qa.post(reverse("inspections:standard_create"), {"name": "服务承诺季度检查", "period": "quarterly"})
    standard = CheckStandard.objects.get(name="服务承诺季度检查")
    assert r.status_code == 302 and standard.active is False
    client_qa.post(reverse("inspections:standard_active", args=[standard.pk]), {"active": "1"})
    standard.refresh_from_db()
    assert standard.active is False  # no item yet
    client_qa.post(
        reverse("inspections:standard_section_save", args=[standard.pk]), {"title": "服务承诺", "weight": "1"}
    )
    section = standard.versions.get().sections.get()
    client_qa.post(
        reverse("inspections:standard_item_save", args=[standard.pk]),
        {"section_id": section.pk, "text": "报修30分钟内响应", "points": "100"},
    )
    client_qa.post(reverse("inspections:standard_active", args=[standard.pk]), {"active": "1"})
    standard.refresh_from_db()
    assert standard.active is True
    assert checks.checks_open_due() >= 1
    assert Check.objects.filter(standard=standard, office=office_a, period_start=datetime.date(2026, 1, 1)).exists()
