"""The register's pages (F1): the one front door, the list with filters and keyset paging (query count
pinned), handling an entry, the complaint hand-over, exports and print, and the outsider's 404."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Complaint
from feedback.models import Entry, StateLabel
from feedback.rules import State
from tests.feedback.conftest import SH

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "channel": "phone",
        "kind": "opinion",
        "category": "cleaning",
        "resident_query": "",
        "resident": "",
        "contact_name": "赵女士",
        "contact_phone": "13700000000",
        "content": "垃圾桶没有及时清理",
        "received_at": "2026-03-10T09:30",
        "action": "",
    }
    data.update(overrides)
    return data


def test_f1_front_door_logs_an_opinion(frozen, client_a, office_a):
    response = client_a.post(reverse("feedback:create"), form_data(office=office_a.pk))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert entry.category.code == "cleaning"
    assert entry.received_at == datetime.datetime(2026, 3, 10, 9, 30, tzinfo=SH)


def test_f1_front_door_keeps_what_was_typed_on_error(frozen, client_a, office_a):
    response = client_a.post(reverse("feedback:create"), form_data(office=office_a.pk, content=""))
    assert response.status_code == 200
    assert "赵女士" in response.content.decode()
    assert Entry.objects.count() == 0


def test_f1_front_door_enquiry_on_the_spot_is_closed(frozen, client_a, office_a):
    client_a.post(
        reverse("feedback:create"),
        form_data(office=office_a.pk, kind="enquiry", answered_on_the_spot="on", action="周六也可以办理"),
    )
    assert Entry.objects.get().state == State.CLOSED


def test_f1_front_door_complaint_shows_c2_script_and_hands_over(frozen, client_a, office_a, resident_a):
    page = client_a.get(reverse("feedback:create")).content.decode()
    assert 'id="c2-script"' in page
    client_a.post(
        reverse("feedback:create"),
        form_data(office=office_a.pk, kind="complaint", resident=resident_a.pk, contact_name="", contact_phone=""),
    )
    entry = Entry.objects.get()
    complaint = Complaint.objects.get()
    assert entry.complaint == complaint
    assert complaint.resident == resident_a
    assert entry.state == State.IN_PROGRESS


def test_f1_front_door_double_submit_makes_one_entry(frozen, client_a, office_a):
    data = form_data(office=office_a.pk)
    client_a.post(reverse("feedback:create"), data)
    client_a.post(reverse("feedback:create"), data)
    assert Entry.objects.count() == 1


def test_f1_register_lists_pages_by_keyset_with_pinned_queries(
    frozen, client_a, make_entry, django_assert_max_num_queries
):
    # At most 11: session, user, two permission reads, categories, the offices (the filter's choices and
    # the scope in one query), the page of rows (the category and the unit joined; no request
    # transaction: the page only reads), its residents, state labels and complaints by id (each only
    # when a row has one; issue 10: nine joins cost 55–66 ms of planning at 2M entries), the inbox badge.
    for i in range(30):
        make_entry(
            content=f"意见{i}",
            received_at=datetime.datetime(2026, 3, 9, 8, 0, tzinfo=SH) + datetime.timedelta(minutes=i),
        )
    with django_assert_max_num_queries(11):
        first = client_a.get(reverse("feedback:register"))
    html = first.content.decode()
    assert "意见29" in html and "意见5" in html and "意见4<" not in html
    cursor = first.context["page"].next_cursor
    assert cursor
    with django_assert_max_num_queries(11):
        second = client_a.get(reverse("feedback:register"), {"after": cursor})
    rows = second.context["page"].rows
    assert [r.content for r in rows] == [f"意见{i}" for i in range(4, -1, -1)]
    assert second.context["page"].next_cursor is None


def test_f1_register_query_count_does_not_grow_with_rows(
    frozen, client_a, make_entry, resident_a, engineering_a, django_assert_max_num_queries
):
    for i in range(3):
        make_entry(content=f"少{i}", resident=resident_a, kind="service", department=engineering_a, category="repairs")
    with django_assert_max_num_queries(11) as few:
        client_a.get(reverse("feedback:register"))
    for i in range(20):
        make_entry(content=f"多{i}", resident=resident_a, kind="service", department=engineering_a, category="repairs")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client_a.get(reverse("feedback:register"))


def test_f1_register_filters_by_kind_channel_category_state_date_and_text(frozen, client_a, make_entry):
    make_entry(content="停车位被占", kind="opinion", channel="visit", category="parking")
    make_entry(content="表扬保安", kind="praise", channel="phone", category="security")
    url = reverse("feedback:register")
    assert [e.content for e in client_a.get(url, {"kind": "praise"}).context["page"].rows] == ["表扬保安"]
    assert [e.content for e in client_a.get(url, {"channel": "visit"}).context["page"].rows] == ["停车位被占"]
    assert [e.content for e in client_a.get(url, {"category": "parking"}).context["page"].rows] == ["停车位被占"]
    assert [e.content for e in client_a.get(url, {"text": "保安"}).context["page"].rows] == ["表扬保安"]
    assert client_a.get(url, {"date_from": "2026-03-11"}).context["page"].rows == []
    assert len(client_a.get(url, {"state": "open"}).context["page"].rows) == 2


def test_f1_register_text_search_by_search_column_two_characters_one_character_and_latin(frozen, client_a, make_entry):
    """The register searches one column (what was said + its two-character Chinese words), so the
    trigram index serves 漏水 as well as a longer phrase; Latin letters ignore case."""
    from feedback.models import Entry

    leak = make_entry(content="楼上卫生间漏水严重")
    make_entry(content="WiFi 信号差")
    make_entry(content="门口有积水")
    assert " 漏水" in Entry.objects.get(pk=leak.pk).search_text
    url = reverse("feedback:register")

    def found(text):
        return sorted(e.content for e in client_a.get(url, {"text": text}).context["page"].rows)

    assert found("漏水") == ["楼上卫生间漏水严重"]
    assert found("水") == sorted(["门口有积水", "楼上卫生间漏水严重"])
    assert found("卫生间漏水") == ["楼上卫生间漏水严重"]
    assert found("wifi") == ["WiFi 信号差"]
    assert found("渗水") == []


def test_f1_register_shows_only_the_users_offices(frozen, client_a, make_entry, office_b, frontdesk_b):
    from feedback.services import entry_create

    make_entry(content="本处意见")
    entry_create(office=office_b, by=frontdesk_b, channel="phone", kind="opinion", content="别处意见")
    rows = client_a.get(reverse("feedback:register")).context["page"].rows
    assert [e.content for e in rows] == ["本处意见"]


def test_f1_outsider_gets_404_on_an_entry(frozen, client, make_entry, frontdesk_b):
    entry = make_entry()
    client.force_login(frontdesk_b)
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert client.post(reverse("feedback:update", args=[entry.pk]), {"state": "closed"}).status_code == 404


def test_f1_service_request_done_with_its_result_and_office_label(
    frozen, client_a, make_entry, office_a, engineering_a
):
    label = StateLabel.objects.create(office=office_a, meaning=State.CLOSED, label="已转交自来水公司")
    entry = make_entry(kind="service", category="repairs", department=engineering_a)
    url = reverse("feedback:update", args=[entry.pk])
    refused = client_a.post(url, {"state": "done", "outcome": ""})
    assert refused.status_code == 400
    client_a.post(url, {"state": f"label:{label.pk}", "outcome": "已转交自来水公司处理", "reply": "已转交"})
    entry.refresh_from_db()
    assert entry.state == State.CLOSED
    assert entry.state_display == "已转交自来水公司"
    assert entry.events.filter(public=True, note="已转交").exists()


def test_f1_update_needs_post(frozen, client_a, make_entry):
    entry = make_entry()
    assert client_a.get(reverse("feedback:update", args=[entry.pk])).status_code == 405


def test_f1_export_is_laid_out_like_the_paper_register_and_never_a_formula(frozen, client_a, make_entry):
    make_entry(content='=HYPERLINK("http://x")', contact_phone="01012345678")
    response = client_a.get(reverse("feedback:register_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    ws = wb.active
    assert ws["A1"].value == "与顾客沟通登记表"
    row = [c.value for c in ws[4]]
    assert '=HYPERLINK("http://x")' in row
    assert "01012345678" in row
    assert all(c.data_type != "f" for c in ws[4])


def test_f1_print_view_lists_the_register(frozen, client_a, make_entry):
    make_entry(content="<script>alert(1)</script>")
    html = client_a.get(reverse("feedback:register_print")).content.decode()
    assert "与顾客沟通登记表" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_f1_complaint_from_the_resident_page_is_handed_over_from_the_detail(frozen, client_a, office_a):
    from feedback.services import entry_create

    entry = entry_create(
        office=office_a, by=None, channel="online", kind="complaint", content="物业态度差", contact_phone="13600000000"
    )
    assert entry.complaint_id is None
    client_a.post(reverse("feedback:hand_over", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.complaint.channel == "online"
    assert entry.complaint.received_by.username == "frontdesk_a"


def test_register_filter_form_is_drawn_without_crispy_and_marks_what_is_wrong(frozen, client_a, office_a):
    """The register's filter form is drawn by common.forms.lean_fields (issue 10: crispy's field
    templates were a quarter of the page's time at 2M entries): Bootstrap's markup, what was typed kept
    and escaped, the bad date marked on its input with the message under it."""
    response = client_a.get(
        reverse("feedback:register"), {"text": "<b>漏水</b>", "date_from": "2026-13-01", "open_only": "on"}
    )
    html = response.content.decode()
    assert 'value="&lt;b&gt;漏水&lt;/b&gt;"' in html and "<b>漏水" not in html
    assert 'class="dateinput form-control is-invalid"' in html
    assert '<div id="id_date_from_error" class="invalid-feedback d-block">' in html
    assert 'id="id_open_only" checked' in html
    assert '<label for="id_office" class="form-label">' in html
    assert 'class="select form-select"' in html
