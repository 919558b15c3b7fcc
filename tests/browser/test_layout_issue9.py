"""Issue 9 in Chromium: the menu on one line at 1366 px in English and Chinese (every entry still
reachable), QA's supervised breaches as a few grouped rows at 360 px, and the C14 summary's complaint
table as stacked cards at 360 px that fits the page at 1366 px."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from clock.models import DeadlineState
from complaints.reports import services as report_services
from estates.models import Role
from tests.browser.conftest import PHONE
from tests.browser.test_login_dashboard import log_in, no_horizontal_scroll
from tests.complaints.conftest import SH, engineering_a, make_complaint, resident_a  # noqa: F401
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]

WIDE = {"width": 1366, "height": 800}

# The bar's entries, the language switch and the user menu: where each sits.
NAV_GEOMETRY = """() => {
  const nav = document.querySelector('.tj-navbar');
  const items = [...document.querySelectorAll('#tj-nav .tj-nav-items > .nav-item')];
  const end = document.querySelector('.tj-nav-end').getBoundingClientRect();
  const container = document.querySelector('.tj-navbar .container-lg').getBoundingClientRect();
  return {
    height: nav.getBoundingClientRect().height,
    tops: [...new Set(items.map(i => i.offsetTop))],
    count: items.length,
    lastRight: Math.max(...items.map(i => i.getBoundingClientRect().right)),
    endLeft: end.left, endRight: end.right, endTop: end.top, endBottom: end.bottom,
    containerRight: container.right,
  };
}"""


@pytest.fixture
def admin_staff(company, office_a, office_b, make_notification):
    """The user with the longest menu: company admin, staff (Django admin), many unread messages."""
    user = UserFactory(
        username="admin_staff",
        role=Role.COMPANY_ADMIN,
        company=company,
        is_staff=True,
        first_name="管理员",
        last_name="公司",
    )
    for i in range(24):
        make_notification(user, title=f"消息{i}")
    return user


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_menu_is_one_line_at_1366(new_page, screenshot, admin_staff, qa, language):
    for user in (admin_staff, qa):
        page = new_page(viewport=WIDE)
        log_in(page, user.username)
        if language == "en":
            page.click("form.tj-lang-switch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        g = page.evaluate(NAV_GEOMETRY)
        assert g["count"] >= 7
        assert len(g["tops"]) == 1, f"{user.username} ({language}): menu entries on {len(g['tops'])} rows: {g}"
        assert g["height"] < 70, g
        # The entries, the language switch and the user menu share the row, inside the page's width.
        assert g["lastRight"] <= g["endLeft"] + 1, g
        assert g["endRight"] <= g["containerRight"] + 1, g
        screenshot(page, f"issue9-menu-1366-{language}-{user.username}")
        # Every entry stays reachable: the "More" menu opens and holds the rare ones.
        if user == admin_staff:
            page.click("[data-nav=group-more]")
            admin_link = page.locator("#tj-nav .dropdown-menu [data-nav=admin]")
            admin_link.wait_for(state="visible")
            assert page.locator("#tj-nav .dropdown-menu [data-nav=estates_import]").is_visible()
        assert page.console_errors == []


def test_qa_dashboard_at_360_groups_supervised_breaches(new_page, screenshot, qa, office_a, office_b, make_deadline):
    now = timezone.now()
    for i in range(40):
        office, rule = [(office_a, "C3"), (office_b, "C3"), (office_a, "C11")][i % 3]
        deadline = make_deadline(
            due_at=now - datetime.timedelta(hours=i + 1),
            office=office,
            rule=rule,
            responsible_role=Role.FRONT_DESK,
            escalate_roles=[Role.QA_STAFF],
            title=f"超期事项{i}",
        )
        deadline.__class__.objects.filter(pk=deadline.pk).update(state=DeadlineState.BREACHED)
    page = new_page(viewport=PHONE)
    log_in(page, "qa")
    section = page.locator("#supervised")
    assert section.locator(".tj-breach-group").count() == 3
    # Three rows, not forty cards: the section is a screen tall at most.
    height = section.evaluate("e => e.getBoundingClientRect().height")
    assert height < 700, f"supervised section is {height}px tall at 360px"
    width, _inner = no_horizontal_scroll(page)
    assert width <= 360
    screenshot(page, "issue9-qa-dashboard-360")
    # A row opens its items.
    section.locator(".tj-breach-group").first.click()
    page.wait_for_url("**/supervised/?rule=*")
    assert page.locator("tr.tj-deadline").count() > 0
    width, _inner = no_horizontal_scroll(page)
    assert width <= 360
    screenshot(page, "issue9-supervised-list-360")
    assert page.console_errors == []


@pytest.fixture
def summary(make_complaint, engineering_a, resident_a):  # noqa: F811
    jan_13 = datetime.datetime(2026, 1, 13, 10, 0, tzinfo=SH)
    with time_machine.travel(jan_13, tick=False):
        for text in (
            "楼上装修超时施工，管理处没有制止。",
            "小区门口市政路灯坏了很久，晚上很黑。",
            "卫生间漏水报修三天了还没人来处理",
        ):
            make_complaint(received_at=jan_13, department=engineering_a, resident=resident_a, content=text)
    with time_machine.travel(datetime.datetime(2026, 2, 2, 9, 0, tzinfo=SH), tick=False):
        made, _created = report_services.monthly_summary_generate(
            department=engineering_a, month=datetime.date(2026, 1, 1)
        )
    return made


@pytest.fixture
def eng_manager(office_a, engineering_a):  # noqa: F811
    return UserFactory(
        username="eng_manager",
        role=Role.DEPT_MANAGER,
        company=office_a.company,
        offices=[office_a],
        department=engineering_a,
    )


def test_summary_complaints_are_cards_at_360_and_fit_at_1366(new_page, screenshot, summary, eng_manager):
    phone = new_page(viewport=PHONE)
    log_in(phone, "eng_manager")
    phone.goto(summary.get_absolute_url())
    table = phone.locator("table.tj-summary-rows").first
    assert not table.locator("thead").is_visible()
    rows = table.locator("tbody tr.tj-summary-row")
    assert rows.count() == 3
    for i in range(3):
        box = rows.nth(i).bounding_box()
        assert box["width"] <= 360 and box["height"] > 150  # a card: the cells stacked
    # Each cell shows its column name; nothing scrolls sideways.
    assert "楼上装修超时施工" in rows.nth(0).inner_text() + rows.nth(1).inner_text() + rows.nth(2).inner_text()
    content_cell = rows.nth(0).locator("td.tj-col-content")
    assert content_cell.evaluate("td => getComputedStyle(td, '::before').content") == '"内容"'
    width, _inner = no_horizontal_scroll(phone)
    assert width <= 360
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    screenshot(phone, "issue9-summary-360")

    for language in ("zh-hans", "en"):
        wide = new_page(viewport=WIDE)
        log_in(wide, "eng_manager")
        if language == "en":
            wide.click("form.tj-lang-switch button[value=en]")
            wide.wait_for_load_state()
        wide.goto(summary.get_absolute_url())
        table = wide.locator("table.tj-summary-rows").first
        screenshot(wide, f"issue9-summary-1366-{language}")
        widths = table.evaluate(
            "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth,"
            " ...[...t.querySelectorAll('thead th')].map(th => Math.round(th.getBoundingClientRect().width))]"
        )
        # The table fits the page (no sideways scroll) and no column is one word a line: every header
        # and every short cell is one line tall, the content column is readable.
        assert widths[0] <= widths[1] + 1, f"{language}: {widths}"
        line = wide.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
        heights = table.evaluate(
            "t => [...t.querySelectorAll('thead th:not(.tj-col-ontime)')].map(th => th.clientHeight)"
        )
        assert max(heights) < 2 * line + 8, heights
        content_width = table.evaluate("t => t.querySelector('thead th.tj-col-content').getBoundingClientRect().width")
        assert content_width >= 150
        # Number, time, unit, resident, phone: one line; the labels (class, category, state): two at most.
        one_line = table.evaluate(
            "t => [...t.querySelectorAll('tbody tr.tj-summary-row td:not(.tj-col-content):not(.tj-col-short)"
            " .tj-cell')]"
            ".map(c => c.getBoundingClientRect().height)"
        )
        assert max(one_line) < 2 * line, one_line
        labels = table.evaluate(
            "t => [...t.querySelectorAll('tbody tr.tj-summary-row td.tj-col-short .tj-cell')]"
            ".map(c => c.getBoundingClientRect().height)"
        )
        assert max(labels) < 3 * line, labels
        screenshot(wide, f"issue9-summary-1366-{language}")
