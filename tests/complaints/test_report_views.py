"""Pages of the summaries (C14, C15): scoping, approval through the browser, print views, Excel
workbooks (no formulas, phones as text), lists with a fixed number of queries."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from clock.models import DeadlineState
from clock.services import deadlines_for
from complaints.models import ComplaintPublication, MonthlySummary, SummaryState
from complaints.reports import quarterly as report_quarterly
from complaints.reports import services as report_services
from estates.models import DepartmentKind, Role
from tests.complaints.conftest import SH
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

JAN_13 = datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH)
FEB_2 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=SH)
JANUARY = datetime.date(2026, 1, 1)
NASTY = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def eng_manager(office_a, engineering_a):
    return UserFactory(
        username="eng_manager",
        role=Role.DEPT_MANAGER,
        company=office_a.company,
        offices=[office_a],
        department=engineering_a,
    )


@pytest.fixture
def summary(make_complaint, engineering_a, resident_a):
    with time_machine.travel(JAN_13, tick=False):
        make_complaint(received_at=JAN_13, department=engineering_a, content=NASTY, contact_phone="013912345678")
        make_complaint(received_at=JAN_13, department=engineering_a, channel="government", content="-1+1")
        make_complaint(received_at=JAN_13, department=engineering_a, resident=resident_a, content="@SUM(A1)")
    with time_machine.travel(FEB_2, tick=False):
        made, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    return made


def _client(client, user):
    client.force_login(user)
    return client


def test_c14_manager_approves_through_the_page(client, summary, eng_manager, qa):
    c = _client(client, eng_manager)
    page = c.get(summary.get_absolute_url())
    assert page.status_code == 200
    assert reverse("complaints:summary_approve", args=[summary.pk]) in page.content.decode()
    assert c.get(reverse("complaints:summary_approve", args=[summary.pk])).status_code == 405
    with time_machine.travel(FEB_2 + datetime.timedelta(hours=2), tick=False):
        response = c.post(reverse("complaints:summary_approve", args=[summary.pk]), {"note": "同意发布"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.state == SummaryState.APPROVED
    assert deadlines_for(summary).get().state == DeadlineState.MET


def test_c14_front_desk_cannot_approve_and_sees_no_draft(client, summary, frontdesk_a, eng_manager):
    c = _client(client, frontdesk_a)
    # A draft is for the managers; published to staff when approved.
    assert c.get(summary.get_absolute_url()).status_code == 404
    assert c.post(reverse("complaints:summary_approve", args=[summary.pk])).status_code == 404
    report_services.monthly_summary_approve(summary=summary, by=eng_manager)
    page = c.get(summary.get_absolute_url())
    assert page.status_code == 200
    assert reverse("complaints:summary_approve", args=[summary.pk]) not in page.content.decode()


def test_c14_a_manager_of_another_department_cannot_approve(client, summary, office_a):
    other = DepartmentFactory(company=office_a.company, office=office_a, kind=DepartmentKind.SECURITY, name="保安部")
    manager = UserFactory(role=Role.DEPT_MANAGER, company=office_a.company, offices=[office_a], department=other)
    response = _client(client, manager).post(reverse("complaints:summary_approve", args=[summary.pk]))
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT


def test_c14_outsider_gets_404_on_get_and_post(client, summary, frontdesk_b, office_b):
    manager_b = UserFactory(role=Role.DEPT_MANAGER, company=office_b.company, offices=[office_b])
    for user in (frontdesk_b, manager_b):
        c = _client(client, user)
        for name in ("summary_detail", "summary_print", "summary_export"):
            assert c.get(reverse(f"complaints:{name}", args=[summary.pk])).status_code == 404
        for name in ("summary_approve", "summary_refresh"):
            assert c.post(reverse(f"complaints:{name}", args=[summary.pk])).status_code == 404
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT


def test_c14_export_has_no_formulas_and_phones_stay_text(client, summary, eng_manager):
    response = _client(client, eng_manager).get(reverse("complaints:summary_export", args=[summary.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                values.append(cell.value)
    assert NASTY in values
    assert "-1+1" in values  # the C9 sheet
    assert "@SUM(A1)" in values
    # Phones masked outside the complaint and its record forms (issue 9), as text.
    assert "013*****5678" in values
    assert "139****5678" in values  # the resident's phone
    assert "13912345678" not in values and "013912345678" not in values
    phones = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "013*****5678"]
    assert phones and all(c.data_type == "s" for c in phones)


def test_c14_print_view_renders_the_list(client, summary, eng_manager):
    page = _client(client, eng_manager).get(reverse("complaints:summary_print", args=[summary.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "print-page" in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;点我&quot;)" in html  # shown as text, escaped
    assert "013*****5678" in html and "013912345678" not in html


def test_c14_summary_list_queries_do_not_grow_with_rows(client, office_a, eng_manager, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            department = DepartmentFactory(company=office_a.company, office=office_a, name=f"部门{i}-{n}")
            MonthlySummary.objects.create(
                company=office_a.company,
                office=office_a,
                department=department,
                month=JANUARY,
                data={"rows": [{"number": "x"}] * 50},
                generated_at=FEB_2,
            )

    c = _client(client, eng_manager)
    make(2)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("complaints:summary_list")).status_code == 200
    make(20)
    with django_assert_max_num_queries(12):
        page = c.get(reverse("complaints:summary_list"))
    assert page.status_code == 200
    assert page.content.decode().count("2026-01") >= 22


def test_c15_analysis_pages_export_and_publish_through_the_browser(client, summary, company, qa, frontdesk_a):
    with time_machine.travel(datetime.datetime(2026, 4, 1, 8, 0, tzinfo=SH), tick=False):
        analysis, _created = report_quarterly.quarterly_analysis_generate(company=company, quarter=JANUARY)
    c = _client(client, qa)
    assert c.get(reverse("complaints:analysis_list")).status_code == 200
    assert c.get(analysis.get_absolute_url()).status_code == 200
    assert c.get(reverse("complaints:analysis_print", args=[analysis.pk])).status_code == 200
    response = c.get(reverse("complaints:analysis_export", args=[analysis.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    assert not [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert c.post(reverse("complaints:analysis_publish", args=[analysis.pk]), {"conclusions": ""}).status_code == 400
    response = c.post(reverse("complaints:analysis_publish", args=[analysis.pk]), {"conclusions": "=1+1 结论"})
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.state == "published"
    reader = _client(client, frontdesk_a)
    assert "=1+1 结论" in reader.get(analysis.get_absolute_url()).content.decode()


def test_c15_publish_now_from_the_complaint_page(client, frozen, make_complaint, qa, frontdesk_a, frontdesk_b):
    complaint = make_complaint()
    page = _client(client, qa).get(complaint.get_absolute_url())
    assert reverse("complaints:publish", args=[complaint.pk]) in page.content.decode()
    response = client.post(
        reverse("complaints:publish", args=[complaint.pk]),
        {"reason": "representative", "title": "夜间噪音", "text": "<b>处理经验</b>", "publish": "1"},
    )
    assert response.status_code == 302
    assert ComplaintPublication.objects.filter(complaint=complaint).exists()
    # The front desk may not publish; the published list reaches office B too, escaped.
    desk = _client(client, frontdesk_a)
    assert (
        reverse("complaints:publish", args=[complaint.pk])
        not in desk.get(complaint.get_absolute_url()).content.decode()
    )
    listing = _client(client, frontdesk_b).get(reverse("complaints:published")).content.decode()
    assert "夜间噪音" in listing
    assert "&lt;b&gt;处理经验&lt;/b&gt;" in listing


def test_c15_analysis_and_published_lists_queries_do_not_grow_with_rows(
    client, company, qa, make_complaint, frozen, django_assert_max_num_queries
):
    from complaints.models import QuarterlyAnalysis

    def make(n, start):
        for i in range(n):
            QuarterlyAnalysis.objects.create(
                company=company, quarter=datetime.date(2000 + start + i, 1, 1), data={"total": 1}, generated_at=FEB_2
            )
            report_quarterly.complaint_publish(
                complaint=make_complaint(), by=qa, reason="representative", title=f"通报{start + i}", text="经验"
            )

    c = _client(client, qa)
    make(2, 0)
    for name in ("complaints:analysis_list", "complaints:published"):
        with django_assert_max_num_queries(12):
            assert c.get(reverse(name)).status_code == 200
    make(20, 2)
    for name in ("complaints:analysis_list", "complaints:published"):
        with django_assert_max_num_queries(12):
            page = c.get(reverse(name))
        assert page.status_code == 200
    assert "通报21" in page.content.decode()


def test_c14_c15_admin_pages_are_read_only(client, summary, company):
    from estates.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "pw-Tingjian-2026", company=company)
    c = _client(client, admin)
    assert c.get(reverse("admin:complaints_monthlysummary_changelist")).status_code == 200
    assert c.get(reverse("admin:complaints_quarterlyanalysis_changelist")).status_code == 200
    assert c.get(reverse("admin:complaints_monthlysummary_add")).status_code == 403


def test_c14_page_is_paged_by_keyset_and_the_print_view_lists_all(
    client, make_complaint, engineering_a, eng_manager, monkeypatch, django_assert_max_num_queries
):
    """Issue 10: the page lists one page of the month's complaints (its queries do not grow with the
    month), "next" leads to the following rows, each list keeps its own place; print lists them all."""
    from complaints.reports import presenters

    monkeypatch.setattr(presenters, "SUMMARY_PAGE_SIZE", 2)
    numbers = []
    for i in range(5):
        at = JAN_13 + datetime.timedelta(hours=i)
        with time_machine.travel(at, tick=False):
            numbers.append(make_complaint(received_at=at, department=engineering_a, content=f"第{i}条").number)
    with time_machine.travel(JAN_13, tick=False):
        c9 = [
            make_complaint(received_at=JAN_13, department=engineering_a, channel="government").number for _ in range(3)
        ]
    with time_machine.travel(FEB_2, tick=False):
        summary, _created = report_services.monthly_summary_generate(department=engineering_a, month=JANUARY)
    c = _client(client, eng_manager)
    url = summary.get_absolute_url()

    with django_assert_max_num_queries(16) as first_queries:
        first = c.get(url)
    html = first.content.decode()
    assert [n in html for n in numbers] == [True, True, False, False, False]
    assert [n in html for n in c9] == [True, True, False]
    match = re.search(r'href="\?after=([A-Za-z0-9_-]+)#rows"', html)
    assert match, "a next link for the complaints"
    c9_match = re.search(r'href="\?c9_after=([A-Za-z0-9_-]+)#c9-rows"', html)
    assert c9_match, "a next link for the C9 list"

    with django_assert_max_num_queries(len(first_queries)):
        second = c.get(f"{url}?after={match.group(1)}&c9_after={c9_match.group(1)}")
    html = second.content.decode()
    assert [n in html for n in numbers] == [False, False, True, True, False]
    assert [n in html for n in c9] == [False, False, True]
    assert "First page" in html or "首页" in html or "第一页" in html
    nxt = re.search(r'href="\?c9_after=[^&"]*&amp;after=([A-Za-z0-9_-]+)#rows"', html)
    assert nxt, "the complaints' next link keeps the C9 list's place"
    third = c.get(f"{url}?after={nxt.group(1)}")
    assert [n in third.content.decode() for n in numbers] == [False, False, False, False, True]
    # A crafted cursor is the first page, not an error.
    assert numbers[0] in c.get(f"{url}?after=bm9wZQ").content.decode()

    printed = c.get(reverse("complaints:summary_print", args=[summary.pk])).content.decode()
    assert all(n in printed for n in numbers + c9)
    assert "c9_after=" not in printed and "after=" not in printed
