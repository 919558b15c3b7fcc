"""Issue 9 item 2 through Chromium: the front desk logs a complaint, presses Back and 登记 again — one
complaint, and the page says it may be a duplicate of the first (with the choice to log it anyway)."""

from __future__ import annotations

import pytest

from tests.browser.test_login_dashboard import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]


def test_issue9_resubmit_after_back_makes_one_complaint(new_page, screenshot, frontdesk_a, office_a):
    from complaints.models import Complaint

    desk = new_page()
    log_in(desk, "frontdesk_a")
    desk.goto("/complaints/new/")
    desk.fill("#id_contact_name", "王先生")
    desk.fill("#id_contact_phone", "13800001111")
    desk.fill("#id_content", "地下车库照明坏了")
    with desk.expect_navigation():
        desk.click("form.tj-intake button[type=submit]")
    first = Complaint.objects.get()
    assert desk.url.endswith(first.get_absolute_url())

    desk.go_back()
    desk.wait_for_selector("form.tj-intake")
    # Whatever the browser restored (its cache with the old token, or a fresh page with a new one),
    # the same resident and text are typed and 登记 pressed again.
    if desk.input_value("#id_content") != "地下车库照明坏了":
        desk.fill("#id_contact_name", "王先生")
        desk.fill("#id_contact_phone", "13800001111")
        desk.fill("#id_content", "地下车库照明坏了")
    with desk.expect_navigation():
        desk.click("form.tj-intake button[type=submit]")
    assert Complaint.objects.count() == 1
    if "/complaints/new/" in desk.url:
        warning = desk.locator(".tj-duplicate")
        assert first.number in warning.inner_text()
        screenshot(desk, "complaint-intake-duplicate-desktop")
    else:  # the restored page kept its token: the first complaint is shown again
        assert desk.url.endswith(first.get_absolute_url())
    assert desk.console_errors == []
