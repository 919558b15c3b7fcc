"""Issue 9, the dashboards as the people who use them all day see them: the front desk's 登记投诉
button and what they logged today, empty deadline groups as one line, QA's supervised breaches grouped
by rule and office (one aggregate query), and the one-line menu's groups."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from clock.models import DeadlineState
from estates.models import Role
from feedback.models import Entry
from feedback.rules import Channel, Kind
from tests.factories import ComplaintFactory, UserFactory
from tests.web.conftest import NOW, SHANGHAI

HOUR = datetime.timedelta(hours=1)
# Half past midnight in Shanghai is still "yesterday" in UTC (16:30): the office's day counts.
JUST_AFTER_MIDNIGHT = datetime.datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI)


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return html[start : end if end != -1 else None]


def _complaint(user, office, at, content):
    return ComplaintFactory(office=office, received_by=user, received_at=at, content=content)


def _entry(user, office, at, content, complaint=None):
    return Entry.objects.create(
        office=office,
        channel=Channel.PHONE,
        kind=Kind.ENQUIRY,
        content=content,
        received_at=at,
        received_by=user,
        complaint=complaint,
    )


# ---------------------------------------------------------------------------------------------
# 1. The front desk: a prominent 登记投诉 button and what they logged today


def test_front_desk_dashboard_has_the_log_buttons(client_a):
    with time_machine.travel(NOW, tick=False):
        html = client_a.get(reverse("dashboard")).content.decode()
    buttons = html[html.index("tj-log-buttons") : html.index("tj-logged-today")]
    assert f'href="{reverse("complaints:create")}"' in buttons
    assert "登记投诉" in buttons and "btn-lg" in buttons
    assert f'href="{reverse("feedback:create")}"' in buttons
    assert "登记来访来电" in buttons


def test_qa_dashboard_has_no_front_desk_part(client, qa):
    client.force_login(qa)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("dashboard")).content.decode()
    assert "tj-log-buttons" not in html and "tj-logged-today" not in html


def test_front_desk_sees_what_they_logged_today_in_the_offices_day(client_a, frontdesk_a, office_a, office_b):
    other = UserFactory(role=Role.FRONT_DESK, company=office_a.company, offices=[office_a])
    today = _complaint(
        frontdesk_a, office_a, JUST_AFTER_MIDNIGHT - 20 * datetime.timedelta(minutes=1), "今天零点十分的投诉"
    )
    _complaint(frontdesk_a, office_a, JUST_AFTER_MIDNIGHT - HOUR, "昨天深夜的投诉")  # 23:30 yesterday
    _complaint(other, office_a, JUST_AFTER_MIDNIGHT - 10 * datetime.timedelta(minutes=1), "同事登记的投诉")
    entry = _entry(frontdesk_a, office_a, JUST_AFTER_MIDNIGHT - 5 * datetime.timedelta(minutes=1), "咨询停车月卡")
    mirrored = _complaint(frontdesk_a, office_a, JUST_AFTER_MIDNIGHT - 15 * datetime.timedelta(minutes=1), "镜像")
    _entry(frontdesk_a, office_a, mirrored.received_at, "投诉的登记簿镜像", complaint=mirrored)

    with time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False):
        response = client_a.get(reverse("dashboard"))
    html = section(response.content.decode(), "logged-today")
    assert "我今天登记的" in html
    assert today.number in html and f'href="{today.get_absolute_url()}"' in html
    assert "今天零点十分的投诉" in html
    assert entry.number in html and f'href="{entry.get_absolute_url()}"' in html
    assert "昨天深夜的投诉" not in html
    assert "同事登记的投诉" not in html
    # A complaint's own F1 entry is not listed a second time.
    assert "投诉的登记簿镜像" not in html
    assert mirrored.number in html


def test_front_desk_today_is_empty_in_one_line(client_a):
    with time_machine.travel(NOW, tick=False):
        html = section(client_a.get(reverse("dashboard")).content.decode(), "logged-today")
    assert "今天还没有登记。" in html


def test_front_desk_today_costs_the_same_queries_however_much_was_logged(
    client_a, frontdesk_a, office_a, django_assert_max_num_queries
):
    def log(n):
        for i in range(n):
            _complaint(frontdesk_a, office_a, NOW - (i + 1) * datetime.timedelta(minutes=3), f"投诉{i}")
            _entry(frontdesk_a, office_a, NOW - (i + 1) * datetime.timedelta(minutes=2), f"登记{i}")

    with time_machine.travel(NOW, tick=False):
        log(1)
        client_a.get(reverse("dashboard"))
        with django_assert_max_num_queries(30) as few:
            client_a.get(reverse("dashboard"))
        log(12)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client_a.get(reverse("dashboard"))
    html = section(response.content.decode(), "logged-today")
    assert html.count("tj-today-complaint") == 8 and html.count("tj-today-entry") == 8
    assert "今天受理的全部投诉" in html and "今天的全部沟通登记" in html


# ---------------------------------------------------------------------------------------------
# 2. Empty deadline groups collapse; the provisional card only when there is one


def test_empty_groups_are_one_line_and_no_provisional_card(client_a):
    with time_machine.travel(NOW, tick=False):
        html = client_a.get(reverse("dashboard")).content.decode()
    assert '<section class="card' not in html.split('id="overdue"')[0][-300:]
    assert 'class="tj-bucket-empty" id="overdue"' in html
    assert 'class="tj-bucket-empty" id="due-soon"' in html
    assert html.count('id="overdue"') == 1
    assert "暂定期限" not in html and 'id="provisional"' not in html
    assert "没有暂定期限" not in html


def test_a_provisional_deadline_shows_its_card(client_a, frontdesk_a, make_deadline):
    with time_machine.travel(NOW, tick=False):
        make_deadline(
            due_at=NOW + 300 * 24 * HOUR, responsible_user=frontdesk_a, provisional=True, rule="S5", title="暂定的派发"
        )
        html = client_a.get(reverse("dashboard")).content.decode()
    assert "暂定期限" in section(html, "provisional") and "暂定的派发" in section(html, "provisional")
    assert 'section class="card mb-3 tj-bucket" id="provisional"' in html


def test_a_full_group_is_a_card_and_the_empty_one_a_line(client_a, frontdesk_a, make_deadline):
    with time_machine.travel(NOW, tick=False):
        make_deadline(due_at=NOW - HOUR, responsible_user=frontdesk_a, title="逾期的投诉回复")
        html = client_a.get(reverse("dashboard")).content.decode()
    assert 'class="card border-danger mb-3 tj-bucket" id="overdue"' in html
    assert "没有超期事项" not in html
    assert 'class="tj-bucket-empty" id="due-soon"' in html


def test_a_long_group_shows_five_and_folds_the_rest(client_a, frontdesk_a, make_deadline):
    """A department manager with twenty overdue corrective actions sees the five most overdue and one
    toggle for the rest, not a 5,000 px column on a phone."""
    with time_machine.travel(NOW, tick=False):
        for i in range(8):
            make_deadline(due_at=NOW - (i + 1) * HOUR, responsible_user=frontdesk_a, title=f"逾期事项{i + 1}")
        html = client_a.get(reverse("dashboard")).content.decode()
    overdue = section(html, "overdue")
    shown, folded = overdue.split('<details class="tj-more-deadlines', 1)
    assert shown.count('class="tj-deadline tj-deadline-overdue"') == 5
    assert folded.count('class="tj-deadline tj-deadline-overdue"') == 3
    assert "显示其余 3 项" in folded
    assert "逾期事项8" in shown and "逾期事项1" in folded  # the most overdue first


# ---------------------------------------------------------------------------------------------
# 3. QA: supervised breaches grouped by rule and office


@pytest.fixture
def breaches(make_deadline, office_a, office_b):
    def make(n, *, rule="C3", office=None, start=1):
        made = []
        for i in range(n):
            d = make_deadline(
                due_at=NOW - (start + i) * HOUR,
                office=office or office_a,
                rule=rule,
                responsible_role=Role.FRONT_DESK,
                escalate_roles=[Role.QA_STAFF],
                title=f"{rule}超期{start + i}",
            )
            d.__class__.objects.filter(pk=d.pk).update(state=DeadlineState.BREACHED)
            made.append(d)
        return made

    return make


def test_qa_sees_one_row_per_rule_and_office_with_count_and_oldest(client, qa, office_a, office_b, breaches):
    with time_machine.travel(NOW, tick=False):
        breaches(25, rule="C3", office=office_a)
        breaches(4, rule="C3", office=office_b, start=30)
        breaches(2, rule="C11", office=office_a, start=3)
        client.force_login(qa)
        response = client.get(reverse("dashboard"))
    html = section(response.content.decode(), "supervised")
    rows = html.count("data-rule=")
    assert rows == 3
    # Oldest first: office B's C3 (due 33 hours ago), then office A's C3 (25 h), then C11 (4 h).
    groups = [(g.rule, g.office_id, g.count) for g in response.context["supervised_groups"]]
    assert groups == [("C3", office_b.pk, 4), ("C3", office_a.pk, 25), ("C11", office_a.pk, 2)]
    assert "25 项" in html and "4 项" in html and "2 项" in html
    oldest_b = (NOW - 33 * HOUR).strftime("%Y-%m-%d %H:%M")
    assert oldest_b in html
    # The rows link to the filtered list, not to 31 cards on the dashboard.
    assert f'href="{reverse("supervised")}?rule=C3&amp;office={office_a.pk}"' in html
    assert "C3超期" not in html and html.count("tj-deadline ") == 0
    assert html.count(">31<") == 1  # the total in the header


def test_qa_groups_cost_one_query_however_many_breaches(
    client, qa, office_a, office_b, breaches, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(qa)
        breaches(2, rule="C3", office=office_a)
        client.get(reverse("dashboard"))
        # Issue 10: the groups are two queries (the breach counts with each group's oldest due time, and
        # QA's own breached deadlines among them), read from clock_breachcount, not from every breach.
        with django_assert_max_num_queries(15) as few:
            client.get(reverse("dashboard"))
        breaches(20, rule="C3", office=office_b, start=10)
        breaches(5, rule="C11", office=office_a, start=40)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("dashboard"))
    assert len(response.context["supervised_groups"]) == 3


def test_qa_sees_the_oldest_twenty_groups_the_whole_total_and_how_many_more(client, qa, office_a, office_b, breaches):
    # Issue 10: 22 groups (11 rules x 2 offices); the dashboard renders the 20 oldest, the badge counts
    # every supervised breach, and a footer says two more groups are on the supervised list.
    with time_machine.travel(NOW, tick=False):
        for i in range(11):
            breaches(1, rule=f"R{i}", office=office_a, start=10 + i)
            breaches(2, rule=f"R{i}", office=office_b, start=50 + i)
        client.force_login(qa)
        response = client.get(reverse("dashboard"))
    html = section(response.content.decode(), "supervised")
    assert html.count("data-rule=") == 20
    assert response.context["supervised_total"] == 33 and html.count(">33<") == 1
    assert response.context["supervised_hidden"] == 2
    assert "另有 2 组，超期时间较近。" in html
    # The two groups breached most recently are the hidden ones: office A's R0 and R1 (due 10 and 11
    # hours ago); the oldest, office B's R10 (61 hours), comes first.
    shown = [(g.rule, g.office_id) for g in response.context["supervised_groups"]]
    assert ("R0", office_a.pk) not in shown and ("R1", office_a.pk) not in shown
    assert shown[0] == ("R10", office_b.pk) and shown[-1] == ("R2", office_a.pk)


def test_the_supervised_list_shows_one_group_and_pages(client, qa, office_a, office_b, breaches, frontdesk_b):
    with time_machine.travel(NOW, tick=False):
        a_c3 = breaches(30, rule="C3", office=office_a)
        breaches(2, rule="C3", office=office_b, start=50)
        breaches(2, rule="C11", office=office_a, start=60)
        client.force_login(qa)
        url = reverse("supervised")
        first = client.get(url, {"rule": "C3", "office": office_a.pk})
        html = first.content.decode()
        assert first.status_code == 200
        assert html.count("tj-deadline ") == 25
        assert "C11超期" not in html and "C3超期50" not in html
        # Oldest first; the next page carries the filter.
        assert html.index("C3超期30") < html.index("C3超期29")
        page = first.context["page_obj"]
        assert page.has_next
        second = client.get(url, {"rule": "C3", "office": office_a.pk, "after": page.next_cursor}).content.decode()
        assert second.count("tj-deadline ") == 5
        assert f"rule=C3&amp;office={office_a.pk}&amp;after=" in html
        assert {d.pk for d in page.object_list} < {d.pk for d in a_c3}
        # Someone supervising nothing sees nothing, whatever the filter says.
        client.force_login(frontdesk_b)
        assert "C3超期" not in client.get(url, {"rule": "C3", "office": office_a.pk}).content.decode()
        assert client.get(url, {"office": "x"}).status_code == 200


def test_the_supervised_list_costs_a_fixed_number_of_queries(
    client, qa, office_a, breaches, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(qa)
        breaches(2)
        client.get(reverse("supervised"))
        with django_assert_max_num_queries(20) as few:
            client.get(reverse("supervised"))
        breaches(20, start=10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(reverse("supervised"))


# ---------------------------------------------------------------------------------------------
# 4. The menu: rare entries in the "New" and "More" drop-downs, every entry still reachable


def test_menu_groups_keep_every_entry_reachable(client, company):
    staff = UserFactory(role=Role.COMPANY_ADMIN, company=company, is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    keys = [item["key"] for item in response.context["nav_items"]]
    for key in keys:
        assert f'data-nav="{key}"' in html
    top = [entry["key"] for entry in response.context["nav_menu"]]
    assert "group-more" in top and "group-new" in top
    for rare in ("admin", "calendar", "estates_import", "inspections_services", "inspections_repairs"):
        if rare in keys:
            assert rare not in top
    more = next(e for e in response.context["nav_menu"] if e["key"] == "group-more")
    assert {"admin", "estates_import"} <= {i["key"] for i in more["items"]}
    assert 'data-nav="group-more"' in html and "更多" in html and "新建" in html
