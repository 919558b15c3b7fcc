"""Issue 10: the list's cost follows the page — next due kept on the row, keyset paging, the search
column, and query counts that do not grow with rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clock.calendar import WorkCalendar, parse_periods
from clock.deadlines import deadlines_recompute
from clock.models import Deadline, DeadlineState
from common.keyset import Key, after, decode_cursor, encode_cursor
from complaints import selectors, services
from complaints.models import Complaint
from complaints.search import search_document, search_pattern
from tests.factories import UnitFactory

from .conftest import TUESDAY_10

pytestmark = pytest.mark.django_db


def _live_min(complaint):
    return (
        Deadline.objects.filter(subject_id=complaint.pk, closed_at__isnull=True)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def test_c3_next_due_is_kept_on_the_complaint_row(frozen, make_complaint, cs_a):
    c = make_complaint()
    c.refresh_from_db()
    c3 = Deadline.objects.get(subject_id=c.pk, rule="C3")
    assert c.next_due_at == c3.due_at == _live_min(c)
    services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    c.refresh_from_db()
    assert c.next_due_at == _live_min(c)  # None: nothing live after the first response
    assert c.next_due_at is None


def test_c3_breached_complaint_is_overdue_from_its_row_without_a_sweep(frozen, make_complaint, qa):
    # Logged on time 5 days ago (issue 9: a receipt back-dated past 3 days runs from its entry).
    frozen.move_to(TUESDAY_10 - datetime.timedelta(days=5))
    old = make_complaint(received_at=TUESDAY_10 - datetime.timedelta(days=5))
    frozen.move_to(TUESDAY_10)
    new = make_complaint()
    overdue = selectors.complaint_list(qa, selectors.Filters(overdue=True))
    assert list(overdue) == [old]
    row = selectors.complaint_list(qa).get(pk=old.pk)
    assert row.overdue is True and row.next_due == Deadline.objects.get(subject_id=old.pk).due_at
    assert selectors.complaint_list(qa).get(pk=new.pk).overdue is False


def test_c3_calendar_recompute_moves_the_rows_next_due(frozen, make_complaint):
    c = make_complaint()
    c.refresh_from_db()
    before = c.next_due_at
    # Shorter working periods: the 8 working hours end later.
    calendar = WorkCalendar(periods=parse_periods([["09:00", "12:00"]]))
    assert deadlines_recompute(dates=None, reason="test periods", calendar=calendar) == 1
    c.refresh_from_db()
    assert c.next_due_at > before
    assert c.next_due_at == Deadline.objects.get(subject_id=c.pk, state=DeadlineState.OPEN).due_at


def test_search_document_cuts_chinese_into_two_character_words():
    doc = search_document(["TS-2026-000001", "楼上漏水", None, "138", "3-201", ""])
    assert doc.startswith("ts-2026-000001 楼上漏水 138 3-201")
    assert " 楼上 " in doc and " 上漏 " in doc and " 漏水 " in doc and " 水 " in doc
    assert search_pattern("漏水") == ("word", " 漏水")
    assert search_pattern(" 漏 ") == ("word", " 漏")
    assert search_pattern("楼上漏") == ("text", "楼上漏")
    assert search_pattern("TS-2026") == ("text", "ts-2026")
    assert search_pattern("   ") is None


def test_c2_search_finds_content_number_contact_unit_and_resident(frozen, make_complaint, qa, resident_a):
    leak = make_complaint(content="楼上漏水到我家", contact_name="王先生", contact_phone="13700001111")
    noise = make_complaint(content="晚上噪音太大", resident=resident_a)
    unit = UnitFactory(building=resident_a.unit.building, number="7-702")
    other = make_complaint(content="门禁坏了", unit=unit)

    def found(text):
        return set(selectors.complaint_list(qa, selectors.Filters(text=text)))

    assert found("漏水") == {leak}
    assert found("漏") == {leak}
    assert found("水到我") == {leak}
    assert found("王先生") == {leak}
    assert found("0001111") == {leak}
    assert found(leak.number.lower()) == {leak}
    assert found("李女士") == {noise}
    assert found("7-702") == {other}
    assert found("噪音") == {noise}
    assert found("漏电") == set()


def test_search_column_follows_a_changed_content(frozen, make_complaint, qa):
    c = make_complaint(content="灯不亮")
    c.content = "电梯停运"
    c.save(update_fields=["content"])
    assert list(selectors.complaint_list(qa, selectors.Filters(text="电梯"))) == [c]


def test_keyset_cursor_round_trip_and_garbage():
    keys = (Key("received_at", desc=True), Key("id", desc=True))
    moment = datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC)
    assert decode_cursor(encode_cursor([moment, 5]), keys) == [moment, 5]
    for junk in ("", "!!!", "e30", encode_cursor([None, 5]), encode_cursor([1]), "x" * 600):
        assert decode_cursor(junk, keys) is None
    assert after(keys, [moment, 5])


@pytest.mark.parametrize("sort", ["-received", "received", "due", "class", "state", "number", "-number"])
def test_keyset_pages_visit_every_complaint_once_in_order(frozen, make_complaint, cs_a, qa, sort):
    made = [make_complaint(received_at=TUESDAY_10 - datetime.timedelta(hours=n % 7, minutes=n)) for n in range(23)]
    for c in made[::3]:  # some answered (no next due), some classified: nulls in both nullable keys
        services.complaint_respond(complaint=c, by=cs_a, how="call", note="已致歉")
    for c in made[::4]:
        c.refresh_from_db()
        services.complaint_classify(complaint=c, by=qa, complaint_class=1 + c.pk % 3, category="repairs")
    f = selectors.Filters(sort=sort)
    expected = list(selectors.complaint_list(qa, f))
    seen, cursor = [], None
    for _page in range(10):
        page = selectors.complaint_list_page(qa, f, cursor, size=5)
        seen.extend(page.object_list)
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected and len(seen) == 23


def test_list_pages_show_next_without_a_count(frozen, make_complaint, client_a, django_assert_max_num_queries):
    for n in range(30):
        make_complaint(received_at=TUESDAY_10 - datetime.timedelta(minutes=n))
    first = client_a.get(reverse("complaints:list"))
    assert first.context["page_obj"].has_next
    cursor = first.context["page_obj"].next_cursor
    # Issue 10: 9 — the office select's options and the user's scope are one query.
    with django_assert_max_num_queries(9) as captured:
        second = client_a.get(reverse("complaints:list") + f"?after={cursor}")
    assert len(second.context["complaints"]) == 5 and not second.context["page_obj"].has_next
    complaint_sql = [q["sql"].upper() for q in captured.captured_queries if "COMPLAINTS_COMPLAINT" in q["sql"].upper()]
    assert len(complaint_sql) == 1 and "COUNT(" not in complaint_sql[0] and "OFFSET" not in complaint_sql[0]


@pytest.mark.parametrize(
    ("url_name", "pinned"), [("complaints:list", 9), ("complaints:work_log", 10), ("complaints:return_visits", 10)]
)
def test_list_pages_query_count_is_pinned(
    frozen, make_complaint, client_a, django_assert_max_num_queries, url_name, pinned, resident_a
):
    make_complaint(resident=resident_a)
    with django_assert_max_num_queries(pinned) as small:
        assert client_a.get(reverse(url_name)).status_code == 200
    for _ in range(15):
        make_complaint(resident=resident_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client_a.get(reverse(url_name) + "?sort=due&text=灯").status_code == 200


def test_work_log_pages_by_keyset(frozen, make_complaint, client_a):
    made = [make_complaint(received_at=TUESDAY_10 - datetime.timedelta(minutes=n)) for n in range(27)]
    first = client_a.get(reverse("complaints:work_log"))
    page = first.context["page_obj"]
    assert [c.pk for c in page.object_list] == [c.pk for c in made[:25]] and page.has_next
    second = client_a.get(reverse("complaints:work_log") + f"?after={page.next_cursor}")
    assert [c.pk for c in second.context["complaints"]] == [c.pk for c in made[25:]]
    assert Complaint.objects.count() == 27
