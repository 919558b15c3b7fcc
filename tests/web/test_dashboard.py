"""The dashboard: my open deadlines in three groups, the latest messages, the calendar warning."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from clock import selectors as clock_selectors
from clock.models import DeadlineState
from estates.models import Role
from tests.web.conftest import NOW

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_c3_dashboard_groups_overdue_due_soon_and_provisional(frozen, client_a, frontdesk_a, office_b, make_deadline):
    overdue = make_deadline(due_at=NOW - 2 * HOUR, responsible_user=frontdesk_a, title="逾期的投诉回复")
    due_soon = make_deadline(due_at=NOW + 3 * HOUR, responsible_role=Role.FRONT_DESK, title="即将到期的回复")
    provisional = make_deadline(
        due_at=NOW + 300 * 24 * HOUR, responsible_user=frontdesk_a, provisional=True, rule="S5", title="暂定的派发"
    )
    later = make_deadline(due_at=NOW + 5 * 24 * HOUR, responsible_user=frontdesk_a, title="下周的事")
    done = make_deadline(due_at=NOW - HOUR, responsible_user=frontdesk_a, title="已完成的事")
    done.__class__.objects.filter(pk=done.pk).update(state=DeadlineState.MET, closed_at=NOW - 2 * HOUR)
    elsewhere = make_deadline(
        due_at=NOW - HOUR, office=office_b, responsible_role=Role.FRONT_DESK, title="别的管理处的事"
    )

    response = client_a.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["overdue"] == [overdue]
    assert response.context["due_soon"] == [due_soon]
    assert response.context["provisional"] == [provisional]

    html = response.content.decode()
    assert "逾期的投诉回复" in section(html, "overdue")
    assert "tj-deadline-overdue" in section(html, "overdue")
    assert "即将到期的回复" in section(html, "due-soon")
    assert "暂定的派发" in section(html, "provisional")
    assert "暂定" in section(html, "provisional")
    for absent in (later.title, done.title, elsewhere.title):
        assert absent not in html
    # Due times are shown in Shanghai time (UTC+8), not UTC: 08:00 local is 00:00 UTC.
    assert "2026-03-10 08:00" in section(html, "overdue")
    assert "2026-03-10 13:00" in section(html, "due-soon")
    # Rule ID, office and responsible person (a role when nobody is named).
    assert "C3" in section(html, "overdue")
    assert frontdesk_a.offices.get().name in section(html, "overdue")
    assert str(frontdesk_a) in section(html, "overdue")
    assert str(Role.FRONT_DESK.label) in section(html, "due-soon") or "前台" in section(html, "due-soon")


def test_dashboard_links_only_local_paths(frozen, client_a, frontdesk_a, make_deadline):
    make_deadline(due_at=NOW - HOUR, responsible_user=frontdesk_a, title="本地链接", link="/complaints/7/")
    make_deadline(
        due_at=NOW - HOUR, responsible_user=frontdesk_a, title="危险链接", link="javascript:alert(1)", rule="C8"
    )
    html = client_a.get(reverse("dashboard")).content.decode()
    assert '<a href="/complaints/7/">本地链接</a>' in html
    assert "javascript:" not in html
    assert "危险链接" in html


def test_dashboard_query_count_does_not_grow_with_rows(
    frozen, client_a, frontdesk_a, make_deadline, make_notification, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            make_deadline(due_at=NOW - (i + 1) * HOUR, responsible_user=frontdesk_a)
            make_deadline(due_at=NOW + (i + 1) * HOUR / 4, responsible_role=Role.FRONT_DESK)
            make_deadline(due_at=NOW + (i + 48) * HOUR, responsible_user=frontdesk_a, provisional=True, rule="S5")
            make_notification(frontdesk_a, link="/inbox/")

    add(2)
    client_a.get(reverse("dashboard"))  # warm the ContentType cache
    # session, user, office ids, three deadline groups, the supervised breach groups (one read of
    # the breach counts: the front desk supervises nothing), five messages, two permission reads for
    # the menu, the office names, the unread count, the front desk's complaints and register entries
    # of today; plus the savepoint pair.
    with django_assert_max_num_queries(16) as few:
        client_a.get(reverse("dashboard"))
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client_a.get(reverse("dashboard"))
    assert len(response.context["overdue"]) == 12
    assert len(response.context["inbox_items"]) == 5


def test_dashboard_shows_the_latest_five_own_messages(frozen, client_a, frontdesk_a, frontdesk_b, make_notification):
    mine = [make_notification(frontdesk_a, title=f"我的消息{i}") for i in range(7)]
    make_notification(frontdesk_b, title="别人的消息")
    response = client_a.get(reverse("dashboard"))
    assert response.context["inbox_items"] == mine[:5]
    html = response.content.decode()
    assert "别人的消息" not in html
    assert "我的消息5" not in html


def test_calendar_warning_banner_names_the_year(frozen, client, company_admin, monkeypatch):
    monkeypatch.setattr(clock_selectors, "calendar_warning_for", lambda user, **kw: 2027, raising=False)
    client.force_login(company_admin)
    html = client.get(reverse("dashboard")).content.decode()
    assert "tj-calendar-warning" in html
    assert "尚未录入 2027 年国务院节假日安排，2027 年的期限均为暂定。" in html


def test_no_calendar_banner_when_nothing_is_missing(frozen, client, company_admin, monkeypatch):
    monkeypatch.setattr(clock_selectors, "calendar_warning_for", lambda user, **kw: None, raising=False)
    client.force_login(company_admin)
    assert "tj-calendar-warning" not in client.get(reverse("dashboard")).content.decode()


def test_dashboard_works_without_the_clock_warning_selector(frozen, client_a, monkeypatch):
    monkeypatch.delattr(clock_selectors, "calendar_warning_for", raising=False)
    response = client_a.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.context["calendar_warning"] is None


@pytest.mark.skipif(not hasattr(clock_selectors, "calendar_warning_for"), reason="clock has no warning selector yet")
def test_calendar_warning_from_november_for_the_admin_only(client, company_admin, frontdesk_a):
    # chinesecalendar covers 2026 but not 2027: from 1 November the admin is warned (foundation issue 4).
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, 0, tzinfo=NOW.tzinfo), tick=False):
        client.force_login(company_admin)
        assert "2027" in client.get(reverse("dashboard")).content.decode().split("tj-calendar-warning", 1)[-1][:400]
        client.force_login(frontdesk_a)
        assert "tj-calendar-warning" not in client.get(reverse("dashboard")).content.decode()


def test_welcome_names_the_office_or_all_offices(frozen, client, frontdesk_a, qa):
    client.force_login(frontdesk_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert "科信管理处" in html
    client.force_login(qa)
    html = client.get(reverse("dashboard")).content.decode()
    assert "所有管理处" in html


def test_c3_qa_sees_the_breaches_it_supervises_in_every_office_and_nothing_else(
    frozen, client, qa, office_b, make_deadline
):
    """C3: "QA is informed" — a breached first-response deadline of the front desk names QA as its
    escalation target, so QA's dashboard lists it under the breaches it supervises."""
    breached = make_deadline(
        due_at=NOW - HOUR, responsible_role=Role.FRONT_DESK, escalate_roles=[Role.QA_STAFF], title="甲处超期回复"
    )
    breached_b = make_deadline(
        due_at=NOW - 2 * HOUR,
        office=office_b,
        responsible_role=Role.FRONT_DESK,
        escalate_roles=[Role.QA_STAFF],
        title="乙处超期回复",
    )
    still_open = make_deadline(
        due_at=NOW + HOUR, responsible_role=Role.FRONT_DESK, escalate_roles=[Role.QA_STAFF], title="未到期"
    )
    qa_manager_only = make_deadline(
        due_at=NOW - HOUR, responsible_role=Role.FRONT_DESK, escalate_roles=[Role.QA_MANAGER], title="质管经理督办"
    )
    for deadline in (breached, breached_b, still_open, qa_manager_only):
        deadline.__class__.objects.filter(pk=deadline.pk, due_at__lte=NOW).update(state=DeadlineState.BREACHED)

    client.force_login(qa)
    response = client.get(reverse("dashboard"))
    # One row per (rule, office), oldest first; the rows themselves are on the supervised list.
    groups = response.context["supervised_groups"]
    assert [(g.rule, g.office_id, g.count) for g in groups] == [
        ("C3", office_b.pk, 1),
        ("C3", breached.office_id, 1),
    ]
    html = section(response.content.decode(), "supervised")
    assert office_b.name in html and breached.office.name in html
    listed = client.get(reverse("supervised")).content.decode()
    assert "甲处超期回复" in listed and "乙处超期回复" in listed
    assert "未到期" not in listed and "质管经理督办" not in listed


def test_front_desk_has_no_supervised_section(frozen, client_a, make_deadline):
    deadline = make_deadline(due_at=NOW - HOUR, responsible_role=Role.QA_STAFF, escalate_roles=[Role.QA_MANAGER])
    deadline.__class__.objects.filter(pk=deadline.pk).update(state=DeadlineState.BREACHED)
    response = client_a.get(reverse("dashboard"))
    assert response.context["supervised_groups"] == []
    assert 'id="supervised"' not in response.content.decode()
