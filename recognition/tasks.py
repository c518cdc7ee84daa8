"""Recognition's periodic work: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task
def badges_award() -> int:
    """Award the badges people earned since the last sweep (each once, told once)."""
    from recognition.services.badges import badges_award as award

    return award()
