"""The API docs (Swagger UI) work under the site's Content Security Policy: "Try it out" and
"Execute" run a request without the browser refusing anything the page needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import log_in
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


def test_trying_an_api_call_in_the_docs_breaks_no_content_security_rule(page: Page, agent):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, "agent")

    page.goto("/api/docs/")
    operation = page.locator(".opblock", has_text="/api/people/").first
    operation.locator(".opblock-summary").first.click()
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda response: "/api/people/" in response.url) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    # Swagger UI's table of the response it received.
    expect(operation.locator(".live-responses-table .response .response-col_status")).to_have_text(
        "200"
    )
    page.wait_for_load_state("networkidle")

    assert not [text for text in problems if "Content Security Policy" in text], problems
    assert not problems, problems
