"""Questions' periodic work: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def questions_route_due() -> int:
    """Escalate waiting customers' questions and re-route unanswered ones (each person told
    once); returns how many people were told."""
    from questions.services.routing import questions_route_due as sweep

    return sweep(now=timezone.now())
