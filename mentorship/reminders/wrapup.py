"""The nudge at the end of a pairing: each member who has not given feedback is asked, once
per pairing, when the pairing is still active and its end date has come ("wrap up and give
feedback"), or when it was completed and their feedback has not come
(`FEEDBACK_NUDGE_AFTER`). The one nudge that reaches completed pairings; ended, declined,
expired and withdrawn ones get nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from mentorship.models import Pairing, PairingFeedback
from mentorship.reminders.base import CHUNK_SIZE, dates_in_use, day, members
from notifications.engine import Reminder, reminder_source
from training.selectors.team import local_today

# Completing a pairing already asks the other member for feedback
# (`services.pairings.pairing_complete`), and the one who completed it is on the page with
# the form: this is the follow-up for whoever has not answered a few days later.
FEEDBACK_NUDGE_AFTER = timedelta(days=3)
# Feedback is asked for while the pairing is fresh in mind; pairings completed longer ago
# (before this nudge existed, say) are history, and the sweep need not read them forever.
FEEDBACK_ASKED_WITHIN = timedelta(days=30)


def _gave(side: str) -> Exists:
    return Exists(PairingFeedback.objects.filter(pairing=OuterRef("pk"), author=OuterRef(side)))


@reminder_source("mentorship.feedback_due")
def feedback_due(now: datetime) -> Iterator[Reminder]:
    """Once per pairing and member who has given no feedback yet."""
    _, latest = dates_in_use(now)
    pairings = (
        Pairing.objects.filter(
            Q(
                status=Pairing.Status.COMPLETED,
                completed_at__lte=now - FEEDBACK_NUDGE_AFTER,
                completed_at__gte=now - FEEDBACK_ASKED_WITHIN,
            )
            | Q(status=Pairing.Status.ACTIVE, ends_on__lte=latest)
        )
        .annotate(mentor_gave=_gave("mentor"), mentee_gave=_gave("mentee"))
        .exclude(mentor_gave=True, mentee_gave=True)
        .select_related("program", "mentor", "mentee")
        .order_by("pk")
    )
    for pairing in pairings.iterator(chunk_size=CHUNK_SIZE):
        gave = {pairing.mentor_id: pairing.mentor_gave, pairing.mentee_id: pairing.mentee_gave}
        for person, other in members(pairing):
            if gave[person.pk]:
                continue
            if pairing.is_active:
                if local_today(person, now) < pairing.ends_on:
                    continue
                message = (
                    f"Your mentoring with {other.name} in {pairing.program} reached its end "
                    f"date ({day(pairing.ends_on)}): wrap it up, mark it completed and give "
                    "your feedback."
                )
            else:
                message = (
                    f"Your mentoring with {other.name} in {pairing.program} was completed on "
                    f"{day(pairing.completed_at, person)}: give your feedback (a rating and a "
                    "few words). Only the programme's managers read it."
                )
            yield Reminder(
                recipient=person,
                kind="mentorship.feedback_due",
                message=message,
                url=pairing.get_absolute_url(),
                dedupe_key=f"mentorship.feedback-due:{pairing.pk}:{person.pk}",
            )
