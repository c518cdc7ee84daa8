"""Opening a result of any indexed model from a search (`search:open-document`): checked
through the index registry (404 for what the reader may not open, or an unknown kind),
recorded once on the search's log as `opened_document`, and counted by the insights as an
opened result, questions as much as articles."""

from __future__ import annotations

import pytest

from search.models import SearchLog
from searchkit import pipeline
from tests.questions.builders import make_question
from tests.search.pages import insight_rows, result_links

QUESTION = "questions.question"


@pytest.fixture
def reader(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def asked(agent, team, search_index):
    public = make_question(author=agent, title="Gift card balance after a refund")
    secret = make_question(author=agent, title="Gift card fraud contacts", teams=[team])
    pipeline.rebuild()
    return {"public": public, "secret": secret}


def _url(log, label, pk, rank=1) -> str:
    return f"/search/open/{log.key}/{label}/{pk}/?rank={rank}"


def test_a_question_result_links_through_the_log_and_records_the_open(reader, asked):
    links = result_links(reader.get("/search/", {"q": "balance"}))
    log = SearchLog.objects.get()
    question = asked["public"]
    assert links == [_url(log, QUESTION, question.pk)]
    response = reader.get(links[0])
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    log.refresh_from_db()
    assert (log.opened_document, log.opened_rank) == (f"{QUESTION}:{question.pk}", 1)
    assert log.opened_article is None
    assert log.opened_at is not None


def test_only_the_first_open_counts(reader, asked, corpus):
    reader.get("/search/", {"q": "refund"})
    log = SearchLog.objects.get()
    reader.get(_url(log, QUESTION, asked["public"].pk, rank=4))
    reader.get(_url(log, "kb.article", corpus["refund"].pk, rank=1))
    log.refresh_from_db()
    assert (log.opened_document, log.opened_rank) == (f"{QUESTION}:{asked['public'].pk}", 4)


def test_an_article_through_the_generic_link_is_recorded_as_an_article(reader, corpus):
    reader.get("/search/", {"q": "refund"})
    log = SearchLog.objects.get()
    article = corpus["returned"]
    response = reader.get(_url(log, "kb.article", article.pk, rank=2))
    assert response["Location"] == article.get_absolute_url()
    log.refresh_from_db()
    assert (log.opened_article, log.opened_document) == (article, f"kb.article:{article.pk}")


def test_the_article_link_still_works_and_names_the_document_too(reader, corpus):
    reader.get("/search/", {"q": "refund"})
    log = SearchLog.objects.get()
    article = corpus["refund"]
    assert reader.get(f"/search/open/{log.pk}/{article.pk}/?rank=1").status_code == 302
    log.refresh_from_db()
    assert (log.opened_article, log.opened_document) == (article, f"kb.article:{article.pk}")


@pytest.mark.parametrize(
    ("label", "which"),
    [
        (QUESTION, "secret"),  # team-only: the outsider may not read it
        (QUESTION, "missing"),
        ("kb.articlex", "public"),  # no such index
        ("people.user", "public"),  # a model without an index
        ("x" * 500, "public"),
    ],
)
def test_what_the_reader_may_not_open_is_404_and_nothing_is_recorded(
    client, outsider, asked, label, which
):
    client.force_login(outsider)
    client.get("/search/", {"q": "gift"})
    log = SearchLog.objects.get()
    pk = 999999 if which == "missing" else asked[which].pk
    assert client.get(_url(log, label, pk)).status_code == 404
    log.refresh_from_db()
    assert (log.opened_document, log.opened_at) == ("", None)


def test_another_persons_log_is_not_touched(client, agent, outsider, asked):
    client.force_login(agent)
    client.get("/search/", {"q": "balance"})
    log = SearchLog.objects.get()
    client.force_login(outsider)
    assert client.get(_url(log, QUESTION, asked["public"].pk)).status_code == 302
    log.refresh_from_db()
    assert log.opened_at is None


def test_insights_count_a_search_whose_reader_opened_a_question(client, agent, editor, asked):
    client.force_login(agent)
    client.get("/search/", {"q": "balance"})
    client.get("/search/", {"q": "gift card"})
    log = SearchLog.objects.get(normalized="balance")
    client.get(_url(log, QUESTION, asked["public"].pk))
    client.force_login(editor)
    response = client.get("/search/insights/")
    assert insight_rows(response, "top")["balance"][2] == "1"
    unopened = insight_rows(response, "unopened")
    assert "balance" not in unopened
    assert "gift card" in unopened
