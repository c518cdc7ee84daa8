"""Mentorship's periodic work: each task calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task
def requests_expire() -> int:
    """Expire proposals the mentor left unanswered past the programme's window."""
    from mentorship.services.pairings import requests_expire as expire

    return expire()


@shared_task
def goals_sync() -> int:
    """Meet the goals whose linked training track the mentee has completed."""
    from mentorship.services.plans import goals_sync_from_training

    return goals_sync_from_training()
