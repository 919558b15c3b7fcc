"""Issue 9, privacy (PIPL; STYLE.md 17): C14 snapshots store figures and complaint ids only; the rows
render live through the reader's office scope with phones masked."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from complaints.reports import services as report_services
from estates.models import DepartmentKind, Role
from tests.complaints.conftest import SH
from tests.factories import DepartmentFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

JAN_13 = datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH)
FEB_2 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=SH)
JANUARY = datetime.date(2026, 1, 1)


@pytest.fixture
def centre(company):
    """A company-level department: complaints of both offices are given to it."""
    return DepartmentFactory(company=company, office=None, kind=DepartmentKind.CUSTOMER_SERVICE, name="客户服务中心")


@pytest.fixture
def summary(centre, office_a, office_b, unit_a, unit_b, frontdesk_a, frontdesk_b):
    from complaints import services

    resident_b = ResidentFactory(unit=unit_b, name="王先生", phone="13800009999")
    with time_machine.travel(JAN_13, tick=False):
        services.complaint_create(
            office=office_a,
            received_by=frontdesk_a,
            channel="phone",
            content="A栋电梯坏了",
            contact_name="张三",
            contact_phone="13911112222",
            department=centre,
        )
        services.complaint_create(
            office=office_b,
            received_by=frontdesk_b,
            channel="phone",
            content="B区噪音扰民秘密内容",
            resident=resident_b,
            department=centre,
        )
    with time_machine.travel(FEB_2, tick=False):
        made, _created = report_services.monthly_summary_generate(department=centre, month=JANUARY)
    return made


def test_c14_snapshot_stores_figures_and_ids_only(summary):
    stored = json.dumps(summary.data, ensure_ascii=False)
    for personal in ("A栋电梯坏了", "张三", "13911112222", "B区噪音", "王先生", "13800009999"):
        assert personal not in stored
    assert summary.data["version"] == 2
    assert len(summary.data["rows"]) == 2 and all("id" in r and "number" in r for r in summary.data["rows"])
    assert summary.data["totals"]["received"] == 2


def test_c14_company_department_member_of_office_a_sees_no_office_b_data(client, summary, centre, office_a):
    member = UserFactory(
        role=Role.FRONT_DESK, company=office_a.company, offices=[office_a], department=centre, username="centre_a"
    )
    client.force_login(member)
    for name in ("summary_detail", "summary_print"):
        html = client.get(reverse(f"complaints:{name}", args=[summary.pk])).content.decode()
        assert "A栋电梯坏了" in html and "139****2222" in html  # own office: live, phone masked
        assert "13911112222" not in html
        assert (
            "B区噪音" not in html and "王先生" not in html and "13800009999" not in html and "138****9999" not in html
        )
    export = client.get(reverse("complaints:summary_export", args=[summary.pk]))
    assert export.status_code == 200
    import io

    from openpyxl import load_workbook

    values = {
        c.value for ws in load_workbook(io.BytesIO(export.content)).worksheets for row in ws.iter_rows() for c in row
    }
    assert "A栋电梯坏了" in values and "139****2222" in values
    assert not {v for v in values if isinstance(v, str) and ("B区噪音" in v or "王先生" in v or "9999" in v)}


def test_c14_stored_version_1_rows_lose_their_personal_fields_on_read(summary):
    from complaints.reports.presenters import summary_view_data

    summary.data["version"] = 1
    summary.data["rows"][0].update(who="旧姓名", phone="13900000000", content="旧内容")
    view = summary_view_data(summary, None)
    assert all(not r.visible and r.phone == "" and r.content == "" for r in view["all_rows"])
