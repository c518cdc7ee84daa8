"""The organisation's calendar: its time zone (settings.TIME_ZONE), the month every allowance
resets on, and the named periods that leaderboards, the wall and team pages filter by. Every
viewer's "last month" is the same set of kudos."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def organisation_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def organisation_today(now: datetime | None = None) -> date:
    """Today's date in the organisation's time zone: when a story's pinned period runs."""
    return timezone.localtime(now or timezone.now(), organisation_zone()).date()


def month_start(now: datetime | None = None) -> datetime:
    """Midnight on the 1st of `now`'s month in the organisation's time zone: when every
    allowance resets."""
    local = timezone.localtime(now or timezone.now(), organisation_zone())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def months_later(start: datetime, months: int) -> datetime:
    """Midnight on the 1st `months` after `start` (itself midnight on a 1st), on the same
    clock: each datetime gets its own UTC offset, so summer time falls where it should."""
    index = start.year * 12 + start.month - 1 + months
    return start.replace(year=index // 12, month=index % 12 + 1)


def next_month_start(now: datetime | None = None) -> datetime:
    return months_later(month_start(now), 1)


PERIODS = [
    ("month", "This month"),
    ("last-month", "Last month"),
    ("quarter", "This quarter"),
    ("year", "This year"),
]
DEFAULT_PERIOD = "month"
PERIOD_LABELS = dict(PERIODS)


@dataclass(frozen=True)
class Span:
    """A period as [start, end) in the organisation's time zone, with how people name it:
    `label` is the choice ("Last month"), `title` the calendar's name for it ("May 2026")."""

    key: str
    label: str
    title: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def end_day(self) -> date:
        """The day after the last one (for dates such as a praise's `received_on`)."""
        return self.end.date()


def period_span(key: str = DEFAULT_PERIOD, *, now: datetime | None = None) -> Span:
    """The period named `key` (one of `PERIODS`; an unknown key is this month) around `now`."""
    this_month = month_start(now)
    if key == "last-month":
        start = months_later(this_month, -1)
        return Span(key, PERIOD_LABELS[key], f"{start:%B %Y}", start, this_month)
    if key == "quarter":
        start = months_later(this_month, -((this_month.month - 1) % 3))
        quarter = (start.month - 1) // 3 + 1
        return Span(
            key, PERIOD_LABELS[key], f"Q{quarter} {start.year}", start, months_later(start, 3)
        )
    if key == "year":
        start = months_later(this_month, -(this_month.month - 1))
        return Span(key, PERIOD_LABELS[key], f"{start.year}", start, months_later(start, 12))
    return Span(
        "month",
        PERIOD_LABELS["month"],
        f"{this_month:%B %Y}",
        this_month,
        months_later(this_month, 1),
    )
