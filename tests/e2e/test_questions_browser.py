"""Questions end to end, in a real browser: an agent with a customer waiting types a question,
sees an article suggested while typing the title, and asks anyway; the colleague who owns the
articles on its tag is told ("you may know this", on the notifications page) and answers from
a second browser; the agent's open page shows the answer without reloading; the agent accepts
it; an editor promotes it into a draft FAQ, which waits in kb's review queue. axe finds no
serious violation on the ask page and the question page, and no console error occurs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kb.models import Article
from notifications.models import Notification
from questions.models import Answer, Question
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory, make_article

pytestmark = [pytest.mark.browser, requires_chromium]

ARTICLE = "Refund a double charge"
TITLE = "Customer was charged twice after a failed renewal: refund which charge?"
ANSWER = "Refund the second charge only; the first one paid the renewal."


def _accessible(page: Page) -> None:
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert not page.errors, page.errors


@pytest.fixture
def expert(search_index, agent, editor):
    """A colleague who owns the published articles tagged refunds (and lists the skill), so
    routing brings a refunds question to them; one article is the suggestion while typing."""
    dana = UserFactory(username="dana", display_name="Dana Expert", skills=["refunds"])
    for title in (ARTICLE, "Refund to a closed card"):
        make_article(author=dana, title=title, tags=["refunds"], approved_by=editor,
                     summary="When a customer was charged twice for one order.")  # fmt: skip
    return dana


def test_an_urgent_question_is_routed_answered_live_accepted_and_promoted(
    new_page, settings, agent, editor, expert
):
    settings.QUESTIONS_POLL_SECONDS = 1  # the open page asks for new answers every second
    asker = new_page()
    log_in(asker, "agent")
    asker.goto("/questions/ask/")
    expect(asker.get_by_role("heading", level=1)).to_have_text("Ask the team")
    # Typing the title brings what may already answer it.
    asker.get_by_label("Your question").press_sequentially(TITLE, delay=5)
    suggestions = asker.locator("#question-suggestions")
    expect(suggestions.get_by_role("link", name=ARTICLE)).to_be_visible()
    asker.get_by_label("Details (optional)").fill(
        "The renewal failed once, then went through twice. The customer is on the phone."
    )
    asker.get_by_label("Tags").fill("refunds")
    category = Article.objects.get(latest_revision__title=ARTICLE).category
    asker.get_by_label("Category (optional)").select_option(value=str(category.pk))
    asker.get_by_label("A customer is waiting: I need it now").check()
    _accessible(asker)
    # It does not answer this one: ask anyway.
    asker.get_by_role("button", name="Ask the team", exact=True).click()

    expect(asker.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(asker.get_by_text("Customer waiting").first).to_be_visible()
    question = Question.objects.get(title=TITLE)
    assert question.author == agent
    assert question.is_urgent
    assert question.status == Question.Status.OPEN
    _accessible(asker)
    asker.evaluate("window.stillTheSamePage = true")

    # The expert was told once, and finds it on the notifications page.
    told = Notification.objects.filter(recipient=expert, kind="questions.route")
    assert told.count() == 1
    assert TITLE in told.get().message
    answerer = new_page()
    log_in(answerer, "dana")
    answerer.goto("/notifications/")
    answerer.get_by_role("link", name=re.compile(re.escape(TITLE[:40]))).first.click()
    expect(answerer.get_by_role("heading", level=1)).to_have_text(TITLE)
    answerer.get_by_role("textbox", name="Your answer").fill(ANSWER)
    answerer.get_by_role("button", name="Post your answer").click()
    expect(answerer.locator(".answer").filter(has_text=ANSWER)).to_be_visible()

    # The asker's open page shows it without a reload.
    answer_card = asker.locator(".answer").filter(has_text=ANSWER)
    expect(answer_card).to_be_visible(timeout=10_000)
    assert asker.evaluate("window.stillTheSamePage === true")
    answer_card.get_by_role("button", name="Accept this answer").click()
    expect(asker.locator(".answer.accepted").filter(has_text=ANSWER)).to_be_visible()
    answer = Answer.objects.get(question=question)
    assert answer.author == expert
    assert answer.is_accepted
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    _accessible(asker)

    # An editor turns it into a draft FAQ in the answerer's name, waiting for review.
    reviewer = new_page()
    log_in(reviewer, "editor")
    reviewer.goto(question.get_absolute_url())
    reviewer.get_by_role("link", name="Promote to article").click()
    reviewer.get_by_role("button", name="Promote to article").click()
    question.refresh_from_db()
    article = question.article
    assert article is not None
    assert article.status == Article.Status.IN_REVIEW
    assert article.author == expert
    assert article.type == Article.Type.FAQ
    reviewer.goto("/kb/review/")
    expect(reviewer.get_by_role("row").filter(has_text=TITLE)).to_be_visible()
    assert not reviewer.errors, reviewer.errors
