"""Following in a real browser: an agent follows an article with its button, an editor
publishes a new revision, and the agent finds the notification linking the article; and the
pages with follow buttons, the Following page, the archive form and the archived page pass
axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kb import services
from kb.models import Article, Category, Follow
from people.models import Role
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory, make_article

pytestmark = [pytest.mark.browser, requires_chromium]

TITLE = "Refund a double charge"


@pytest.fixture
def category(transactional_db) -> Category:
    return Category.objects.create(name="Payments", slug="payments")


@pytest.fixture
def writer(team):
    return UserFactory(username="writer", team=team, roles=[Role.AGENT])


@pytest.fixture
def article(category, writer, editor) -> Article:
    return make_article(author=writer, title=TITLE, category=category, approved_by=editor)


def test_agent_follows_an_article_and_hears_of_its_next_revision(
    page: Page, agent, writer, editor, article
):
    log_in(page, "agent")
    page.goto(article.get_absolute_url())
    button = page.get_by_role("button", name="Follow", exact=True)
    expect(button).to_have_attribute("aria-pressed", "false")

    with page.expect_request(f"**/kb/a/{article.slug}/follow/") as request:
        button.click()
    assert request.value.headers.get("hx-request") == "true"  # htmx, not a page load
    expect(page.get_by_role("button", name="Follow", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_text("You follow this article.")).to_be_visible()
    assert Follow.objects.filter(user=agent, article=article).exists()

    # The writer changes it, an editor publishes the change (the task runs on commit).
    latest = article.latest_revision
    content = {"title": latest.title, "summary": latest.summary, "body": f"{latest.body}\n\nBank."}
    services.article_update(
        article=article, editor=writer, content=content, meta={},
        change_note="Added the bank transfer case",
    )  # fmt: skip
    services.article_submit(article=article, user=writer)
    services.article_approve(article=article, editor=editor)

    page.goto("/")
    expect(page.locator("#unread-badge .badge")).to_have_text("1")
    page.goto("/notifications/")
    link = page.get_by_role("link", name=re.compile("Added the bank transfer case"))
    expect(link).to_contain_text(TITLE)
    link.click()
    expect(page).to_have_url(re.compile(rf"/kb/a/{article.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_following_pages_have_no_serious_a11y_violations(page: Page, agent, editor, article):
    services.follow_add(user=agent, article=article)
    services.follow_add(user=agent, category=article.category)
    replacement = make_article(
        author=editor, title="Refunds, the new way", category=article.category, approved_by=editor
    )
    log_in(page, "agent")
    for url in (article.get_absolute_url(), article.category.get_absolute_url(), "/kb/following/"):
        page.goto(url)
        violations, summary = serious_a11y_violations(page)
        assert not violations, summary

    services.article_archive(article=article, editor=editor, replaced_by=replacement)
    response = page.goto(article.get_absolute_url())
    assert response is not None
    assert response.status == 410
    expect(page.get_by_role("link", name="Refunds, the new way")).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary


def test_archive_form_and_archived_article_have_no_serious_a11y_violations(
    page: Page, editor, article
):
    log_in(page, "editor")
    page.goto(f"/kb/a/{article.slug}/archive/")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary

    page.get_by_role("button", name="Archive this article").click()
    expect(page.get_by_role("button", name="Restore this article")).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
