"""Mentorship end to end, in a real browser: a manager opens a team member's mentor
suggestions, reads why the top mentor fits (their published article on the skill the mentee
wants), and assigns them; the mentor accepts; the pair logs a meeting with an action item.
axe finds no serious violation on the pages, and no console error occurs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorship.models import ActionItem, Meeting, Pairing
from people.models import Role
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_profile, make_program

pytestmark = [pytest.mark.browser, requires_chromium]


def _accessible(page: Page) -> None:
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert not page.errors, page.errors


@pytest.fixture
def setting(transactional_db, agent, manager, editor, other_team):
    """The agent wants to get better at refunds; Morgan (another team) owns a published
    refunds article and mentors on it; Wes is open to mentoring but shows nothing of it."""
    make_profile(agent, open_to_mentor=False, develop=["refunds"])
    morgan = UserFactory(
        username="morgan", display_name="Morgan Guide", team=other_team,
        experience_level="expert", roles=[Role.AGENT, Role.MENTOR],
    )  # fmt: skip
    make_profile(morgan, topics=["refunds"], capacity=2)
    make_article(
        author=editor, title="Partial refunds step by step", tags=["refunds"], owner=morgan,
        approved_by=editor,
    )  # fmt: skip
    wes = UserFactory(username="wes", display_name="Wes Wide", team=other_team)
    make_profile(wes, topics=["macros"], capacity=2)
    return make_program(name="Onboarding mentoring", managers=[]), morgan


def test_a_manager_assigns_the_best_mentor_and_the_pair_plans_a_meeting(
    new_page, setting, agent, manager
):
    program, morgan = setting
    boss = new_page()
    log_in(boss, "manager")
    boss.goto(f"/mentorship/programmes/{program.slug}/suggestions/{agent.username}/")
    first = boss.get_by_role("heading", level=3).filter(has_text="Morgan Guide").first
    expect(first).to_be_visible()
    # Why Morgan: the breakdown names the article that shows their expertise in refunds.
    page_text = boss.locator("main").inner_text()
    assert "Partial refunds step by step" in page_text or "1 published article" in page_text
    assert page_text.index("Morgan Guide") < page_text.index("Wes Wide")
    _accessible(boss)
    boss.get_by_role("button", name="Propose Morgan Guide as mentor of").first.click()
    expect(boss.get_by_text("Waiting for the mentor").first).to_be_visible()
    pairing = Pairing.objects.get(mentor=morgan, mentee=agent)
    assert pairing.status == Pairing.Status.PROPOSED

    mentor = new_page()
    log_in(mentor, "morgan")
    mentor.goto("/mentorship/")
    _accessible(mentor)
    mentor.goto(pairing.get_absolute_url())
    mentor.get_by_role("button", name="Accept").click()
    expect(mentor.get_by_role("link", name="Plan or log a meeting")).to_be_visible()
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE

    mentor.get_by_role("link", name="Plan or log a meeting").click()
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    mentor.get_by_label("Starts").fill(when.strftime("%Y-%m-%dT%H:%M"))
    mentor.get_by_label("Agenda").fill("Partial refunds on annual plans.")
    mentor.get_by_label("Shared notes").fill("Read the article before we meet.")
    _accessible(mentor)
    mentor.get_by_role("button", name="Save the meeting").click()
    expect(
        mentor.locator("#meetings").get_by_text("Partial refunds on annual plans.")
    ).to_be_visible()
    meeting = Meeting.objects.get(pairing=pairing)

    mentor.locator("summary", has_text="Add an action item").first.click()
    mentor.get_by_role("textbox", name="Action item").fill(
        "Handle two partial refunds with a colleague"
    )
    mentor.get_by_label("Who does it").select_option(label=agent.name)
    mentor.get_by_role("button", name="Add the action item").first.click()
    expect(
        mentor.locator("#meetings li").filter(has_text="Handle two partial refunds")
    ).to_be_visible()
    item = ActionItem.objects.get(meeting=meeting)
    assert item.owner == agent
    _accessible(mentor)

    # The mentee sees the plan; their manager sees how it goes, not the words.
    boss.goto(pairing.get_absolute_url())
    manager_view = boss.locator("main").inner_text()
    assert "Read the article before we meet." not in manager_view
    assert "Handle two partial refunds" not in manager_view
    _accessible(boss)
