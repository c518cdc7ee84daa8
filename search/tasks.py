from __future__ import annotations

from celery import shared_task

from search import services


@shared_task
def content_requests_fulfil() -> int:
    """Periodic: tell searchers about content requests whose article has been published.
    (kb cannot call up into search when it publishes, so search looks, per DESIGN.md.)"""
    return services.content_requests_fulfil_due()


@shared_task
def search_logs_flush() -> int:
    """Write the searches and opened results buffered by the search page and the API: asked
    for a moment after a search, and by beat every few seconds (what a missed run left)."""
    return services.search_logs_flush()
