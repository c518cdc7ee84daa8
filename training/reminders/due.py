"""Reminders of due dates on tracks: due in 3 days, due today, overdue (the first day after
the due date, then every 7 days), and one word to the learner's team managers when it is
overdue.

Dates are the learner's own (`User.timezone`): "due today" arrives on their due day
wherever they work, and the team page calls them overdue on the same day
(`training.selectors.team.local_today`). The sweep runs every few minutes, so each occasion
is met within minutes of the learner's midnight.

"Once per occasion" is the dedupe key: it names the enrolment, the due date and the
occasion (the overdue ones also the week), so a changed due date is a new set of occasions,
and a sweep that missed a day sends what is still owed rather than nothing. None are sent
for completed or withdrawn enrolments, inactive learners, or tracks no longer published.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format

from notifications.engine import Reminder, reminder_source
from people.models import User
from training.models import Enrolment
from training.selectors.team import local_today

_CHUNK_SIZE = 500
DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7
# Every time zone's date is within these of UTC's: the database narrows by them, then each
# learner's own date decides.
_BEHIND, _AHEAD = timedelta(hours=12), timedelta(hours=14)


def _dates_in_use(now: datetime) -> tuple[date, date]:
    """The earliest and the latest date it is somewhere on Earth at `now`."""
    utc = now.astimezone(UTC)
    return (utc - _BEHIND).date(), (utc + _AHEAD).date()


def _due(*, first: date | None = None, last: date | None = None, managers: bool = False):
    """Active enrolments of active learners on published tracks, due between `first` and
    `last`, with what a reminder names, in a constant number of queries."""
    enrolments = (
        Enrolment.objects.active()
        .filter(user__is_active=True, track__status="published", due_on__isnull=False)
        .select_related("user__team", "track")
        .order_by("pk")
    )
    if first is not None:
        enrolments = enrolments.filter(due_on__gte=first)
    if last is not None:
        enrolments = enrolments.filter(due_on__lte=last)
    if managers:
        enrolments = enrolments.prefetch_related(
            Prefetch(
                "user__team__managers",
                queryset=User.objects.active().order_by("pk"),
                to_attr="active_managers",
            )
        )
    return enrolments.iterator(chunk_size=_CHUNK_SIZE)


def _days_left(enrolment: Enrolment, now: datetime) -> int:
    return (enrolment.due_on - local_today(enrolment.user, now)).days


def _key(kind: str, enrolment: Enrolment, *rest) -> str:
    return ":".join([f"training.{kind}", str(enrolment.pk), enrolment.due_on.isoformat(), *rest])


@reminder_source("training.due_soon")
def due_soon(now: datetime) -> Iterator[Reminder]:
    """Once per enrolment and due date: the learner hears it is due within 3 days (on the
    third day before, or as soon as a nearer due date is set)."""
    earliest, latest = _dates_in_use(now)
    for enrolment in _due(
        first=earliest + timedelta(days=1), last=latest + timedelta(DUE_SOON_DAYS)
    ):
        days = _days_left(enrolment, now)
        if not 1 <= days <= DUE_SOON_DAYS:
            continue
        when = "tomorrow" if days == 1 else f"in {days} days"
        yield Reminder(
            recipient=enrolment.user,
            kind="training.due_soon",
            message=(
                f"“{enrolment.track}” is due {when} ({date_format(enrolment.due_on)}). "
                "Pick up where you left off."
            ),
            url=enrolment.track.get_absolute_url(),
            dedupe_key=_key("due-soon", enrolment),
        )


@reminder_source("training.due_today")
def due_today(now: datetime) -> Iterator[Reminder]:
    """Once per enrolment and due date: on the learner's due day."""
    earliest, latest = _dates_in_use(now)
    for enrolment in _due(first=earliest, last=latest):
        if _days_left(enrolment, now) != 0:
            continue
        yield Reminder(
            recipient=enrolment.user,
            kind="training.due_today",
            message=f"“{enrolment.track}” is due today.",
            url=enrolment.track.get_absolute_url(),
            dedupe_key=_key("due-today", enrolment),
        )


def overdue_occasion(days_late: int) -> int:
    """Which overdue reminder `days_late` days after the due date belongs to: 1 for the
    first week, then 7, 14, 21..., so a late sweep still sends the one owed."""
    return (
        1
        if days_late < OVERDUE_EVERY_DAYS
        else days_late // OVERDUE_EVERY_DAYS * OVERDUE_EVERY_DAYS
    )


@reminder_source("training.overdue")
def overdue(now: datetime) -> Iterator[Reminder]:
    """The first day after the due date, then every 7 days until it is completed or the
    learner leaves the track (or the manager moves the due date)."""
    _, latest = _dates_in_use(now)
    for enrolment in _due(last=latest - timedelta(days=1)):
        late = -_days_left(enrolment, now)
        if late < 1:
            continue
        occasion = overdue_occasion(late)
        yield Reminder(
            recipient=enrolment.user,
            kind="training.overdue",
            message=(
                f"“{enrolment.track}” was due on {date_format(enrolment.due_on)} "
                f"({late} day{'s' if late != 1 else ''} ago). Finish it, or talk to your manager "
                "about a new date."
            ),
            url=enrolment.track.get_absolute_url(),
            dedupe_key=_key("overdue", enrolment, str(occasion)),
        )


@reminder_source("training.overdue_escalation")
def overdue_escalation(now: datetime) -> Iterator[Reminder]:
    """Once per enrolment, due date and manager: the learner's team managers (active, and
    not the learner) hear that a track is overdue."""
    _, latest = _dates_in_use(now)
    page = reverse("training:team")
    for enrolment in _due(last=latest - timedelta(days=1), managers=True):
        team = enrolment.user.team
        if team is None or _days_left(enrolment, now) >= 0:
            continue
        learner = enrolment.user
        for manager in team.active_managers:
            if manager.pk == learner.pk:
                continue
            yield Reminder(
                recipient=manager,
                kind="training.overdue_escalation",
                message=(
                    f"{learner.name} has not completed “{enrolment.track}”, due on "
                    f"{date_format(enrolment.due_on)}."
                ),
                url=f"{page}?team={team.slug}&status=overdue",
                dedupe_key=_key("overdue-escalate", enrolment, str(manager.pk)),
            )
