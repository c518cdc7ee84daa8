"""What every mentorship nudge shares: who of a pair is told, and which dates are "today"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from mentorship.models import Pairing
from people.models import User

CHUNK_SIZE = 500
# Every time zone's date is within these of UTC's: the database narrows by them, then each
# recipient's own date (`training.selectors.team.local_today`) decides.
_BEHIND, _AHEAD = timedelta(hours=12), timedelta(hours=14)


def dates_in_use(now: datetime) -> tuple[date, date]:
    """The earliest and the latest date it is somewhere on Earth at `now`."""
    utc = now.astimezone(UTC)
    return (utc - _BEHIND).date(), (utc + _AHEAD).date()


def members(pairing: Pairing) -> Iterator[tuple[User, User]]:
    """(recipient, the other member) for each member of the pair who can still sign in.
    Reads `mentor` and `mentee` (select them with the pairing)."""
    for person, other in ((pairing.mentor, pairing.mentee), (pairing.mentee, pairing.mentor)):
        if person.is_active:
            yield person, other


def instant(moment: datetime) -> str:
    """A moment for a dedupe key: the same instant always reads the same, whatever zone
    the value came back in."""
    return moment.astimezone(UTC).isoformat()


def day(value: date | datetime, person: User | None = None) -> str:
    """A day as a message names it, "Tue 4 Mar" (a moment: on `person`'s calendar)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value, person.zone if person else UTC)
    return date_format(value, "D j M")


def in_days(days: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
