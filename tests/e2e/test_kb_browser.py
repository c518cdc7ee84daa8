"""The knowledge base in a real browser: write a troubleshooting guide from its template, edit
it, submit it, have an editor compare and publish it, and have an agent find it and vote; and
the article and the writing form pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kb.models import Article, ArticleFeedback, Category
from kb.services import article_approve, article_create, article_submit
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

TITLE = "Card payment declined at checkout"
SUMMARY = "What to do when a customer's card is declined although it has funds."
ADDED_STEP = "3. Ask for a retry within 24 hours."


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="Payments", slug="payments")


def _fill_sections(skeleton: str) -> str:
    """The troubleshooting skeleton with its placeholder text replaced by real content."""
    replacements = {
        "What the customer sees or reports.": "The payment page says the card was declined.",
        "Why it happens.": "The bank's fraud check blocks the first payment to us.",
        "1. \n2. \n": "1. Ask the customer to approve the payment in the bank app.\n"
        "2. Check the order in the billing console.\n",
        "When and to whom to escalate, and what to include.": (
            "Escalate to Payments after two failures, with the order number."
        ),
    }
    body = skeleton
    for placeholder, text in replacements.items():
        assert placeholder in body, placeholder
        body = body.replace(placeholder, text)
    return body


def test_troubleshooting_guide_from_draft_to_helpful_vote(
    new_page, mentor, editor, agent, category
):
    # The author starts a troubleshooting guide from its template.
    author = new_page()
    log_in(author, "mentor")
    author.goto("/kb/new/")
    author.get_by_role("group", name="Start from a template").get_by_role(
        "button", name="Troubleshooting guide"
    ).click()
    expect(author.get_by_role("button", name="Troubleshooting guide", pressed=True)).to_be_visible()
    body = author.get_by_label("Body")
    for heading in ("## Symptoms", "## Cause", "## Resolution", "## Escalation"):
        expect(body).to_have_value(re.compile(re.escape(heading)))
    expect(author.get_by_label("Type")).to_have_value("troubleshooting")

    author.get_by_label("Title").fill(TITLE)
    author.get_by_label("Summary").fill(SUMMARY)
    body.fill(_fill_sections(body.input_value()))
    author.get_by_label("Category").select_option(label="Payments (general)")
    author.get_by_role("button", name="Save draft").click()

    expect(author.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(author.get_by_role("status")).to_contain_text("Draft saved.")
    article = Article.objects.get()
    assert article.type == Article.Type.TROUBLESHOOTING
    assert article.status == Article.Status.DRAFT
    assert article.category == category

    # One more edit, so the editor has two revisions to compare.
    author.get_by_role("link", name="Edit", exact=True).click()
    expect(author.get_by_role("heading", level=1)).to_have_text(f"Edit “{TITLE}”")
    body = author.get_by_label("Body")
    edited = body.input_value().replace(
        "2. Check the order in the billing console.\n",
        f"2. Check the order in the billing console.\n{ADDED_STEP}\n",
    )
    body.fill(edited)
    author.get_by_label("Change note").fill("Added the retry step")
    author.get_by_role("button", name="Save revision").click()
    expect(author.get_by_role("status")).to_contain_text("Saved as a new revision.")
    expect(author.get_by_role("link", name="History (2 revisions)")).to_be_visible()

    author.get_by_role("button", name="Submit for review").click()
    expect(author.get_by_role("status")).to_contain_text("Submitted for review.")
    expect(author.get_by_role("button", name="Submit for review")).to_have_count(0)

    # The editor finds it in the review queue, compares the revisions and publishes it.
    reviewer = new_page()
    log_in(reviewer, "editor")
    reviewer.goto("/kb/review/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Review queue")
    row = reviewer.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("New troubleshooting guide")
    expect(row).to_contain_text("Added the retry step")
    row.get_by_role("link", name=TITLE).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(TITLE)

    reviewer.get_by_role("link", name="Compare with the previous revision").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Compare revisions of “{TITLE}”")
    expect(reviewer.get_by_label("From", exact=True)).to_have_value("1")
    expect(reviewer.get_by_label("To", exact=True)).to_have_value("2")
    # difflib marks a line that only the newer revision has as added.
    expect(reviewer.locator("table.diff .diff_add")).to_contain_text([ADDED_STEP])

    reviewer.go_back()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(TITLE)
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Published.")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_revision.number == 2

    # An agent browses to it by category and says it helped.
    reader = new_page()
    log_in(reader, "agent")
    reader.goto("/kb/")
    reader.get_by_role("complementary", name="Categories").get_by_role(
        "link", name="Payments"
    ).click()
    expect(reader).to_have_url(re.compile(r"/kb/c/payments/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Payments")
    articles = reader.get_by_role("region", name="Articles")
    expect(articles).to_contain_text(SUMMARY)
    articles.get_by_role("link", name=TITLE).click()

    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".article-body")).to_contain_text(ADDED_STEP.removeprefix("3. "))
    feedback = reader.get_by_role("region", name="Was this helpful?")
    feedback.get_by_role("radio", name="Yes").check()
    feedback.get_by_role("button", name="Send feedback").click()

    expect(reader.get_by_role("status")).to_have_text(
        "Thanks, your feedback goes to the article's owner."
    )
    expect(reader.get_by_role("region", name="Was this helpful?")).to_contain_text("You said yes.")
    votes = ArticleFeedback.objects.filter(article=article)
    assert list(votes.values_list("user__username", "helpful")) == [("agent", True)]


@pytest.fixture
def published_guide(mentor, editor, category) -> Article:
    article = article_create(
        author=mentor,
        content={
            "title": TITLE,
            "summary": SUMMARY,
            "body": _fill_sections(
                "## Symptoms\n\nWhat the customer sees or reports.\n\n"
                "## Cause\n\nWhy it happens.\n\n"
                "## Resolution\n\n1. \n2. \n\n"
                "## Escalation\n\nWhen and to whom to escalate, and what to include.\n"
            ),
        },
        meta={"type": Article.Type.TROUBLESHOOTING, "category": category},
    )
    article_submit(article=article, user=mentor)
    article_approve(article=article, editor=editor)
    return article


def test_article_page_after_voting_has_no_serious_a11y_violations(
    page: Page, agent, published_guide
):
    log_in(page, "agent")
    page.goto(published_guide.get_absolute_url())
    feedback = page.get_by_role("region", name="Was this helpful?")
    feedback.get_by_role("radio", name="Yes").check()
    feedback.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Thanks, your feedback")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary


def test_new_article_form_has_no_serious_a11y_violations(page: Page, mentor, category):
    log_in(page, "mentor")
    page.goto("/kb/new/?type=troubleshooting")
    expect(page.get_by_role("heading", level=1)).to_have_text("Write an article")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
