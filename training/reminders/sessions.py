"""The day-before reminder of a knowledge-sharing session, to everyone with a seat.

A person is reminded by the first sweep that finds their session starting within the next
day: a sweep every few minutes finds it many times and the dedupe key sends it once; a
missed sweep only makes it a little later (never lost, as long as the session has not
started). The key names the sign-up and the start, so a session moved to another day
reminds again. Cancelled sessions, cancelled sign-ups and the waitlist get nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from notifications.engine import Reminder, reminder_source
from training.calendar import when_for
from training.models import SessionSignup

REMINDER_LEAD = timedelta(days=1)
_CHUNK_SIZE = 500


@reminder_source("training.session_day_before")
def session_day_before(now: datetime) -> Iterator[Reminder]:
    """Once per seat and start: "“Refund war stories” starts Tue 4 Mar 2025, 14:00"."""
    signups = (
        SessionSignup.objects.confirmed()
        .filter(
            session__status="scheduled",
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_LEAD,
            user__is_active=True,
        )
        .select_related("session", "user")
        .order_by("pk")
    )
    for signup in signups.iterator(chunk_size=_CHUNK_SIZE):
        session, person = signup.session, signup.user
        place = session.location or "online"
        online = (
            f" (join online: {session.video_url})" if session.location and session.video_url else ""
        )
        yield Reminder(
            recipient=person,
            kind="training.session_reminder",
            message=f"Reminder: “{session.title}” starts {when_for(session.starts_at, person)}, "
            f"{'in ' if session.location else ''}{place}{online}.",
            url=session.get_absolute_url(),
            dedupe_key=f"training.session-reminder:{signup.pk}:{session.starts_at.isoformat()}",
        )
