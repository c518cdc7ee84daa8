"""Article views are written behind the page: the request only buffers them, a flush writes
one row per person, article and day, and writing a batch twice changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import ArticleView
from kb.services import feedback
from kb.tasks import article_views_flush

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def no_flush_soon(settings):
    """The worker is down: requests buffer, and only an explicit flush writes."""
    settings.DEFERRED_WRITES_FLUSH_SOON = False
    feedback.VIEWS.discard()
    yield
    feedback.VIEWS.discard()


def test_reading_an_article_writes_nothing_to_the_database(
    agent_client, published_article, no_flush_soon
):
    with CaptureQueriesContext(connection) as queries:
        response = agent_client.get(published_article.get_absolute_url())
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].upper().startswith(WRITES)]
    assert writes == []
    assert not ArticleView.objects.exists()
    assert len(feedback.VIEWS) == 1


def test_views_are_recorded_once_per_day_after_a_flush(
    agent_client, agent, editor, client, published_article, no_flush_soon
):
    for _ in range(3):
        agent_client.get(published_article.get_absolute_url())
    client.force_login(editor)
    client.get(published_article.get_absolute_url())
    assert article_views_flush() == 4
    assert sorted(ArticleView.objects.values_list("user__username", flat=True)) == sorted(
        [agent.username, editor.username]
    )
    assert len(feedback.VIEWS) == 0


def test_the_latest_view_is_kept_and_a_rewritten_batch_changes_nothing(
    agent_client, agent, published_article, no_flush_soon
):
    agent_client.get(published_article.get_absolute_url())
    agent_client.get(published_article.get_absolute_url())
    latest = max(r["at"] for r in feedback.VIEWS.peek())
    # A flush that died after its commit, before dropping the batch: the next one rewrites it.
    feedback.article_views_write(feedback.VIEWS.peek())
    feedback.article_views_flush()
    feedback.article_views_flush()
    view = ArticleView.objects.get(user=agent)
    assert view.viewed_at.isoformat() == latest
