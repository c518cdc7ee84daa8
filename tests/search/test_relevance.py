"""Relevance on a fixed set of articles: the article a person means comes first, whether they
type the title word, another form of it, a typo, a synonym or an exact phrase."""

from __future__ import annotations

import re

import pytest
from whoosh.lang.porter import stem

from search.models import Synonym
from tests.search.pages import corrected, heading, result_titles, search_instead_link


@pytest.fixture
def reader(client, outsider):
    client.force_login(outsider)
    return client


def _search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("q", "first"),
    [
        ("refund", "Issue a refund"),  # exact title word
        ("refunds", "Issue a refund"),  # another form of it
        ("invoices", "Send a copy of an invoice"),
        ("passwords", "Reset a customer password"),
        ("parcel", "Track a parcel"),
        ("two-factor", "Set up two-factor authentication"),
        ("duties", "Customs duties on international orders"),
        ("angry customers", "Keep a calm tone with angry customers"),
    ],
)
def test_the_intended_article_ranks_first(reader, corpus, q, first):
    assert result_titles(_search(reader, q))[0] == first


@pytest.mark.parametrize("q", ["refund", "parcel", "order"])
def test_title_matches_outrank_body_only_matches(reader, corpus, q):
    titles = result_titles(_search(reader, q))
    in_title = [any(stem(w) == stem(q) for w in re.findall(r"\w+", t.lower())) for t in titles]
    assert True in in_title, titles  # both kinds are found
    assert False in in_title, titles
    assert in_title == sorted(in_title, reverse=True), titles


def test_a_typo_is_corrected_and_what_was_typed_can_still_be_searched(reader, corpus):
    response = _search(reader, "refnd")
    assert corrected(response) == "refund"
    assert result_titles(response)[0] == "Issue a refund"
    assert heading(response) == "3 results for “refund”"
    typed = reader.get("/search/" + search_instead_link(response))
    assert typed.status_code == 200
    assert result_titles(typed) == []
    assert heading(typed) == "0 results for “refnd”"
    assert corrected(typed) is None


def test_typos_in_several_words_are_corrected_together(reader, corpus):
    response = _search(reader, "pasword rset")
    assert corrected(response) == "password reset"
    assert result_titles(response)[0] == "Reset a customer password"


@pytest.mark.parametrize("q", ["invoice", "customer", "authentication", "duties"])
def test_a_correctly_spelled_word_that_finds_articles_is_not_corrected(reader, corpus, q):
    # A word that is in the index is not a typo: "customer" must not become "customs".
    response = _search(reader, q)
    assert result_titles(response)
    assert corrected(response) is None


def test_a_quoted_phrase_finds_the_words_together_first(reader, corpus):
    loose = result_titles(_search(reader, "partial refund"))
    assert set(loose) >= {"Returned items", "Partial shipments"}
    phrase = result_titles(_search(reader, '"partial refund"'))
    assert phrase[0] == "Returned items"
    assert "Partial shipments" not in phrase  # both words, but not together


def test_a_phrase_must_match_and_other_words_only_rank(reader, corpus):
    assert result_titles(_search(reader, '"partial refund" items')) == ["Returned items"]
    # "password" is in no article with the phrase: the phrase alone still finds its article.
    assert result_titles(_search(reader, '"partial refund" password')) == ["Returned items"]
    assert result_titles(_search(reader, '"partial zeppelin" refund')) == []


def test_articles_with_some_of_the_words_are_shown_best_first(reader, corpus):
    response = _search(reader, "refund zeppelin")
    assert result_titles(response)[0] == "Issue a refund"
    assert heading(response) == "3 results for “refund zeppelin”"
    assert corrected(response) is None


# --- synonyms --------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_synonyms_added_on_the_page_apply_at_once(
    editor_client, corpus, django_capture_on_commit_callbacks
):
    assert result_titles(_search(editor_client, "chargeback")) == []  # groups now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/search/synonyms/", {"terms": "refund, chargeback"})
    assert response.status_code == 302
    for q in ("chargeback", "chargebacks", "Chargeback"):
        assert result_titles(_search(editor_client, q))[0] == "Issue a refund", q
    # The group works both ways and keeps the stemmed match of the word itself.
    assert result_titles(_search(editor_client, "refunds"))[0] == "Issue a refund"


def test_a_multi_word_synonym_matches_as_a_phrase(
    editor_client, corpus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/search/synonyms/", {"terms": "refund, money back"})
    assert result_titles(_search(editor_client, '"money back"'))[0] == "Issue a refund"
    assert result_titles(_search(editor_client, "money back"))[0] == "Issue a refund"


def test_removing_a_synonym_group_on_the_page_applies_at_once(
    editor_client, corpus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/search/synonyms/", {"terms": "parcel, chargeback"})
    assert result_titles(_search(editor_client, "chargeback"))[0] == "Track a parcel"
    group = Synonym.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/search/synonyms/{group.pk}/delete/")
    response = _search(editor_client, "chargeback")
    assert result_titles(response) == []
    assert heading(response).startswith("0 results")
