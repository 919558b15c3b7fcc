"""Browser tests: Playwright (sync API) driving the system Chromium against pytest-django's live_server.

Chromium comes from the system (Debian's `chromium`), never from `playwright install`:
CHROMIUM_PATH, else /usr/bin/chromium. Missing, the tests are skipped with a printed reason, except
with CI=true, where a missing browser is a failure (foundation issue, 2 and 8).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.conftest import axes_reset, make_deadline, make_notification  # noqa: F401

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        reason = f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH): browser tests skipped"
        if _in_ci():
            pytest.fail(f"CI=true and {reason.split(':')[0]}: a missing browser is a failure in CI", pytrace=False)
        print(f"\n{reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread while it is open; Django would
    # refuse the test's own ORM calls ("async unsafe"). Allowed only while a browser module runs, so the
    # variable never reaches other tests or the subprocesses they start (check --deploy refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """A factory of pages with their own context (cookies), a viewport and Chinese as the browser's
    language. Console errors (CSP violations among them) are collected on page.console_errors."""
    contexts = []

    def make(viewport=DESKTOP, locale="zh-CN"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot
