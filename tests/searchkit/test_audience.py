"""One visibility rule: for every demo user and every demo article, the database
(`visible_to`), the rule itself (`ARTICLE_AUDIENCE.admits`), the search index's stored
audience and what search finds all agree."""

from __future__ import annotations

import pytest

from kb.models import Article
from kb.querysets import ARTICLE_AUDIENCE
from people.models import User
from searchkit import pipeline, query


@pytest.fixture
def demo(indexed_demo):
    users = list(User.objects.filter(is_active=True).select_related("team"))
    articles = list(Article.objects.prefetch_related("teams"))
    return users, articles


def test_visible_to_is_the_audience_rule_for_every_demo_user_and_article(demo):
    users, articles = demo
    assert len(users) > 30
    assert len(articles) > 40
    hidden_somewhere = 0
    for user in users:
        visible = set(Article.objects.visible_to(user).values_list("pk", flat=True))
        admitted = {a.pk for a in articles if ARTICLE_AUDIENCE.admits(a, user)}
        assert visible == admitted, user.username
        hidden_somewhere += len(articles) - len(visible)
    assert hidden_somewhere > 0  # the demo has drafts and restricted articles to hide


def test_the_index_stores_the_audience_of_the_rule(demo):
    _, articles = demo
    stored = {}
    backend = pipeline.backend()
    with backend.live_index().searcher() as searcher:
        for fields in searcher.documents(django_ct="kb.article"):
            stored[int(fields["django_id"])] = set(fields["audience"].split(","))
    published = [a for a in articles if a.status == Article.Status.PUBLISHED]
    assert set(stored) == {a.pk for a in published}
    for article in published:
        assert stored[article.pk] == set(ARTICLE_AUDIENCE.tokens(article)), article.slug


def test_search_finds_exactly_the_published_articles_each_user_may_open(demo):
    users, _ = demo
    for user in users:
        page = query.search(user=user, text=None, per_page=500, highlight=False)
        found = {hit.pk for hit in page.hits if hit.label == "kb.article"}
        expected = set(Article.objects.published().visible_to(user).values_list("pk", flat=True))
        assert found == expected, user.username
