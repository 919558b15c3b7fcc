"""A QA check through Chromium (issue 13, Q1): QA opens this month's check of an office (opened by the
beat job), sees the figures the product knows filled in with their source, and records a finding with
a corrective action; the office sees the action with its deadline on its checks page and records what
it did; QA verifies it after an effectiveness check."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from estates.models import Role
from tests.browser.conftest import PHONE
from tests.browser.test_login_dashboard import log_in, no_horizontal_scroll
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]

FINDING = "与顾客沟通登记表有3条缺少处理结果<b>!</b>"


@pytest.fixture
def setup(company, office_a, office_b, frontdesk_a, qa):
    from complaints import services as complaints
    from inspections.services import checks, standards

    cs = UserFactory(
        username="cs_a", display_name="黄助理", role=Role.CS_ASSISTANT, company=company, offices=[office_a]
    )
    complaints.complaint_create(
        office=office_a, received_by=frontdesk_a, channel="phone", content="楼道灯不亮", received_at=timezone.now()
    )
    standards.default_standard_ensure(company=company)
    checks.checks_open_due()  # what the hourly beat does
    return {"cs": cs}


def _submit(page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").first.inner_text()


def test_q1_qa_records_a_finding_office_acts_qa_verifies(new_page, screenshot, setup, office_a):
    from feedback.models import CorrectiveAction
    from inspections.models import Finding

    due = timezone.localdate() + datetime.timedelta(days=7)

    # --- QA opens this month's check of office A and sees the figures with their source ----------------
    qa = new_page()
    log_in(qa, "qa")
    qa.goto("/inspections/")
    qa.get_by_role("link", name=office_a.name).click()
    qa.wait_for_url("**/inspections/checks/*/")
    figures = qa.locator("[data-testid=figures]")
    c3 = figures.locator("tr", has_text="投诉首次回复及时率（C3）")
    assert "投诉：本期收到投诉的首次回复时限（C3）" in c3.inner_text()  # its source
    assert figures.locator("tr", has_text="受理投诉").locator("td").first.inner_text() == "1"

    # --- QA records a finding that becomes a corrective action ------------------------------------------
    form = qa.locator('form[action$="/findings/"]')
    form.locator("textarea[name=description]").fill(FINDING)
    form.locator("textarea[name=evidence]").fill("抽查本月来电登记")
    form.locator("select[name=owner]").select_option(label="黄助理")
    form.locator("input[name=due_on]").fill(due.isoformat())
    _submit(qa, form)
    finding = Finding.objects.get()
    assert finding.corrective_action.owner.username == "cs_a"
    block = qa.locator(f"#finding-{finding.pk}")
    assert FINDING in block.inner_text()  # escaped, shown as typed
    screenshot(qa, "inspection-qa-finding")

    # --- the office sees the action with its deadline and records what it did -----------------------------
    office = new_page(viewport=PHONE)
    log_in(office, "cs_a")
    office.goto("/inspections/")
    todo = office.locator("[data-testid=open-actions]")
    assert "与顾客沟通登记表有3条缺少处理结果" in todo.inner_text()
    assert due.isoformat() in todo.inner_text()
    todo.locator("a").first.click()
    office.wait_for_url("**/inspections/checks/**")
    action = office.locator(f"#finding-{finding.pk} [data-testid=action]")
    deadline = action.locator("[data-testid=deadline]").inner_text()
    assert (due + datetime.timedelta(days=1)).isoformat() in deadline  # 24:00 on the due date
    form = action.locator('form[action$="/done/"]')
    form.locator("textarea[name=done_note]").fill("已补全3条登记的处理结果，并培训前台")
    _submit(office, form)
    assert CorrectiveAction.objects.get().state == "done"
    width, viewport = no_horizontal_scroll(office)
    assert width <= viewport
    screenshot(office, "inspection-office-done-360")

    # --- QA checks the effect and verifies ----------------------------------------------------------------
    qa.reload()
    form = qa.locator(f'#finding-{finding.pk} form[action$="/verify/"]')
    form.locator("textarea[name=effectiveness]").fill("复查本月登记全部完整，措施有效")
    _submit(qa, form)
    assert CorrectiveAction.objects.get().state == "verified"
    assert "复查本月登记全部完整，措施有效" in qa.locator(f"#finding-{finding.pk}").inner_text()
    assert qa.locator(f'#finding-{finding.pk} form[action$="/verify/"]').count() == 0  # nothing left to verify
    assert not qa.console_errors and not office.console_errors
