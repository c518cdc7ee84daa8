"""Search index upkeep. These tasks are routed by name to the `search-index` queue, which
exactly one worker process consumes, so the index only ever sees one writer at a time."""

from __future__ import annotations

from celery import shared_task

from searchkit import pipeline
from searchkit.backend import IndexLocked


@shared_task(autoretry_for=(IndexLocked,), retry_backoff=2, retry_backoff_max=60, max_retries=10)
def index_sync(label: str, pk: int) -> str:
    """Bring one row's search document up to date (or remove it)."""
    try:
        return pipeline.sync(label, pk)
    except LookupError:  # the model is no longer indexed; nothing to do
        return "unknown"


@shared_task(autoretry_for=(IndexLocked,), retry_backoff=5, max_retries=5)
def index_reconcile() -> str:
    """Periodic: find and fix drift between the index and the database."""
    return str(pipeline.reconcile())
