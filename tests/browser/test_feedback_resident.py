"""The resident page through Chromium (issue 11, F1 online): a resident submits on a 360 px phone
without an account or JavaScript needs and follows the private tracking link; the front desk finds it
in the register and answers; the resident sees the answer and says "not solved"; it reopens and the
office is told. Then the F2 archive page draws its Pareto chart from the vendored ECharts (SVG)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.browser.conftest import PHONE
from tests.browser.test_login_dashboard import log_in, no_horizontal_scroll
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]

MESSAGE = "5栋楼道灯坏了一个星期，晚上很黑<b>请尽快</b>"


def test_f1_resident_submits_follows_and_reopens(new_page, screenshot, settings, live_server, unit_a, frontdesk_a):
    from clock.models import Notification
    from feedback.models import Entry
    from feedback.rules import State
    from feedback.services.public import page_for

    cache.clear()
    settings.SITE_URL = live_server.url
    page = page_for(unit_a.building.community)

    # --- the resident, on a phone, no account ---------------------------------------------------
    resident = new_page(viewport=PHONE)
    resident.goto(f"/feedback/r/{page.key}/")
    assert resident.locator("html").get_attribute("lang") == "zh-Hans"
    assert resident.locator("h1").inner_text() == unit_a.building.community.name
    resident.check("input[name=kind][value=service]")
    resident.fill("#id_content", MESSAGE)
    resident.select_option("#id_building", str(unit_a.building_id))
    resident.fill("#id_unit_number", unit_a.number)
    resident.fill("#id_contact_phone", "138 1234 5678")
    scroll, width = no_horizontal_scroll(resident)
    assert scroll <= width
    screenshot(resident, "feedback-resident-page-360")
    with resident.expect_navigation():
        resident.click("button[type=submit]")
    assert resident.locator("h1").inner_text() == "谢谢，我们已收到"
    screenshot(resident, "feedback-resident-thanks-360")
    with resident.expect_navigation():
        resident.click("a.btn-primary")
    tracking_url = resident.url
    assert "/feedback/t/" in tracking_url
    assert MESSAGE in resident.locator(".card-body").inner_text()  # shown as text, never as markup
    assert resident.locator(".badge").first.inner_text() == "待处理" or resident.locator(".badge").count() > 0

    entry = Entry.objects.get()
    assert entry.channel == "online" and entry.unit == unit_a

    # --- the front desk finds it in the register and answers ------------------------------------
    desk = new_page()
    log_in(desk, frontdesk_a.username)
    desk.goto("/feedback/?channel=online")
    row = desk.locator("table.tj-register tbody tr", has_text="5栋楼道灯坏了")
    assert row.count() == 1
    with desk.expect_navigation():
        row.locator("a").first.click()
    desk.select_option("#id_state", "done")
    desk.fill("#id_action", "已更换灯管")
    desk.fill("#id_outcome", "楼道灯已修好")
    desk.fill("#id_reply", "您好，楼道灯已经更换，请您确认。")
    with desk.expect_navigation():
        desk.click("form[action$='/update/'] button[type=submit]")
    assert desk.locator(".alert-danger").count() == 0
    entry.refresh_from_db()
    assert entry.state == State.DONE
    screenshot(desk, "feedback-entry-desktop")

    # --- the resident sees the answer and says "not solved" -------------------------------------
    resident.goto(tracking_url)
    assert "您好，楼道灯已经更换，请您确认。" in resident.content()
    assert "已更换灯管" not in resident.content()  # internal notes stay internal
    resident.check("input[name=solved][value=no]")
    resident.fill("#id_note", "只换了一层，五楼还是黑的")
    screenshot(resident, "feedback-tracking-question-360")
    with resident.expect_navigation():
        resident.click("form[action$='/answer/'] button[type=submit]")
    assert "管理处正在重新处理" in resident.content()
    assert resident.locator("input[name=solved]").count() == 0  # asked once
    entry.refresh_from_db()
    assert entry.state == State.OPEN and entry.reopen_count == 1
    assert Notification.objects.filter(recipient=frontdesk_a, title__contains=entry.number).exists()

    desk.goto("/feedback/?open_only=on")
    assert desk.locator("table.tj-register tbody tr", has_text="5栋楼道灯坏了").locator(".badge").count() >= 1
    assert not resident.console_errors, resident.console_errors
    assert not desk.console_errors, desk.console_errors


def test_f2_archive_pareto_chart_draws_without_a_cdn(new_page, screenshot, company, office_a, frontdesk_a):
    from feedback.services import archive_generate, entry_create

    manager = UserFactory(username="officemanager_a", role="office_manager", company=company, offices=[office_a])
    for category, n in (("repairs", 4), ("parking", 2), ("security", 1)):
        for i in range(n):
            entry_create(
                office=office_a,
                by=frontdesk_a,
                channel="phone",
                kind="opinion",
                category=category,
                content=f"{category}{i}",
                received_at=timezone.now() - datetime.timedelta(minutes=5),
            )
    archive, _created = archive_generate(office=office_a, month=timezone.localdate().replace(day=1))
    page = new_page()
    log_in(page, manager.username)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/feedback/archives/{archive.pk}/")
    page.locator("#pareto-chart svg").wait_for()
    assert page.locator("#pareto-chart svg path").count() > 0
    assert all(url.startswith(page.url.split("/feedback/")[0]) for url in requests)
    screenshot(page, "feedback-archive-pareto-desktop")
    assert not page.console_errors, page.console_errors
