"""Database queries per page stay the same however many articles a search finds."""

from __future__ import annotations

import pytest

from kb.services import feedback_give
from tests.factories import UserFactory
from tests.search.pages import related_titles, result_titles, suggestion_titles

# Measured, the same at both sizes. Search: session, user, roles, synonym groups (until
# cached), the page's articles, the log, the filters' labels (one query for all). API: the
# same without the labels and the cached synonyms. Suggest: session, user, roles, the
# articles. Article page: the kb page with its related articles and its experts (3), its
# follow button (1), suggested edits (1), recognition's thanks panel (1) and questions'
# source-question panel (1).
LIMITS = {"search": 7, "api": 5, "suggest": 4, "article": 22}


@pytest.fixture
def matching(write, team, index):
    """`matching(n)`: n published "refund" articles with tags, some for a team, with votes."""

    def make(n):
        voters = UserFactory.create_batch(2)
        for i in range(n):
            article = write(
                f"Refund case {i}",
                f"Refund steps for case {i}: open the order and refund the card.",
                tags=["refunds", f"case-{i}"],
                visibility="teams" if i % 3 == 0 else "everyone",
                teams=[team] if i % 3 == 0 else [],
                category="refunds" if i % 2 else "billing",
            )
            for voter in voters:
                feedback_give(article=article, user=voter, helpful=False, reason="unclear")
        index()

    return make


@pytest.mark.parametrize("size", [3, 25])
def test_search_page_query_count_is_constant(
    client, agent, matching, size, django_assert_max_num_queries
):
    matching(size)
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["search"]):
        response = client.get("/search/", {"q": "refund"})
    assert len(result_titles(response)) == min(size, 10)
    with django_assert_max_num_queries(LIMITS["search"]):
        client.get("/search/", {"q": "refund", "page": 2, "sort": "newest", "tag": "refunds"})
    with django_assert_max_num_queries(LIMITS["api"]):
        assert client.get("/api/search/", {"q": "refund"}).json()["count"] == size


@pytest.mark.parametrize("size", [3, 25])
def test_autocomplete_query_count_is_constant(
    client, agent, matching, size, django_assert_max_num_queries
):
    matching(size)
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["suggest"]):
        response = client.get("/search/suggest/", {"q": "refund ca"})
    assert len(suggestion_titles(response)) == min(size, 8)


@pytest.mark.parametrize("size", [3, 25])
def test_article_page_with_related_articles_query_count_is_constant(
    client, agent, matching, corpus, size, django_assert_max_num_queries
):
    matching(size)
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["article"]):
        response = client.get(corpus["refund"].get_absolute_url())
    assert len(related_titles(response)) >= 3
