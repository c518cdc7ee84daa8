"""Searches and opened results are written behind the page: the request only buffers them,
a flush writes them in bulk, nothing waits in the buffer forever, and writing a batch twice
counts nothing twice."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import services
from search.models import SearchLog
from search.tasks import search_logs_flush
from tests.search.pages import result_links

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def reader(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def no_flush_soon(settings):
    """The worker is down: requests buffer, and only an explicit flush writes."""
    settings.DEFERRED_WRITES_FLUSH_SOON = False
    services.LOGS.discard()
    yield
    services.LOGS.discard()


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_search_request_writes_nothing_to_the_database(reader, corpus, no_flush_soon):
    with CaptureQueriesContext(connection) as queries:
        response = reader.get("/search/", {"q": "refund"})
    assert response.status_code == 200
    assert _writes(queries.captured_queries) == []
    assert not SearchLog.objects.exists()
    assert len(services.LOGS) == 1


def test_opening_a_result_writes_nothing_to_the_database(reader, corpus, no_flush_soon):
    links = result_links(reader.get("/search/", {"q": "refund"}))
    with CaptureQueriesContext(connection) as queries:
        assert reader.get(links[0]).status_code == 302
    assert _writes(queries.captured_queries) == []


def test_searches_and_opens_are_recorded_after_a_flush(reader, agent, corpus, no_flush_soon):
    links = result_links(reader.get("/search/", {"q": "Refund"}))
    reader.get(links[1])  # opened before its search was written
    reader.get("/api/search/", {"q": "invoice"})
    assert search_logs_flush() == 3
    logs = {log.normalized: log for log in SearchLog.objects.all()}
    assert set(logs) == {"refund", "invoice"}
    refund = logs["refund"]
    assert (refund.user, refund.team, refund.query) == (agent, agent.team, "Refund")
    assert (refund.opened_article, refund.opened_rank) == (corpus["returned"], 2)
    assert logs["invoice"].opened_at is None
    assert len(services.LOGS) == 0


def test_nothing_is_lost_while_no_flush_runs(reader, corpus, no_flush_soon):
    for q in ("refund", "invoice", "loyalty points", "refund"):
        reader.get("/search/", {"q": q})
    later = result_links(reader.get("/search/", {"q": "refund"}))
    reader.get(later[0])
    assert not SearchLog.objects.exists()
    services.search_logs_flush()
    counts = sorted(SearchLog.objects.values_list("normalized", flat=True))
    assert counts == ["invoice", "loyalty points", "refund", "refund", "refund"]
    assert SearchLog.objects.filter(opened_at__isnull=False).count() == 1


def test_a_batch_written_twice_counts_once(reader, corpus, no_flush_soon):
    links = result_links(reader.get("/search/", {"q": "refund"}))
    reader.get(links[1])
    # A flush that died after its commit, before dropping the batch: the next one rewrites it.
    services.search_logs_write(services.LOGS.peek())
    first = SearchLog.objects.get()
    services.search_logs_flush()
    services.search_logs_flush()
    log = SearchLog.objects.get()
    assert (log.pk, log.opened_rank, log.opened_at) == (first.pk, 2, first.opened_at)


def test_only_the_first_open_counts_even_in_one_batch(reader, corpus, no_flush_soon):
    links = result_links(reader.get("/search/", {"q": "refund"}))
    reader.get(links[1])
    reader.get(links[0])
    services.search_logs_flush()
    assert SearchLog.objects.get().opened_rank == 2


# Committed for real: a deleted searcher's foreign key fails when the insert commits.
@pytest.mark.django_db(transaction=True)
def test_a_searcher_deleted_before_the_flush_leaves_an_anonymous_log(
    reader, agent, corpus, no_flush_soon
):
    reader.get("/search/", {"q": "refund"})
    reader.logout()
    agent.delete()
    services.search_logs_flush()
    assert SearchLog.objects.get().user is None


def test_someone_elses_key_records_no_open(client, agent, outsider, corpus, no_flush_soon):
    client.force_login(agent)
    links = result_links(client.get("/search/", {"q": "refund"}))
    client.force_login(outsider)
    assert client.get(links[0]).status_code == 302
    services.search_logs_flush()
    assert SearchLog.objects.get().opened_at is None
