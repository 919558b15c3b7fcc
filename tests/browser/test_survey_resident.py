"""S7 through Chromium: a resident answers on a 360 px phone with no account and no JavaScript
needed; a second submission (the same link in a second tab) is refused and the first answer kept."""

from __future__ import annotations

import pytest

from estates.models import Role
from surveys import services
from surveys.models import Response, SampleUnit
from tests.browser.conftest import PHONE
from tests.browser.test_login_dashboard import no_horizontal_scroll
from tests.factories import BuildingFactory, CommunityFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]

PLAN = dict.fromkeys(("purpose", "targets", "content", "scope", "schedule", "requirements"), "计划")


@pytest.fixture
def survey_round(company, office_a):
    """A round in hand-out and collection (real time: the live server keeps the real clock)."""
    community = CommunityFactory(office=office_a, name="科信小区", households=20)
    for name in ("1栋", "2栋"):
        building = BuildingFactory(community=community, name=name)
        for n in range(5):
            UnitFactory(building=building, number=f"{name[0]}0{n + 1}")
    drafter = UserFactory(username="supervisor_a", role=Role.CS_ASSISTANT, company=company, offices=[office_a])
    manager = UserFactory(username="officemanager_a", role=Role.OFFICE_MANAGER, company=company, offices=[office_a])
    approver = UserFactory(username="qamanager", role=Role.QA_MANAGER, company=company)
    r = services.round_create(community=community, by=drafter, year=2026, half=1, **PLAN)
    services.plan_submit(survey_round=r, by=drafter)
    services.plan_review(survey_round=r, by=manager)
    services.plan_approve(survey_round=r, by=approver)
    services.sample_draw(survey_round=r, by=drafter, seed="browser")
    services.forms_received(survey_round=r, by=drafter)
    r.refresh_from_db()
    return r


def test_s7_resident_answers_at_360px_and_a_second_submission_is_refused(new_page, screenshot, survey_round):
    su = SampleUnit.objects.filter(round=survey_round).select_related("unit").first()
    page = new_page(viewport=PHONE)
    page.goto(f"/s/{su.token}/")
    assert page.locator("h1").inner_text() == "顾客满意度调查表"
    assert page.locator("script").count() == 0  # works with no JavaScript at all
    width, inner = no_horizontal_scroll(page)
    assert width <= inner, "the answer page scrolls sideways at 360 px"
    # Large targets: every answer is a whole row at least 44 px high.
    heights = page.eval_on_selector_all("label.rs-level", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44

    # A second tab with the same link, opened before the first submits (two tabs, one household).
    second = new_page(viewport=PHONE)
    second.goto(f"/s/{su.token}/")

    items = page.locator("fieldset.rs-item")
    for i in range(items.count()):
        items.nth(i).locator("label.rs-level").nth(1 if i else 0).click()  # very satisfied, then satisfied
    page.fill("textarea", "希望多组织社区活动")
    screenshot(page, "survey-resident-360")
    with page.expect_navigation():
        page.click("button.rs-submit")
    assert "谢谢您" in page.locator("h1").inner_text()

    second_items = second.locator("fieldset.rs-item")
    for i in range(second_items.count()):
        second_items.nth(i).locator("label.rs-level").nth(3).click()  # dissatisfied everywhere
    with second.expect_navigation():
        second.click("button.rs-submit")
    assert second.locator("h1").inner_text() == "此链接无法作答"

    response = Response.objects.get(sample_unit=su)
    levels = list(response.answers.exclude(level=None).order_by("question__position").values_list("level", flat=True))
    assert levels[0] == 1 and set(levels[1:]) == {2}  # the first answer is kept
    assert response.answers.filter(comment="希望多组织社区活动").exists()
    assert Response.objects.count() == 1
    assert page.console_errors == []  # the refused tab's 404 status is its expected answer
