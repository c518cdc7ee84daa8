"""The shapes every home page section returns: a `Section` (the first rows of a list and its
total), and for "what needs me today" an `Item` with its `Urgency`, gathered in `Group`s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum

# How many rows a section or a group of the home page shows before "and N more".
SHOWN = 5
# "This week": the next seven days, as "due soon" counts them on the training pages
# (`training.selectors.learning.DUE_SOON_DAYS`) and milestone nudges do.
WEEK_DAYS = 7


@dataclass(frozen=True)
class Section:
    """The first few rows of a list and how many it has in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def section(queryset, limit: int = SHOWN) -> Section:
    """The first `limit` rows of `queryset` and its total: one query, two when it is full."""
    items = list(queryset[:limit])
    # A short first page is the whole list: no count query needed.
    total = len(items) if len(items) < limit else queryset.order_by().count()
    return Section(items=items, total=total)


class Urgency(IntEnum):
    """How soon an item needs its person; lower is sooner. A customer waiting on the phone
    comes before anything with a date."""

    CUSTOMER_WAITING = 0
    OVERDUE = 1
    TODAY = 2
    THIS_WEEK = 3
    WAITING = 4  # no date of its own: someone is waiting for an answer
    LATER = 5

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def css(self) -> str:
        """The pill's colour class (`.pill.warn` and `.pill.overdue` in huddle.css)."""
        return _CSS[self]


_LABELS = {
    Urgency.CUSTOMER_WAITING: "Customer waiting",
    Urgency.OVERDUE: "Overdue",
    Urgency.TODAY: "Today",
    Urgency.THIS_WEEK: "This week",
    Urgency.WAITING: "Waiting for you",
    Urgency.LATER: "Coming up",
}
_CSS = {
    Urgency.CUSTOMER_WAITING: "overdue",
    Urgency.OVERDUE: "overdue",
    Urgency.TODAY: "warn",
    Urgency.THIS_WEEK: "",
    Urgency.WAITING: "",
    Urgency.LATER: "",
}


def by_date(day: date, today: date) -> Urgency:
    """A due date as an urgency, on the person's own calendar (`today`)."""
    if day < today:
        return Urgency.OVERDUE
    if day == today:
        return Urgency.TODAY
    if (day - today).days <= WEEK_DAYS:
        return Urgency.THIS_WEEK
    return Urgency.LATER


@dataclass(frozen=True)
class Item:
    """One thing to do: what, where it is done, a line of detail, and how urgent it is.
    `when` orders items of the same urgency (sooner, or waiting longer, first)."""

    title: str
    url: str
    detail: str
    urgency: Urgency
    when: datetime | date | None = None

    def sort_key(self) -> tuple:
        moment = self.when
        if isinstance(moment, datetime):
            moment = moment.timestamp()
        elif isinstance(moment, date):
            moment = datetime(moment.year, moment.month, moment.day).timestamp()
        return (self.urgency, moment if moment is not None else float("inf"), self.title)


@dataclass(frozen=True)
class Group:
    """One kind of thing to do, most urgent first, with how many there are in all and the
    page that lists every one (the "and N more" link)."""

    key: str  # also the id of the group's heading: "today-<key>-h"
    heading: str
    items: tuple[Item, ...]
    total: int
    more_url: str
    more_label: str

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    @property
    def urgency(self) -> Urgency:
        return min((item.urgency for item in self.items), default=Urgency.LATER)

    def sort_key(self) -> tuple:
        first = min((item.sort_key() for item in self.items), default=(Urgency.LATER,))
        return first


def group(
    *, key: str, heading: str, items, total: int, more_url: str, more_label: str
) -> Group | None:
    """A group of `items` sorted most urgent first; None when there is nothing to do."""
    if not total:
        return None
    ordered = tuple(sorted(items, key=Item.sort_key))
    return Group(key, heading, ordered, total, more_url, more_label)
