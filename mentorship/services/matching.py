"""What matching writes: the fairness rotation's memory of whom the suggestion page proposed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from mentorship.models import MentoringProfile


def suggestions_record(*, mentor_ids: Sequence[int], now: datetime | None = None) -> int:
    """Stamp `last_suggested_at` of the mentors a suggestion page proposed first, in one
    update; returns how many profiles were stamped.

    The page stamps its top pick alone: the rotation puts the least recently suggested first
    within a band of close scores, so each view hands the top spot to the next person in the
    band and every one of them has it in turn, however many they are."""
    if not mentor_ids:
        return 0
    return MentoringProfile.objects.filter(user_id__in=set(mentor_ids)).update(
        last_suggested_at=now or timezone.now()
    )
