"""Knowledge-base fixtures: categories and articles made through the real services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kb.models import Article, Category
from people.models import User
from tests import factories


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
    """`make(author=..., title=..., ...)`: `tests.factories.make_article`, with the article in
    `category` unless `category=` says otherwise. `approved_by=<editor>` publishes it."""

    def make(*, author: User, category: Category = category, **kwargs) -> Article:
        return factories.make_article(author=author, category=category, **kwargs)

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
