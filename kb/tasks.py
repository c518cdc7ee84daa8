"""Search index upkeep. These tasks are routed to the `search-index` queue, which exactly
one worker process consumes, so Whoosh only ever sees one writer at a time."""

from __future__ import annotations

from celery import shared_task

from kb import search
from kb.search_backend import IndexLocked


@shared_task(autoretry_for=(IndexLocked,), retry_backoff=2, retry_backoff_max=60, max_retries=10)
def article_index_sync(article_id: int) -> str:
    """Bring one article's search document up to date (or remove it)."""
    return search.index_sync(article_id)


@shared_task(autoretry_for=(IndexLocked,), retry_backoff=5, max_retries=5)
def search_index_reconcile() -> str:
    """Periodic: find and fix drift between the index and the database."""
    return str(search.reconcile())
