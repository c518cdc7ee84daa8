"""Each search is logged once (for the insights page), and so is the result it led to."""

from __future__ import annotations

import pytest

from search.models import SearchLog
from tests.search.pages import page_text, result_links


@pytest.fixture
def reader(client, agent):
    client.force_login(agent)
    return client


def test_a_first_page_search_is_logged_once_with_what_was_asked(reader, agent, corpus):
    reader.get("/search/", {"q": "  Refund   ", "type": "howto", "category": "refunds"})
    log = SearchLog.objects.get()
    assert (log.user, log.team) == (agent, agent.team)
    assert (log.query, log.normalized) == ("Refund", "refund")
    assert log.filters == {"type": "howto", "category": "refunds"}
    assert log.result_count == 2
    assert (log.opened_article, log.opened_rank, log.opened_at) == (None, None, None)


def test_invalid_filters_are_not_logged(reader, corpus):
    reader.get("/search/", {"q": "refund", "type": "bogus", "since": "3", "tag": "refunds"})
    assert SearchLog.objects.get().filters == {"tag": "refunds"}


def test_queries_are_normalized_so_they_count_together(reader, corpus):
    for q in ("Partial REFUND", "partial   refund", "partial refund"):
        reader.get("/search/", {"q": q})
    assert list(SearchLog.objects.values_list("normalized", flat=True)) == ["partial refund"] * 3


def test_a_search_that_finds_nothing_is_logged_with_zero(reader, corpus):
    reader.get("/search/", {"q": "loyalty points"})
    assert SearchLog.objects.get().result_count == 0


def test_a_corrected_search_logs_what_was_typed_and_the_results_shown(reader, corpus):
    reader.get("/search/", {"q": "Refnd"})
    log = SearchLog.objects.get()
    assert (log.query, log.normalized, log.result_count) == ("Refnd", "refnd", 3)


def test_the_api_logs_like_the_page(reader, corpus):
    reader.get("/api/search/", {"q": "invoice"})
    assert SearchLog.objects.get().result_count == 1


def test_filters_without_words_and_autocomplete_are_not_logged(reader, corpus):
    reader.get("/search/", {"category": "billing"})
    reader.get("/search/suggest/", {"q": "refund"})
    assert not SearchLog.objects.exists()


def test_the_team_is_the_searchers_team_at_the_time(reader, agent, team, other_team, corpus):
    reader.get("/search/", {"q": "refund"})
    agent.team = other_team
    agent.save()
    reader.get("/search/", {"q": "refund"})
    teams = SearchLog.objects.order_by("pk").values_list("team", flat=True)
    assert list(teams) == [team.pk, other_team.pk]


@pytest.fixture
def many(write, index):
    for n in range(13):
        write(f"Warranty case {n:02}", f"Warranty claim number {n}.")
    index()


def test_later_pages_do_not_log_again(reader, many):
    reader.get("/search/", {"q": "warranty"})
    reader.get("/search/", {"q": "warranty", "page": 2})
    reader.get("/api/search/", {"q": "warranty", "page": 2})
    assert SearchLog.objects.count() == 1
    assert SearchLog.objects.get().result_count == 13


def test_opening_a_result_records_it_once_and_goes_to_the_article(reader, corpus):
    links = result_links(reader.get("/search/", {"q": "refund"}))
    log = SearchLog.objects.get()
    assert links[1] == f"/search/open/{log.key}/{corpus['returned'].pk}/?rank=2"
    response = reader.get(links[1])
    assert response.status_code == 302
    assert response["Location"] == corpus["returned"].get_absolute_url()
    log.refresh_from_db()
    assert (log.opened_article, log.opened_rank) == (corpus["returned"], 2)
    first_opened_at = log.opened_at
    assert first_opened_at is not None
    assert reader.get(links[0]).status_code == 302  # a second result from the same search
    log.refresh_from_db()
    assert (log.opened_article, log.opened_rank, log.opened_at) == (
        corpus["returned"], 2, first_opened_at,
    )  # fmt: skip


def test_result_links_on_later_pages_open_their_articles(reader, many):
    reader.get("/search/", {"q": "warranty"})
    links = result_links(reader.get("/search/", {"q": "warranty", "page": 2}))
    assert len(links) == 3
    for link in links:
        response = reader.get(link, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain == [] or response.redirect_chain[-1][1] == 302
        assert "Warranty case" in page_text(response)
    assert SearchLog.objects.count() == 1


def test_another_persons_log_is_not_touched(client, agent, outsider, corpus):
    client.force_login(agent)
    client.get("/search/", {"q": "refund"})
    log = SearchLog.objects.get()
    client.force_login(outsider)
    response = client.get(f"/search/open/{log.pk}/{corpus['refund'].pk}/?rank=1")
    assert response.status_code == 302  # still taken to the article
    log.refresh_from_db()
    assert (log.opened_article, log.opened_at) == (None, None)


def test_an_unknown_log_id_still_opens_the_article(reader, corpus):
    response = reader.get(f"/search/open/999999/{corpus['refund'].pk}/")
    assert response.status_code == 302
    assert not SearchLog.objects.exists()


@pytest.mark.parametrize("which", ["restricted", "draft", "in_review", "missing"])
def test_a_hidden_or_missing_article_is_404_and_nothing_is_recorded(
    client, outsider, hidden, which
):
    client.force_login(outsider)
    client.get("/search/", {"q": "refund"})
    log = SearchLog.objects.get()
    article_id = 999999 if which == "missing" else hidden[which].pk
    assert client.get(f"/search/open/{log.pk}/{article_id}/?rank=1").status_code == 404
    log.refresh_from_db()
    assert log.opened_at is None
