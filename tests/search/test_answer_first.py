"""Search puts the agent's answer first, on the demo knowledge base as a new user tries it:
typos corrected without a second click, typed words above synonyms, compounds, questions,
no stop-word suggestions, related articles from the same topic, and the log records what
was shown."""

from __future__ import annotations

import pytest
from django.urls import resolve

from kb.models import Article
from people.models import User
from search.models import SearchLog
from tests.search.pages import corrected, result_links


@pytest.fixture
def demo(indexed_demo, client):
    client.force_login(User.objects.get(username="agent"))
    return client


def _slugs(response) -> list[str]:
    """The slugs of the article results, in rank order; questions, tracks and sessions
    (which link elsewhere, logged or not) are left out."""
    slugs = dict(Article.objects.values_list("pk", "slug"))
    found = []
    for link in result_links(response):
        match = resolve(link.split("?")[0])
        if match.view_name == "search:open":
            found.append(slugs[match.kwargs["article_id"]])
        elif match.view_name == "kb:article-detail":
            found.append(match.kwargs["slug"])
    return found


def test_typos_show_the_corrected_results_at_once_and_exact_search_stays_one_click(demo):
    for typed, meant, first in (
        ("refnd", "refund", None),
        ("chargebak", "chargeback", "chargeback-response"),
        ("delivred but not received", "delivered but not received", "delivered-not-received"),
    ):
        response = demo.get("/search/", {"q": typed})
        assert corrected(response) == meant
        assert _slugs(response), typed
        if first:
            assert _slugs(response)[0] == first
    exact = demo.get("/search/", {"q": "refnd", "verbatim": "1"})
    assert corrected(exact) is None
    assert _slugs(exact) == []
    # The log records what the reader was shown, not "no results".
    assert SearchLog.objects.get(query="refnd", result_count__gt=0)


def test_the_typed_word_ranks_above_its_synonyms_and_questions_and_compounds_work(demo):
    # Demo questions that say "refund" rank above an article found only through a synonym,
    # so the articles are read from the first two pages.
    pages = [demo.get("/search/", {"q": "refund", "page": page}) for page in (1, 2)]
    refund = [slug for response in pages for slug in _slugs(response)]
    assert {"refund-a-double-charge", "partial-refunds"} <= set(refund[:3])
    assert refund.index("chargeback-response") > refund.index("partial-refunds")
    assert _slugs(demo.get("/search/", {"q": "charge back"}))[0] == "chargeback-response"
    question = _slugs(demo.get("/search/", {"q": "how do I refund a customer"}))
    assert len(question) > 1
    assert "partial-refunds" in question[:3]
    for good in ("refund", "mfa", "account locked"):
        assert corrected(demo.get("/search/", {"q": good})) is None, good  # never "my"


def test_related_articles_come_from_the_same_topic(demo):
    page = demo.get("/kb/a/refund-a-double-charge/")
    related = page.context["related"]
    in_refunds = [a for a in related if a.category.slug == "refunds"]
    assert len(in_refunds) >= 3, [a.slug for a in related]
