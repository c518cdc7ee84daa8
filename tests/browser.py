"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server.

A plugin of the whole suite (tests/conftest.py lists it), not an e2e conftest: every app's
browser tests share the one session-wide browser, as Playwright's sync API allows one per
thread."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import requires_chromium
from tests.factories import PASSWORD

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.environ.get("CHROMIUM"):
        pytest.skip(requires_chromium.kwargs["reason"])
    # Playwright's sync API keeps an asyncio event loop running in this thread for as long as
    # the browser lives, so Django's async-safety guard would refuse every ORM call the tests
    # (and the tests collected after them) make in this thread. The calls really are
    # synchronous, so the guard is lifted for exactly that lifetime.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ["CHROMIUM"], args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser: Browser, transactional_db, live_server) -> Iterator[Page]:
    """A fresh page in its own context (no cookies shared between tests)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait until the home page has loaded."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Hello,")).to_be_visible()


def serious_a11y_violations(page: Page) -> tuple[list[dict], str]:
    """Run axe on the page; return its serious and critical violations and a readable summary."""
    # Let htmx finish loading its fragments (the unread badge) so axe sees the settled page.
    page.wait_for_load_state("networkidle")
    results = _axe.run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    lines = [f"{len(violations)} serious/critical axe violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return violations, "\n".join(lines)


@pytest.fixture
def new_page(browser: Browser, transactional_db, live_server) -> Iterator[Callable[[], Page]]:
    """Returns `open()`, which gives a page in a fresh context (one per signed-in person).
    `page.errors` collects the console's errors and CSP refusals; a 400 is left out, as it
    is a form answering with its errors in place, which the browser logs too."""
    contexts = []

    def open_page(**options) -> Page:
        """`options` go to the browser context (`reduced_motion="reduce"`, a viewport...)."""
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on(
            "console",
            lambda m: (
                m.type == "error" and "status of 400" not in m.text and page.errors.append(m.text)
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
