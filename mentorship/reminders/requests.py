"""The nudge to a mentor who has not answered a request: once, at half the programme's
accept window (`MentorRequest.nudge_at`). When the window closes the expiry service
(`services.pairings.requests_expire`) tells the mentee; that is not repeated here. Once the
request is answered, withdrawn or expired, the nudge is marked read with the first ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from mentorship.models import MentorRequest
from mentorship.reminders.base import CHUNK_SIZE
from notifications.engine import Reminder, reminder_source


@reminder_source("mentorship.request_waiting")
def request_waiting(now: datetime) -> Iterator[Reminder]:
    """Once per request: its active mentor, from half the window until it expires or is
    answered (declined, accepted or withdrawn requests are no longer open)."""
    waiting = (
        MentorRequest.objects.open(now)
        .filter(pairing__mentor__is_active=True)
        .select_related("pairing__program", "pairing__mentor", "pairing__mentee", "requested_by")
        .defer("message")
        .order_by("pk")
    )
    for request in waiting.iterator(chunk_size=CHUNK_SIZE):
        if request.nudge_at() > now:
            continue
        pairing = request.pairing
        mentor, mentee = pairing.mentor, pairing.mentee
        if request.requested_by_id in (None, mentee.pk):
            asked = f"{mentee.name} asked you to be their mentor in {pairing.program}"
        else:
            asked = (
                f"{request.requested_by.name} proposed you as {mentee.name}'s mentor in "
                f"{pairing.program}"
            )
        expires = timezone.localtime(request.expires_at, mentor.zone)
        yield Reminder(
            recipient=mentor,
            kind="mentorship.request_waiting",
            message=f"{asked} and is waiting for your answer. Please accept or decline by "
            f"{date_format(expires, 'D j M, H:i')} ({mentor.zone.key}), when the request "
            "expires.",
            url=pairing.get_absolute_url(),
            # Under the request's own prefix, so answering, withdrawing or expiring it settles
            # this nudge with the first "please answer" (`services.pairings._request_key`).
            dedupe_key=f"mentorship.request:{pairing.pk}:nudge",
        )
