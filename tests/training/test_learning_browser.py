"""Taking a track in a real browser: enrol, read the article step, fail then pass the quiz,
hand in the practical task, print-ready certificate with its copy-link and print buttons;
"my training" lists it. axe finds no serious violation on these pages."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from training.models import Enrolment

pytestmark = [pytest.mark.browser, requires_chromium]

SHOTS = os.environ.get("TRAINING_SCREENSHOTS", "")


def _check(page: Page, name: str) -> None:
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert not page.errors, page.errors
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_agent_takes_a_track_to_its_certificate(new_page, agent, track, article):
    page = new_page()
    log_in(page, "agent")
    page.goto(track.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name=track.title)).to_be_visible()
    _check(page, "track-before")
    page.get_by_role("button", name=re.compile("^Enrol")).click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")

    # The article step: read it, say so.
    page.get_by_role("link", name=article.title).first.click()
    expect(page.get_by_role("link", name="Read the article")).to_be_visible()
    _check(page, "step-article")
    page.get_by_role("button", name="I have read it").click()
    expect(page.get_by_text("Marked as read.")).to_be_visible()

    # The quiz: a wrong attempt first, then the right one.
    page.get_by_role("link", name="Check yourself").first.click()
    _check(page, "step-quiz")
    page.get_by_label("5 weeks").check()
    page.get_by_label("Carrier pigeon").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("not passed yet")).to_be_visible()
    _check(page, "attempt-failed")
    page.get_by_role("link", name="Try again").click()
    page.get_by_label("5 days").check()
    page.get_by_label("Card", exact=True).check()
    page.get_by_label("Store credit").check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("100%: passed.")).to_be_visible()

    # The practical task, then the certificate.
    page.goto(track.get_absolute_url())
    page.get_by_role("link", name="Handle a refund call").first.click()
    page.get_by_label("What you did and what you learned").fill("Took a refund call.")
    page.get_by_role("button", name="Hand it in").click()
    expect(page.get_by_role("link", name="View your certificate")).to_be_visible()
    _check(page, "track-completed")
    page.get_by_role("link", name="View your certificate").click()
    enrolment = Enrolment.objects.get(user=agent, track=track)
    expect(page.get_by_text(enrolment.certificate_code, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    _check(page, "certificate")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    page.goto("/training/mine/")
    expect(page.get_by_role("heading", name="Completed")).to_be_visible()
    _check(page, "mine")
