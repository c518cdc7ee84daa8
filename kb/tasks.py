"""Background work of the knowledge base. These run on the default queue: only the search
index's tasks are routed to its single writer (`CELERY_TASK_ROUTES`)."""

from __future__ import annotations

from celery import shared_task

from kb.services import attachments, feedback, following


@shared_task
def follow_notify_published(revision_id: int, approver_id: int | None = None) -> int:
    """Tell the followers of a published revision; a gone revision is nothing to do, and a
    second run tells nobody twice (dedupe keys)."""
    return following.follow_notify_published(revision_id=revision_id, approver_id=approver_id)


@shared_task
def uploads_discard_unclaimed() -> int:
    """Images pasted into a new article that was never saved: deleted after two days."""
    return attachments.uploads_discard_unclaimed()


@shared_task
def article_views_flush() -> int:
    """Write the article views buffered by the article page: asked for a moment after a view,
    and by beat every few seconds (what a missed run left)."""
    return feedback.article_views_flush()
