"""The home page in a real browser: an agent's "what needs you today" lists a training track
due tomorrow and an article of theirs to verify; following each link lands on the page where
it is done; axe finds no serious violation on the desktop or the phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.dashboard import builders
from tests.factories import UserFactory, make_article
from tests.training.builders import enrol, make_track

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 390, "height": 844}
TRACK = "Refunds basics"
ARTICLE = "Refund a double charge"


@pytest.fixture
def busy_agent(agent, editor):
    writer = UserFactory(username="writer", team=agent.team)
    step_article = make_article(author=writer, title="Refund steps", approved_by=editor)
    track = make_track(owner=editor, title=TRACK, articles=[step_article])
    enrol(agent, track, due_on=timezone.localdate() + timedelta(days=1))
    article = builders.lapsed_article(agent, writer=writer, editor=editor, title=ARTICLE)
    return track, article


def _today(page: Page):
    return page.get_by_role("region", name=re.compile("^What needs you today"))


def test_agent_follows_each_item_to_where_it_is_done(new_page, busy_agent):
    track, article = busy_agent
    page = new_page()
    log_in(page, "agent")

    training = _today(page).get_by_role("region", name=re.compile("^Training"))
    expect(training).to_contain_text("This week")
    training.get_by_role("link", name=TRACK).click()
    expect(page).to_have_url(re.compile(rf"/training/tracks/{track.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TRACK)

    page.go_back()
    verify = _today(page).get_by_role("region", name=re.compile("^Due for verification"))
    expect(verify).to_contain_text("Overdue")
    verify.get_by_role("link", name=ARTICLE).click()
    expect(page).to_have_url(re.compile(rf"/kb/a/{article.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE)
    assert not page.errors, page.errors


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_busy_home_has_no_serious_a11y_violations_and_fits_a_phone(new_page, busy_agent, viewport):
    page = new_page(**({"viewport": viewport} if viewport else {}))
    log_in(page, "agent")
    expect(_today(page)).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
