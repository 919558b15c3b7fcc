"""Exports and print views of the three records (issue 3): WY8.3-G01-F1 (C5), WY8.3-G01-F2 (C6) and the
work information log WY7.2.3-G01-F2 (C2). Free text never becomes a formula, phones stay text, times are
Shanghai wall time, filters and office scoping are those of the page the export comes from."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import ComplaintRecord, EngineeringRecord
from tests.complaints.conftest import TUESDAY_10
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil.example","点我")', "+1", "@SUM(A1)", "-2+3"]
PHONE = "13800138000"
RECEIVED = datetime.datetime(2026, 3, 10, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai


def _workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, f"a formula in {name}"
    return load_workbook(io.BytesIO(data)).active


def _boxes(ws) -> dict:
    """A record sheet's label -> value cell (rows 3 onwards, label in A, value in B)."""
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(3, ws.max_row + 1)}


def _no_cell_is_a_formula(ws):
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


@pytest.fixture
def frozen_now():
    import time_machine

    with time_machine.travel(TUESDAY_10, tick=False):
        yield


@pytest.fixture
def f1_complaint(office_a, frontdesk_a, frozen_now):
    c = ComplaintFactory(
        office=office_a,
        received_by=frontdesk_a,
        received_at=RECEIVED,
        content=DANGEROUS[0],
        contact_phone=PHONE,
        complaint_class=1,
        category="repairs",
        state="in_handling",
        handler=frontdesk_a,
    )
    ComplaintRecord.objects.create(
        complaint=c,
        handling_notes=DANGEROUS[1],
        follow_up=DANGEROUS[2],
        result_told=DANGEROUS[3],
        filled_by=frontdesk_a,
        updated_at=timezone.now(),
    )
    return c


@pytest.fixture
def f2_complaint(office_a, frontdesk_a, frozen_now):
    c = ComplaintFactory(
        office=office_a,
        received_by=frontdesk_a,
        received_at=RECEIVED,
        content="地下室渗水",
        contact_phone=PHONE,
        complaint_class=2,
        category="building",
        state="in_handling",
    )
    EngineeringRecord.objects.create(
        complaint=c,
        problem="=1+1 外墙渗水",
        location="3号楼地下室",
        cause="@防水层老化",
        measures="-修补防水层",
        wide_impact=True,
        written_report_sent_at=datetime.datetime(2026, 3, 11, 8, 0, tzinfo=datetime.UTC),
        copied_to_qa=True,
        filled_by=frontdesk_a,
        updated_at=timezone.now(),
    )
    return c


# --- F1, one complaint (C5) -------------------------------------------------------------------


def test_c5_f1_workbook_is_the_paper_form_and_text_never_runs(client_a, f1_complaint):
    ws = _workbook(client_a.get(reverse("complaints:record_f1_xlsx", args=[f1_complaint.pk])))
    assert ws["A1"].value == "顾客投诉(建议)处理记录表"
    assert "WY8.3-G01-F1" in ws["A2"].value
    boxes = _boxes(ws)
    assert boxes["编号"].value == f1_complaint.number
    values = [cell.value for cell in boxes.values()]
    for text in DANGEROUS:
        assert text in values, text
    _no_cell_is_a_formula(ws)
    phone = next(cell for cell in boxes.values() if cell.value == PHONE)
    assert phone.data_type == "s"
    received = next(cell for cell in boxes.values() if isinstance(cell.value, datetime.datetime))
    assert received.value == datetime.datetime(2026, 3, 10, 9, 30)  # Shanghai wall time


def test_c5_f1_qa_opinion_and_management_representative_boxes_are_present_and_empty(client_a, f1_complaint):
    boxes = _boxes(_workbook(client_a.get(reverse("complaints:record_f1_xlsx", args=[f1_complaint.pk]))))
    assert "质管部意见" in boxes and boxes["质管部意见"].value is None
    assert "管理者代表意见" in boxes and boxes["管理者代表意见"].value is None


def test_c5_f1_print_view_escapes_the_free_text(client_a, f1_complaint):
    f1_complaint.content = '<script>alert("x")</script>=HYPERLINK("a")'
    f1_complaint.save(update_fields=["content"])
    response = client_a.get(reverse("complaints:record_f1_print", args=[f1_complaint.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "顾客投诉(建议)处理记录表" in html and "WY8.3-G01-F1" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")' not in html
    assert "质管部意见" in html and "管理者代表意见" in html
    assert reverse("complaints:record_f1_xlsx", args=[f1_complaint.pk]) in html


def test_c5_f1_of_a_class_2_complaint_goes_back_to_the_complaint(client_a, f2_complaint):
    response = client_a.get(reverse("complaints:record_f1_xlsx", args=[f2_complaint.pk]))
    assert response.status_code == 302 and response["Location"] == f2_complaint.get_absolute_url()


def test_detail_page_links_the_record_of_its_class(client_a, f1_complaint):
    html = client_a.get(f1_complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:record_f1_print", args=[f1_complaint.pk]) in html
    assert reverse("complaints:record_f1_xlsx", args=[f1_complaint.pk]) in html
    assert reverse("complaints:record_f2_print", args=[f1_complaint.pk]) not in html


# --- F2, one complaint (C6) -------------------------------------------------------------------


def test_c6_f2_workbook_has_problem_cause_measures_and_the_written_report(client_a, f2_complaint):
    ws = _workbook(client_a.get(reverse("complaints:record_f2_xlsx", args=[f2_complaint.pk])))
    assert ws["A1"].value == "工程问题处理记录表"
    assert "WY8.3-G01-F2" in ws["A2"].value
    values = [cell.value for cell in _boxes(ws).values()]
    assert {"=1+1 外墙渗水", "3号楼地下室", "@防水层老化", "-修补防水层", PHONE} <= set(values)
    assert datetime.datetime(2026, 3, 11, 16, 0) in values  # the written report, Shanghai time
    assert values.count("是") == 2  # wide impact, copied to QA
    _no_cell_is_a_formula(ws)


def test_c6_f2_print_view(client_a, f2_complaint):
    html = client_a.get(reverse("complaints:record_f2_print", args=[f2_complaint.pk])).content.decode()
    assert "工程问题处理记录表" in html and "3号楼地下室" in html and "2026-03-11 16:00" in html


# --- office isolation ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["record_f1_xlsx", "record_f1_print", "record_f2_xlsx", "record_f2_print"])
def test_outsider_gets_404_on_every_record_export(client, frontdesk_b, f1_complaint, f2_complaint, name):
    client.force_login(frontdesk_b)
    for complaint in (f1_complaint, f2_complaint):
        assert client.get(reverse(f"complaints:{name}", args=[complaint.pk])).status_code == 404


def test_register_of_office_b_never_holds_office_a_rows(client, frontdesk_b, office_a, office_b, f1_complaint):
    ComplaintFactory(office=office_b, complaint_class=1, content="翠湖的投诉")
    client.force_login(frontdesk_b)
    for query in ("", f"?office={office_a.pk}", f"?text={f1_complaint.number}"):
        ws = _workbook(client.get(reverse("complaints:register_f1_xlsx") + query))
        numbers = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
        assert f1_complaint.number not in numbers, query
        office_names = {ws.cell(row=r, column=3).value for r in range(4, ws.max_row + 1)}
        assert office_names <= {office_b.name}, query
    log = _workbook(client.get(reverse("complaints:work_log_xlsx") + f"?office={office_a.pk}"))
    assert f1_complaint.number not in [log.cell(row=r, column=7).value for r in range(4, log.max_row + 1)]


# --- registers follow the list's filters ----------------------------------------------------------


def _numbers(ws, column=1):
    return [ws.cell(row=r, column=column).value for r in range(4, ws.max_row + 1)]


def test_f1_register_honours_the_list_filters(client_a, office_a, frontdesk_a, f1_complaint, f2_complaint):
    noise = ComplaintFactory(office=office_a, complaint_class=1, category="noise", received_at=RECEIVED)
    old = ComplaintFactory(
        office=office_a, complaint_class=1, category="repairs", received_at=RECEIVED - datetime.timedelta(days=40)
    )
    url = reverse("complaints:register_f1_xlsx")
    ws = _workbook(client_a.get(url))
    assert ws["A1"].value == "顾客投诉(建议)处理记录表" and "WY8.3-G01-F1" in ws["A2"].value
    assert set(_numbers(ws)) == {f1_complaint.number, noise.number, old.number}  # class 1 only, not F2's

    ws = _workbook(client_a.get(url + "?category=repairs&date_from=2026-03-01&date_to=2026-03-10"))
    assert _numbers(ws) == [f1_complaint.number]
    assert "2026-03-01" in ws["A2"].value
    row = [ws.cell(row=4, column=c).value for c in range(1, ws.max_column + 1)]
    assert row[1] == datetime.datetime(2026, 3, 10, 9, 30)
    assert ws.cell(row=4, column=6).value == PHONE and ws.cell(row=4, column=6).data_type == "s"
    assert set(DANGEROUS) <= set(row)
    _no_cell_is_a_formula(ws)

    assert _numbers(_workbook(client_a.get(url + "?text=HYPERLINK"))) == [f1_complaint.number]
    assert _numbers(_workbook(client_a.get(url + "?complaint_class=2"))) == []
    assert _numbers(_workbook(client_a.get(url + "?state=closed"))) == []


def test_f2_register_holds_the_engineering_records(client_a, f1_complaint, f2_complaint):
    ws = _workbook(client_a.get(reverse("complaints:register_f2_xlsx")))
    assert ws["A1"].value == "工程问题处理记录表" and "WY8.3-G01-F2" in ws["A2"].value
    assert _numbers(ws) == [f2_complaint.number]
    row = [ws.cell(row=4, column=c).value for c in range(1, ws.max_column + 1)]
    assert "=1+1 外墙渗水" in row and datetime.datetime(2026, 3, 11, 16, 0) in row
    _no_cell_is_a_formula(ws)


def test_f1_register_overdue_filter(client_a, office_a, frontdesk_a, frozen_now, make_complaint):
    from complaints import services

    # Logged on time a week ago (issue 9: a receipt back-dated past 3 days runs from its entry).
    with time_machine.travel(TUESDAY_10 - datetime.timedelta(days=7), tick=False):
        late = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=7))
    on_time = make_complaint()
    for c in (late, on_time):
        services.complaint_classify(complaint=c, by=_qa_of(office_a), complaint_class=1, category="repairs")
    ws = _workbook(client_a.get(reverse("complaints:register_f1_xlsx") + "?overdue=on"))
    assert _numbers(ws) == [late.number]


def _qa_of(office):
    from estates.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.QA_STAFF, company=office.company)


def test_register_export_query_count_does_not_grow_with_rows(
    client_a, office_a, frontdesk_a, django_assert_max_num_queries, f1_complaint
):
    url = reverse("complaints:register_f1_xlsx") + "?category=repairs"
    client_a.get(url)  # warm the content-type cache and the session
    # 9: one more than before issue 10's background exports, the capped count deciding inline or not.
    with django_assert_max_num_queries(9):
        ws = _workbook(client_a.get(url))
    assert len(_numbers(ws)) == 1
    for _ in range(25):
        c = ComplaintFactory(office=office_a, received_by=frontdesk_a, complaint_class=1, category="repairs")
        ComplaintRecord.objects.create(
            complaint=c, handling_notes="换灯", filled_by=frontdesk_a, updated_at=c.received_at
        )
    with django_assert_max_num_queries(9):
        ws = _workbook(client_a.get(url))
    assert len(_numbers(ws)) == 26


# --- the work information log WY7.2.3-G01-F2 (C2) -------------------------------------------------


def test_c2_work_log_workbook_follows_the_page_filters(client_a, office_a, frontdesk_a, f1_complaint, f2_complaint):
    old = ComplaintFactory(office=office_a, received_at=RECEIVED - datetime.timedelta(days=40), content="+86 楼上漏水")
    url = reverse("complaints:work_log_xlsx")
    ws = _workbook(client_a.get(url))
    assert ws["A1"].value == "工作信息记录本" and "WY7.2.3-G01-F2" in ws["A2"].value
    assert set(_numbers(ws, column=7)) == {f1_complaint.number, f2_complaint.number, old.number}
    assert "+86 楼上漏水" in [ws.cell(row=r, column=8).value for r in range(4, ws.max_row + 1)]

    ws = _workbook(client_a.get(url + "?date_from=2026-03-10&date_to=2026-03-10"))
    assert set(_numbers(ws, column=7)) == {f1_complaint.number, f2_complaint.number}
    row = [ws.cell(row=4, column=c).value for c in range(1, 11)]
    assert row[0] == datetime.datetime(2026, 3, 10, 0, 0) and row[1] == "09:30"  # Shanghai date and time
    assert ws.cell(row=4, column=6).value == PHONE and ws.cell(row=4, column=6).data_type == "s"
    _no_cell_is_a_formula(ws)


def test_c2_work_log_query_count_does_not_grow_with_rows(
    client_a, office_a, frontdesk_a, django_assert_max_num_queries, f1_complaint
):
    from tests.factories import DepartmentFactory

    department = DepartmentFactory(company=office_a.company, office=office_a, name="工程部")
    url = reverse("complaints:work_log_xlsx")
    client_a.get(url)
    for _ in range(20):
        ComplaintFactory(office=office_a, received_by=frontdesk_a, department=department)
    # 9: one more than before issue 10's background exports, the capped count deciding inline or not.
    with django_assert_max_num_queries(9):
        ws = _workbook(client_a.get(url))
    assert len(_numbers(ws, column=7)) == 21
    assert f"{office_a.name} 工程部" in [ws.cell(row=r, column=10).value for r in range(4, ws.max_row + 1)]


def test_c2_work_log_print_view_is_filtered_and_escaped(client_a, office_a, f1_complaint):
    ComplaintFactory(office=office_a, received_at=RECEIVED - datetime.timedelta(days=40), content="去年的事")
    f1_complaint.content = "<b>加粗</b>"
    f1_complaint.save(update_fields=["content"])
    response = client_a.get(reverse("complaints:work_log_print") + "?date_from=2026-03-10")
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作信息记录本" in html and "WY7.2.3-G01-F2" in html
    assert "&lt;b&gt;加粗&lt;/b&gt;" in html and "<b>加粗" not in html
    assert "去年的事" not in html
    assert "2026-03-10" in html and "09:30" in html
    assert reverse("complaints:work_log_xlsx") + "?date_from=2026-03-10" in html


def test_list_and_work_log_pages_carry_the_filters_to_the_export(client_a, frozen_now):
    html = client_a.get(reverse("complaints:list") + "?category=repairs&page=2").content.decode()
    assert reverse("complaints:register_f1_xlsx") + "?category=repairs" in html
    html = client_a.get(reverse("complaints:work_log") + "?date_from=2026-03-01").content.decode()
    assert reverse("complaints:work_log_xlsx") + "?date_from=2026-03-01" in html
    assert reverse("complaints:work_log_print") + "?date_from=2026-03-01" in html


def test_c2_work_log_print_stops_at_the_limit_and_says_so(client_a, office_a, monkeypatch, frozen_now):
    from complaints.reports import record_views as export_views

    monkeypatch.setattr(export_views, "PRINT_LIMIT", 2)
    for n in range(3):
        ComplaintFactory(office=office_a, content=f"第{n}条")
    html = client_a.get(reverse("complaints:work_log_print")).content.decode()
    assert html.count("<td>第") == 2
    assert "仅显示前 2 条" in html
