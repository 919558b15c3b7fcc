"""S7 through Chromium: staff key a paper form with the keyboard alone — the cursor starts on the
first item, number keys fill the levels and move on, Tab reaches a comment, Enter saves and opens
the next unit."""

from __future__ import annotations

import pytest

from surveys.models import Response, SampleUnit
from tests.browser.test_login_dashboard import log_in
from tests.browser.test_survey_resident import survey_round  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "axes_reset")]


def test_s7_paper_form_keyed_with_the_keyboard_alone(new_page, screenshot, survey_round):  # noqa: F811
    page = new_page()
    log_in(page, "supervisor_a")
    page.goto(f"/surveys/{survey_round.pk}/entry/")
    first_url = page.url
    # The cursor is on the first item's level box.
    assert page.evaluate("document.activeElement.dataset.level !== undefined")
    page.keyboard.type("14")  # item 1 very satisfied, item 2 dissatisfied: the cursor moves on by itself
    page.keyboard.press("Shift+Tab")  # back from item 3's box to item 2's comment
    page.keyboard.type("夜间巡逻少")
    page.keyboard.press("Tab")  # on to item 3's box
    page.keyboard.type("3555555")  # items 3-9
    screenshot(page, "survey-entry-keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url != first_url and "/entry/" in page.url
    assert page.evaluate("document.activeElement.dataset.level !== undefined")  # ready for the next form

    response = Response.objects.get()
    levels = dict(response.answers.values_list("question__position", "level"))
    assert levels == {1: 1, 2: 4, 3: 3, 4: 5, 5: 5, 6: 5, 7: 5, 8: 5, 9: 5}
    assert response.answers.get(question__position=2).comment == "夜间巡逻少"
    assert response.channel == "staff" and response.entered_by.username == "supervisor_a"
    su = SampleUnit.objects.get(pk=response.sample_unit_id)
    assert su.collected_at is not None
    assert page.console_errors == []
