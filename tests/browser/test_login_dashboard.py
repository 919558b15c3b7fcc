"""A person logs in through Chromium and sees the dashboard, on a desktop and on a 360 px phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from estates.models import Role

PASSWORD = "pw-Tingjian-2026"  # tests.factories.UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]


@pytest.fixture
def overdue(frontdesk_a, make_deadline):
    now = timezone.now()
    make_deadline(due_at=now + datetime.timedelta(hours=3), responsible_role=Role.FRONT_DESK, title="回复302室漏水投诉")
    make_deadline(
        due_at=now + datetime.timedelta(days=400),
        responsible_user=frontdesk_a,
        provisional=True,
        rule="S5",
        title="派发2027年上半年满意度调查表",
    )
    return make_deadline(
        due_at=now - datetime.timedelta(hours=2), responsible_user=frontdesk_a, title="首次回复：3栋电梯停运投诉"
    )


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.tj-login-form button[type=submit]")
    page.wait_for_url("**/")


def no_horizontal_scroll(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_front_desk_logs_in_and_sees_the_overdue_deadline(new_page, screenshot, frontdesk_a, overdue):
    page = new_page()
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The vendored Bootstrap really loaded (served by the live server): the primary button is blue.
    color = page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor")
    assert color == "rgb(13, 110, 253)"
    screenshot(page, "login-desktop")

    log_in(page, "frontdesk_a")
    assert page.locator("h1").first.inner_text() == "工作台"
    overdue_section = page.locator("#overdue")
    assert "首次回复：3栋电梯停运投诉" in overdue_section.inner_text()
    assert page.locator("#provisional .tj-provisional").first.inner_text() == "暂定"
    # On a desktop the menu is expanded: no toggler.
    assert not page.locator(".navbar-toggler").is_visible()
    assert page.locator("#tj-nav [data-nav=inbox]").is_visible()
    screenshot(page, "dashboard-desktop")
    assert page.console_errors == []


def test_phone_360_menu_collapses_and_nothing_scrolls_sideways(new_page, screenshot, frontdesk_a, overdue):
    from tests.browser.conftest import PHONE

    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    # Anonymous: nothing to collapse; the language switch is right there.
    assert page.locator("form.tj-lang-switch button[value=en]").is_visible()
    width, inner = no_horizontal_scroll(page)
    assert width <= 360, f"login page is {width}px wide at a 360px viewport"
    screenshot(page, "login-360")

    log_in(page, "frontdesk_a")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#tj-nav [data-nav=inbox]").is_visible()
    width, inner = no_horizontal_scroll(page)
    assert width <= 360, f"dashboard is {width}px wide at a 360px viewport"
    # The deadline table is stacked into cards: every cell shows its column name.
    assert "首次回复：3栋电梯停运投诉" in page.locator("#overdue").inner_text()
    screenshot(page, "dashboard-360")

    toggler.click()
    page.locator("#tj-nav.collapse.show").wait_for(state="visible")  # the opening transition is over
    page.locator("#tj-nav [data-nav=inbox]").wait_for(state="visible")
    width, inner = no_horizontal_scroll(page)
    assert width <= 360
    screenshot(page, "dashboard-360-menu")
    assert page.console_errors == []


def test_logout_and_language_switch_in_the_browser(new_page, screenshot, frontdesk_a, overdue):
    page = new_page()
    log_in(page, "frontdesk_a")
    page.click("form.tj-lang-switch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "Dashboard"
    screenshot(page, "dashboard-desktop-en")
    page.click(".tj-user-toggle")
    page.click("form.tj-logout-form button")
    page.wait_for_url("**/accounts/login/")
    assert page.console_errors == []


def test_inbox_on_a_phone_opens_a_message(new_page, screenshot, frontdesk_a, make_notification):
    from tests.browser.conftest import PHONE

    make_notification(frontdesk_a, title="【已超期】C3 首次回复：3栋电梯停运投诉，请尽快处理", link="/inbox/?from=note")
    make_notification(frontdesk_a, title="【提醒】S5 满意度调查表派发将于明天到期", read=True)
    page = new_page(viewport=PHONE)
    log_in(page, "frontdesk_a")
    assert page.locator(".tj-nav-inbox .badge").inner_text() == "1"
    page.click(".tj-nav-inbox")
    page.wait_for_url("**/inbox/")
    width, _inner = no_horizontal_scroll(page)
    assert width <= 360
    screenshot(page, "inbox-360")
    page.click(".tj-unread button[type=submit]")
    page.wait_for_url("**/inbox/?from=note")
    assert page.locator(".tj-nav-inbox .badge").count() == 0
    page.goto("/no-such-page/")
    screenshot(page, "404-360")
    assert "页面不存在" in page.locator("h1").inner_text()
