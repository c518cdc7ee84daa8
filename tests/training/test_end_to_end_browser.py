"""Training end to end, in a real browser: a manager assigns a track to their team with a
due date; an agent finds it in "my training", reads the article step, passes the quiz, hands
in the practical task and sees the certificate; a presenter writes a session's notes and
turns them into a draft article in one step. axe finds no serious violation on the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kb.models import Article
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.training.builders import make_session
from training.models import Enrolment

pytestmark = [pytest.mark.browser, requires_chromium]


def _accessible(page: Page) -> None:
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert not page.errors, page.errors


def test_a_manager_assigns_and_an_agent_learns_to_the_certificate(
    new_page, manager, agent, team, track, article
):
    due = timezone.localdate() + timedelta(days=10)
    boss = new_page()
    log_in(boss, "manager")
    boss.goto(track.get_absolute_url())
    boss.get_by_role("link", name="Assign to your team").click()
    _accessible(boss)
    boss.get_by_label("Everyone in a team").select_option(label=team.name)
    boss.get_by_label("Due date").fill(due.isoformat())
    boss.get_by_role("button", name="Assign").click()
    expect(boss.get_by_role("heading", level=1, name="Team training")).to_be_visible()
    _accessible(boss)
    assert Enrolment.objects.get(user=agent, track=track).due_on == due

    learner = new_page()
    log_in(learner, "agent")
    learner.goto("/training/mine/")
    _accessible(learner)
    learner.get_by_role("link", name=track.title).first.click()
    _accessible(learner)
    learner.get_by_role("link", name=article.title).first.click()
    learner.get_by_role("button", name="I have read it").click()
    expect(learner.get_by_text("Marked as read.")).to_be_visible()

    learner.get_by_role("link", name="Check yourself").first.click()
    _accessible(learner)
    assert "is_correct" not in learner.content()
    learner.get_by_label("5 days").check()
    learner.get_by_label("Card", exact=True).check()
    learner.get_by_label("Store credit").check()
    learner.get_by_role("button", name="Submit my answers").click()
    expect(learner.get_by_text("100%: passed.")).to_be_visible()
    _accessible(learner)

    learner.goto(track.get_absolute_url())
    learner.get_by_role("link", name="Handle a refund call").first.click()
    learner.get_by_label("What you did and what you learned").fill("Took a refund call.")
    learner.get_by_role("button", name="Hand it in").click()
    learner.get_by_role("link", name="View your certificate").click()
    code = Enrolment.objects.get(user=agent, track=track).certificate_code
    expect(learner.get_by_text(code, exact=True)).to_be_visible()
    expect(learner.get_by_text(agent.name).first).to_be_visible()
    _accessible(learner)


def test_a_presenter_turns_session_notes_into_a_draft_article(new_page, mentor, agent):
    session = make_session(organiser=mentor, title="Chargebacks 101", days=-1)
    page = new_page()
    log_in(page, "mentor")
    page.goto(session.get_absolute_url())
    _accessible(page)
    page.get_by_role("link", name="Write notes, add the recording").click()
    page.get_by_label("Notes").fill("## Key points\n\n- Answer a chargeback within 7 days.")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_role("heading", name="Notes")).to_be_visible()
    page.get_by_role("button", name="Turn notes into a draft article").click()
    expect(page.get_by_text("Draft article created")).to_be_visible()
    _accessible(page)
    article = Article.objects.awaiting_review().get(author=mentor)
    assert "7 days" in article.latest_revision.body
    assert session.get_absolute_url() in article.latest_revision.body
