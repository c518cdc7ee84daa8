"""Filters, their counts, sorting and pages on the search page (and the same in the API)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article
from kb.services import feedback_give
from tests.factories import UserFactory
from tests.search.pages import (
    FacetOption,
    facet_counts,
    facets,
    first_rank,
    heading,
    pagination,
    result_titles,
)


@pytest.fixture
def reader(client, agent):
    client.force_login(agent)
    return client


def _titles(client, **params) -> set[str]:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return set(result_titles(response))


def test_type_filter(reader, corpus):
    assert _titles(reader, type="faq") == {"Send a copy of an invoice", "Track a parcel"}
    assert _titles(reader, q="refund", type="howto") == {"Issue a refund", "Returned items"}
    assert _titles(reader, q="refund", type="faq") == set()


def test_a_parent_category_includes_its_topics(reader, corpus):
    billing = {"Handle a double charge", "Send a copy of an invoice"}
    topic = {"Issue a refund", "Returned items"}
    assert _titles(reader, category="billing") == billing | topic
    assert _titles(reader, category="refunds") == topic
    assert _titles(reader, q="refund", category="billing") == topic


def test_tag_filter(reader, corpus):
    assert _titles(reader, tag="login") == {
        "Reset a customer password",
        "Set up two-factor authentication",
    }
    assert _titles(reader, q="refund", tag="parcels") == {"Partial shipments"}


def test_team_filter_keeps_the_articles_for_that_team(reader, team, other_team, hidden):
    assert _titles(reader, team=team.pk) == {"Refund escalation contacts"}
    assert _titles(reader, q="refund", team=other_team.pk) == set()


def test_updated_since_filter(reader, corpus, index):
    old = [corpus["customs"].pk, corpus["tone"].pk]
    Article.objects.filter(pk__in=old).update(updated_at=timezone.now() - timedelta(days=60))
    index()
    recent = _titles(reader, since=30)
    assert len(recent) == 8
    assert "Customs duties on international orders" not in recent
    assert len(_titles(reader, since=90)) == 10
    response = reader.get("/search/", {"q": "customers", "since": 30})
    assert set(result_titles(response)) == {
        "Reset a customer password",
        "Send a copy of an invoice",
    }
    assert facet_counts(response)["Updated"] == {}  # fixed choices, without counts
    active = [o.label for o in facets(response)["Updated"] if o.active]
    assert active == ["In the last 30 days"]


def test_filters_combine_and_counts_follow_the_filtered_results(reader, corpus):
    response = reader.get("/search/", {"category": "shipping", "type": "faq"})
    assert result_titles(response) == ["Track a parcel"]
    assert heading(response) == "1 result"
    assert facet_counts(response)["Tag"] == {"parcels": 1}


def test_each_filter_value_shows_its_count_for_this_search(reader, corpus):
    counts = facet_counts(reader.get("/search/", {"q": "order"}))
    # "order" is in: refund, shipments, parcel (body) and customs (title).
    assert counts["Type"] == {"Article": 2, "FAQ": 1, "How-to": 1}
    assert counts["Category"] == {"Shipping": 3, "Billing": 1, "Refunds": 1}
    assert counts["Tag"] == {
        "parcels": 2, "international": 1, "payments": 1, "refunds": 1,
    }  # fmt: skip


def test_a_filter_value_links_to_the_narrowed_search_and_can_be_cleared(reader, corpus):
    types = facets(reader.get("/search/", {"q": "refund"}))["Type"]
    assert FacetOption("How-to", 2, "?q=refund&type=howto", active=False) in types
    narrowed = facets(reader.get("/search/", {"q": "refund", "type": "howto"}))["Type"]
    assert narrowed == [
        FacetOption("Any type", None, "?q=refund", active=False),
        FacetOption("How-to", 2, None, active=True),
    ]


def test_the_api_filters_and_counts_alike(reader, corpus):
    data = reader.get("/api/search/", {"q": "refund", "category": "billing"}).json()
    assert data["count"] == 2
    assert data["facets"]["type"] == [["howto", 2]]
    assert {r["title"] for r in data["results"]} == {"Issue a refund", "Returned items"}


# --- sorting and pages -----------------------------------------------------------------------


def test_sort_newest_puts_the_latest_update_first(reader, corpus, index):
    now = timezone.now()
    for age, key in enumerate(["shipments", "refund", "returned"]):
        Article.objects.filter(pk=corpus[key].pk).update(updated_at=now - timedelta(hours=age))
    index()
    relevance = result_titles(reader.get("/search/", {"q": "refund"}))
    assert relevance[0] == "Issue a refund"
    newest = result_titles(reader.get("/search/", {"q": "refund", "sort": "newest"}))
    assert newest == ["Partial shipments", "Issue a refund", "Returned items"]


def test_sort_most_helpful_puts_the_best_voted_first(reader, corpus, index):
    voters = UserFactory.create_batch(2)
    votes = {"parcel": [True, True], "refund": [True], "shipments": [False]}
    for key, helpful in votes.items():
        for voter, vote in zip(voters, helpful, strict=False):
            feedback_give(article=corpus[key], user=voter, helpful=vote, reason="unclear")
    index()
    titles = result_titles(reader.get("/search/", {"q": "order", "sort": "helpful"}))
    assert titles == [
        "Track a parcel",
        "Issue a refund",
        "Customs duties on international orders",
        "Partial shipments",
    ]


@pytest.fixture
def thirteen(write, index):
    for n in range(13):
        write(f"Warranty case {n:02}", f"Warranty claim number {n} for a broken device.")
    index()


def test_page_two_shows_the_rest(reader, thirteen):
    first = result_titles(reader.get("/search/", {"q": "warranty"}))
    response = reader.get("/search/", {"q": "warranty", "page": 2})
    second = result_titles(response)
    assert (len(first), len(second)) == (10, 3)
    assert not set(first) & set(second)
    assert pagination(response) == "Page 2 of 2"
    assert heading(response) == "13 results for “warranty”"
    assert first_rank(response) == 11


@pytest.mark.parametrize(
    ("page", "shown"), [("999", 2), ("2", 2), ("abc", 1), ("0", 1), ("-3", 1), ("", 1)]
)
def test_page_numbers_past_the_end_or_invalid(reader, thirteen, page, shown):
    response = reader.get("/search/", {"q": "warranty", "page": page})
    assert response.status_code == 200
    assert pagination(response) == f"Page {shown} of 2"
    assert len(result_titles(response)) == (3 if shown == 2 else 10)


def test_the_api_pages_alike(reader, thirteen):
    data = reader.get("/api/search/", {"q": "warranty", "page": 999}).json()
    assert (data["page"], data["num_pages"], len(data["results"])) == (2, 2, 3)
    data = reader.get("/api/search/", {"q": "warranty", "page": "abc"}).json()
    assert (data["page"], len(data["results"])) == (1, 10)
