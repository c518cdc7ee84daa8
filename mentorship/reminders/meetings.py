"""Nudges about meeting: the day before a meeting, both members; when a pair has logged no
meeting for one cadence plus a grace period, both members; when it has gone two cadences
(the team page's "at risk"), the mentee's team managers.

Each is sent once: the keys name the meeting and its start (a moved meeting reminds again),
or the pair's last contact (the last meeting held, or the start when none was), so a pair
that meets and then stalls again is nudged again. Only active pairings are nudged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from mentorship.models import Meeting, Pairing
from mentorship.reminders.base import CHUNK_SIZE, day, instant, members
from notifications.engine import Reminder, reminder_source
from people.models import User
from training.selectors.team import local_today

# A pair is nudged once a cadence has passed without a meeting, plus these days: a meeting
# held a day or two late is normal, and logging it often waits until after the weekend.
GRACE = timedelta(days=3)


@reminder_source("mentorship.meeting_tomorrow")
def meeting_tomorrow(now: datetime) -> Iterator[Reminder]:
    """Once per meeting, start and member, on the day before the meeting by the member's
    own calendar: "Your mentoring meeting with Sam Lee is tomorrow at 10:00"."""
    # Whatever a person's zone, a meeting on their tomorrow starts within the next two days.
    meetings = (
        Meeting.objects.filter(
            pairing__status=Pairing.Status.ACTIVE,
            starts_at__gt=now,
            starts_at__lt=now + timedelta(days=2),
        )
        .select_related("pairing__mentor", "pairing__mentee")
        .defer("agenda", "notes")  # the pair's words, possibly long, and not needed here
        .order_by("pk")
    )
    for meeting in meetings.iterator(chunk_size=CHUNK_SIZE):
        for person, other in members(meeting.pairing):
            starts = timezone.localtime(meeting.starts_at, person.zone)
            if starts.date() != local_today(person, now) + timedelta(days=1):
                continue
            yield Reminder(
                recipient=person,
                kind="mentorship.meeting_tomorrow",
                message=f"Your mentoring meeting with {other.name} is tomorrow at "
                f"{starts:%H:%M} ({person.zone.key}).",
                url=meeting.pairing.get_absolute_url(),
                dedupe_key=f"mentorship.meeting-tomorrow:{meeting.pk}:"
                f"{instant(meeting.starts_at)}:{person.pk}",
            )


def _quiet(now: datetime, *, managers: bool = False):
    """(pairing, last contact) for active pairings, in one query (two with the managers)."""
    pairings = (
        Pairing.objects.running()
        .with_health(now)
        .select_related("program", "mentor", "mentee__team")
        .order_by("pk")
    )
    if managers:
        pairings = pairings.prefetch_related(
            Prefetch(
                "mentee__team__managers",
                queryset=User.objects.active().order_by("pk"),
                to_attr="active_managers",
            )
        )
    for pairing in pairings.iterator(chunk_size=CHUNK_SIZE):
        since = pairing.last_contact()
        if since is not None:
            yield pairing, since


def _since(pairing: Pairing, since: datetime, reader: User, *, who: str = "you") -> str:
    """The last contact as `reader` reads it: "since Tue 4 Mar" on their calendar, or "since
    you started on ..." (the start is a date, the same for everyone)."""
    if pairing.last_meeting_at is None:
        return f"since {who} started on {day(pairing.started_on)}"
    return f"since {day(since, reader)}"


@reminder_source("mentorship.no_meeting")
def no_meeting(now: datetime) -> Iterator[Reminder]:
    """Once per pairing, last contact and member: the pair has logged no meeting for one
    cadence plus `GRACE`. Not while a next meeting is already planned (they have acted), and
    not once the end date has come (the wrap-up nudge takes over)."""
    for pairing, since in _quiet(now):
        cadence = pairing.program.cadence_days
        if now - since <= timedelta(days=cadence) + GRACE or pairing.next_meeting_at:
            continue
        for person, other in members(pairing):
            if local_today(person, now) >= pairing.ends_on:
                continue
            yield Reminder(
                recipient=person,
                kind="mentorship.no_meeting",
                message=f"No mentoring meeting with {other.name} logged "
                f"{_since(pairing, since, person)}; {pairing.program} meets every {cadence} "
                "days. Log the meeting you had, or plan the next one.",
                url=pairing.get_absolute_url(),
                dedupe_key=f"mentorship.no-meeting:{pairing.pk}:{instant(since)}:{person.pk}",
            )


@reminder_source("mentorship.at_risk")
def at_risk(now: datetime) -> Iterator[Reminder]:
    """Once per pairing, last contact and manager: the mentee's team managers (active, and
    not in the pair) hear that the pair has not met in two cadences (`Pairing.is_at_risk`,
    the team page's rule), until the end date."""
    for pairing, since in _quiet(now, managers=True):
        team = pairing.mentee.team
        if team is None or not pairing.is_at_risk(now):
            continue
        for manager in team.active_managers:
            if manager.pk in (pairing.mentor_id, pairing.mentee_id):
                continue
            if local_today(manager, now) >= pairing.ends_on:
                continue
            yield Reminder(
                recipient=manager,
                kind="mentorship.at_risk",
                message=f"{pairing.mentee.name} and their mentor {pairing.mentor.name} have not "
                f"logged a meeting {_since(pairing, since, manager, who='they')} "
                f"({(now - since).days} days; {pairing.program} meets every "
                f"{pairing.program.cadence_days} days). Check in with them.",
                url=pairing.get_absolute_url(),
                dedupe_key=f"mentorship.at-risk:{pairing.pk}:{instant(since)}:{manager.pk}",
            )
