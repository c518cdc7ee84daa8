"""The weekly recognition digest: once per person and ISO week, what the past week brought
them (kudos received, their points and values), what their team gave, the badges they
earned and the success stories pinned that week.

Each person's week is their own: the digest of a week is due from Monday `SEND_FROM` on
their clock, and covers Monday to Sunday on that clock. It is made once (the dedupe key names
the person and the week), never for people who cannot sign in or who turned email off, and
not at all when there is nothing to tell.

It is one notification of kind "recognition.digest", so it folds into the person's one
digest (`notifications.digests`): `notify` puts it there for everyone who has a digest (some
kind set to "digest only"), whatever they chose for recognition, unless that is "in-app
only"; only people without a digest get it as its own weekly email. Nobody gets two digests.

The sweep reads in a constant number of queries per chunk of `CHUNK_SIZE` people, whatever
their number: the people once, then per chunk the digests already sent, the kudos they
received (with their values), their teams' kudos, their badges and the week's stories.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import islice

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator

from notifications.engine import Reminder, reminder_source
from notifications.models import Notification
from people.models import User
from recognition.models import BadgeAward, Kudos, KudosRecipient, SuccessStory

CHUNK_SIZE = 500
# A digest is due from Monday morning, on the reader's own clock: not at midnight, when
# nobody reads it and the email sits under the night's mail.
SEND_FROM = time(8)
# A notification is a short summary (the page at the link has the rest).
MESSAGE_MAX = 500
# How many values, badges and stories a message names before "and N more".
NAMED = 3
TITLE_MAX = 60


@dataclass(frozen=True)
class Week:
    """One person's past ISO week, Monday 00:00 to the next Monday 00:00 on their clock."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date
    label: str  # "2026-W48"


def due_week(person: User, now: datetime) -> Week | None:
    """The week whose digest `person` is due at `now`: the one before their current ISO
    week, once their Monday has reached `SEND_FROM` (None before then)."""
    zone = person.zone
    local = timezone.localtime(now, zone)
    monday = local.date() - timedelta(days=local.weekday())
    if local.replace(tzinfo=None) < datetime.combine(monday, SEND_FROM):
        return None
    first = monday - timedelta(days=7)
    year, week, _ = first.isocalendar()
    return Week(
        start=datetime.combine(first, time.min, tzinfo=zone),
        end=datetime.combine(monday, time.min, tzinfo=zone),
        first_day=first,
        last_day=monday - timedelta(days=1),
        label=f"{year}-W{week:02d}",
    )


def dedupe_key(person: User, week: Week) -> str:
    return f"recognition.digest:{person.pk}:{week.label}"


@dataclass
class Digest:
    """What one person's digest tells, for one week."""

    kudos: set[int] = field(default_factory=set)
    points: int = 0
    values: Counter = field(default_factory=Counter)
    team_kudos: int = 0
    badges: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.kudos or self.team_kudos or self.badges or self.stories)


def _chunks(rows: Iterable[User]) -> Iterator[list[User]]:
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def _within(moment: datetime, week: Week) -> bool:
    return week.start <= moment < week.end


def _digests(pending: list[tuple[User, Week]]) -> dict[int, Digest]:
    """Each pending person's digest, read in four queries for the whole chunk: the people's
    weeks differ by time zone, so rows are read for the span of all of them and each is
    kept for the people whose own week it falls in."""
    start = min(week.start for _, week in pending)
    end = max(week.end for _, week in pending)
    weeks = {person.pk: week for person, week in pending}
    digests = {person.pk: Digest() for person, _ in pending}

    received = (
        KudosRecipient.objects.counted()
        .between(start, end)
        .filter(recipient__in=list(weeks))
        .order_by()
        .values_list("recipient_id", "kudos_id", "points", "kudos__created_at",
                     "kudos__values__emoji", "kudos__values__name")
    )  # fmt: skip
    for person_id, kudos_id, points, created_at, emoji, name in received:
        if not _within(created_at, weeks[person_id]):
            continue
        digest = digests[person_id]
        # One row per value of the kudos: its points count once.
        if kudos_id not in digest.kudos:
            digest.kudos.add(kudos_id)
            digest.points += points
        if name:
            digest.values[f"{emoji} {name}"] += 1

    members = defaultdict(list)
    for person, _ in pending:
        if person.team_id:
            members[person.team_id].append(person.pk)
    if members:
        given = (
            Kudos.objects.counted()
            .between(start, end)
            .filter(giver__team__in=list(members))
            .order_by()
            .values_list("giver__team_id", "created_at")
        )
        for team_id, created_at in given:
            for person_id in members[team_id]:
                if _within(created_at, weeks[person_id]):
                    digests[person_id].team_kudos += 1

    awards = (
        BadgeAward.objects.filter(user__in=list(weeks), awarded_at__gte=start, awarded_at__lt=end)
        .order_by("awarded_at", "pk")
        .values_list("user_id", "awarded_at", "badge__emoji", "badge__name")
    )
    for person_id, awarded_at, emoji, name in awards:
        if _within(awarded_at, weeks[person_id]):
            digests[person_id].badges.append(f"{emoji} {name}")

    # Stories pinned from a day of the week, whose kudos (if any) still counts.
    first = min(week.first_day for _, week in pending)
    last = max(week.last_day for _, week in pending)
    stories = (
        SuccessStory.objects.filter(pinned_from__gte=first, pinned_from__lte=last)
        .filter(Q(kudos__isnull=True) | Q(kudos__in=Kudos.objects.counted()))
        .order_by("pinned_from", "pk")
        .values_list("pinned_from", "title")
    )
    for pinned_from, title in stories:
        for person_id, week in weeks.items():
            if week.first_day <= pinned_from <= week.last_day:
                digests[person_id].stories.append(title)
    return digests


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:NAMED])
    more = len(items) - NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def message(person: User, week: Week, digest: Digest) -> str:
    """The digest in at most `MESSAGE_MAX` characters: "Your recognition for 23 Nov to 29 Nov:
    you received 3 kudos (+30 points) for 🚀 Went the extra mile (2); Billing Support gave 12
    kudos; new badge: 🌱 First kudos; success story: “Refund rescue”." """
    parts = []
    if digest.kudos:
        count = len(digest.kudos)
        text = f"you received {count} kudos"
        if digest.points:
            text += f" (+{digest.points} point{'s' if digest.points != 1 else ''})"
        named = [
            f"{value} ({n})" if n > 1 else value
            for value, n in sorted(digest.values.items(), key=lambda item: (-item[1], item[0]))
        ]
        if named:
            text += f" for {_listed(named)}"
        parts.append(text)
    if digest.team_kudos:
        parts.append(f"{person.team.name} gave {digest.team_kudos} kudos")
    if digest.badges:
        label = "new badge" if len(digest.badges) == 1 else "new badges"
        parts.append(f"{label}: {_listed(digest.badges)}")
    if digest.stories:
        label = "success story" if len(digest.stories) == 1 else "success stories"
        titles = [f"“{Truncator(title).chars(TITLE_MAX)}”" for title in digest.stories]
        parts.append(f"{label}: {_listed(titles)}")
    period = f"{date_format(week.first_day, 'j M')} to {date_format(week.last_day, 'j M')}"
    body = "; ".join(parts)
    text = f"Your recognition for {period}: {body}."
    return Truncator(text).chars(MESSAGE_MAX)


@reminder_source("recognition.digest")
def weekly_digest(now: datetime) -> Iterator[Reminder]:
    """Once per person and ISO week, from their Monday `SEND_FROM` on: the past week's
    recognition, for active people who receive email, when there is anything to tell."""
    people = (
        User.objects.active().filter(email_notifications=True).select_related("team").order_by("pk")
    )
    url = reverse("recognition:me")
    for chunk in _chunks(people.iterator(chunk_size=CHUNK_SIZE)):
        due = [(person, week) for person in chunk if (week := due_week(person, now))]
        if not due:
            continue
        keys = {person.pk: dedupe_key(person, week) for person, week in due}
        sent = set(
            Notification.objects.filter(dedupe_key__in=keys.values()).values_list(
                "dedupe_key", flat=True
            )
        )
        pending = [(person, week) for person, week in due if keys[person.pk] not in sent]
        if not pending:
            continue
        digests = _digests(pending)
        for person, week in pending:
            digest = digests[person.pk]
            if not digest:
                continue
            yield Reminder(
                recipient=person,
                kind="recognition.digest",
                message=message(person, week, digest),
                url=url,
                dedupe_key=keys[person.pk],
            )
