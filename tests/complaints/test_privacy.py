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
    assert summary.data["version"] >= 2  # 2: C14 rows of ids; 3: C15 repeats of ids (one version for both)
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


# ---------------------------------------------------------------------------------------------
# C15 publish now (issue 9): names, phones and unit numbers stripped, a preview, the publisher edits


def test_c15_redact_strips_names_phones_and_units():
    from complaints.redaction import redact

    text = "李女士（13912345678，0755-26001234）说3栋-1203楼上漏水，12号楼2单元502也是，张三又来电，共3次"
    out = redact(text, names=["张三"])
    for personal in ("李女士", "13912345678", "26001234", "3栋-1203", "502", "张三"):
        assert personal not in out
    assert "共3次" in out and "楼上漏水" in out


def test_c15_publish_now_strips_personal_data_shows_a_preview_and_publishes_what_was_previewed(
    client, frozen, make_complaint, qa, resident_a, frontdesk_b
):
    from complaints.models import ComplaintPublication

    unit = resident_a.unit
    complaint = make_complaint(
        resident=resident_a, content=f"李女士（13912345678）反映{unit.building.name}-{unit.number}夜间噪音"
    )
    client.force_login(qa)
    url = reverse("complaints:publish", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "夜间噪音" in page and "某住户" in page
    assert "李女士" not in page and "13912345678" not in page and f"-{unit.number}" not in page
    # The publisher types the name back in: not published, redacted and shown again.
    response = client.post(
        url, {"reason": "important", "title": "噪音", "text": "李女士家楼上夜间噪音", "publish": "1"}
    )
    assert response.status_code == 200 and not ComplaintPublication.objects.exists()
    html = response.content.decode()
    assert "某住户家楼上夜间噪音" in html and "李女士" not in html
    # Publishing what the preview showed goes through.
    response = client.post(
        url, {"reason": "important", "title": "噪音", "text": "某住户家楼上夜间噪音", "publish": "1"}
    )
    assert response.status_code == 302
    publication = ComplaintPublication.objects.get()
    assert publication.text == "某住户家楼上夜间噪音"
    client.force_login(frontdesk_b)
    listing = client.get(reverse("complaints:published")).content.decode()
    assert "夜间噪音" in listing and "李女士" not in listing and "13912345678" not in listing


def test_c15_publish_service_strips_even_when_called_directly(frozen, make_complaint, qa, resident_a):
    from complaints.reports.quarterly import complaint_publish

    complaint = make_complaint(resident=resident_a)
    publication = complaint_publish(
        complaint=complaint, by=qa, reason="important", title="李女士的投诉", text="电话13912345678"
    )
    assert "李女士" not in publication.title and "13912345678" not in publication.text


def test_c15_publish_page_is_qa_only_and_404_outside(client, frozen, make_complaint, frontdesk_a, frontdesk_b):
    complaint = make_complaint()
    client.force_login(frontdesk_a)
    assert client.get(reverse("complaints:publish", args=[complaint.pk])).status_code == 403
    client.force_login(frontdesk_b)
    assert client.get(reverse("complaints:publish", args=[complaint.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# A resident's personal data: export and erasure on request (admin actions; figures stay)


@pytest.fixture
def superuser(company):
    return UserFactory(username="root", company=company, is_superuser=True, is_staff=True, role="")


def test_pipl_admin_exports_a_residents_personal_data(client, frozen, superuser, make_complaint, resident_a):
    import io

    from openpyxl import load_workbook

    make_complaint(resident=resident_a, content="楼上漏水")
    make_complaint(contact_name="李女士", contact_phone=resident_a.phone, content="又漏水了")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:estates_resident_changelist"),
        {"action": "export_personal_data", "_selected_action": [resident_a.pk]},
    )
    assert response.status_code == 200
    values = {
        c.value for ws in load_workbook(io.BytesIO(response.content)).worksheets for r in ws.iter_rows() for c in r
    }
    assert {"李女士", "13912345678", "楼上漏水", "又漏水了"} <= values


def test_pipl_admin_erases_a_resident_and_keeps_the_figures(client, frozen, superuser, make_complaint, resident_a):
    from complaints.models import Complaint

    unit = resident_a.unit
    one = make_complaint(
        resident=resident_a, content=f"李女士说{unit.building.name}-{unit.number}漏水，电话13912345678"
    )
    two = make_complaint(contact_name="李女士", contact_phone=resident_a.phone, content="又漏水了")
    other = make_complaint(contact_name="王先生", contact_phone="13800001111", content="别人的投诉")
    client.force_login(superuser)
    url = reverse("admin:estates_resident_changelist")
    confirm = client.post(url, {"action": "erase_personal_data", "_selected_action": [resident_a.pk]})
    assert confirm.status_code == 200 and "李女士" in confirm.content.decode()
    resident_a.refresh_from_db()
    assert resident_a.name == "李女士"  # nothing erased before the confirmation
    response = client.post(
        url, {"action": "erase_personal_data", "_selected_action": [resident_a.pk], "confirm": "yes"}
    )
    assert response.status_code == 302
    resident_a.refresh_from_db()
    assert resident_a.phone == "" and resident_a.name != "李女士"
    for c in (one, two):
        c.refresh_from_db()
        assert c.resident_id is None and c.contact_name == "" and c.contact_phone == ""
        assert "李女士" not in c.content and "13912345678" not in c.content and unit.number not in c.content
        assert c.received_at and c.channel == "phone" and c.number  # the figures stay
        assert "漏水" in c.content
        assert not any("李女士" in e.note or "13912345678" in e.note for e in c.events.all())
    other.refresh_from_db()
    assert other.contact_name == "王先生" and other.contact_phone == "13800001111"
    assert Complaint.objects.count() == 3
