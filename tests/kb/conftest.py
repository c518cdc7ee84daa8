"""Knowledge-base fixtures: categories and articles made through the real services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kb.models import Article, Category
from kb.services import article_approve, article_create, article_submit
from people.models import User


@pytest.fixture
def category(db) -> Category:
    """A top-level category ("Billing")."""
    return Category.objects.create(name="Billing", slug="billing")


@pytest.fixture
def child_category(category) -> Category:
    """A topic below `category` ("Billing / Refunds")."""
    return Category.objects.create(name="Refunds", slug="refunds", parent=category)


@pytest.fixture
def make_article(category) -> Callable[..., Article]:
    """Returns `make(author=..., title=..., ...)`, which creates an article through
    `article_create` (a draft in `category` unless `category=` says otherwise).

    Other keywords (type, owner, visibility, tags, teams, category) go into the `meta` dict.
    With `approved_by=<editor>` the article is also submitted by its author and approved,
    so it comes back published.
    """

    def make(
        *,
        author: User,
        title: str = "How to issue a refund",
        summary: str = "Steps for a full or partial refund.",
        body: str = "## Steps\n\nOpen the order and choose **Refund**.",
        approved_by: User | None = None,
        **meta,
    ) -> Article:
        meta.setdefault("category", category)
        article = article_create(
            author=author, content={"title": title, "summary": summary, "body": body}, meta=meta
        )
        if approved_by is not None:
            article_submit(article=article, user=author)
            article_approve(article=article, editor=approved_by)
        return article

    return make


@pytest.fixture
def published_article(make_article, agent, editor) -> Article:
    """Open to everyone: written by `agent`, submitted, approved by `editor`."""
    return make_article(author=agent, approved_by=editor)


@pytest.fixture
def restricted_article(make_article, agent, editor, team) -> Article:
    """Published, but readable only by members of `team` (and editors)."""
    return make_article(
        author=agent,
        title="Escalation contacts",
        body="## Contacts\n\nCall the billing lead.",
        visibility=Article.Visibility.TEAMS,
        teams=[team],
        approved_by=editor,
    )
