"""The leaderboards: who received the most recognition in a period, and who gave the most (giving
is rewarded too). Only counted kudos count (`counted()`: a reported or removed kudos never
does), and only people who can still sign in take a place.

Periods are calendar periods in the organisation's time zone (settings.TIME_ZONE), the clock
every allowance resets on, so "last month" is the same set of kudos for every viewer.

Ranks are shared: people with the same figures share a rank and the next rank skips ("1, 2, 2,
4"), since equal recognition is equal; among them the list is in name order, which decides
nothing but where each is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Rank, RowNumber

from people.models import Team, User
from people.querysets import SHOWN_NAME_ORDER
from recognition.models import Kudos, KudosRecipient
from recognition.models import Value as KudosValue
from recognition.selectors.periods import Span

# Places each board lists; the viewer's own place is added below when they are further down.
TOP = 20


@dataclass(frozen=True)
class BoardRow:
    """One place: the person (with their team), their shared rank, and the board's figures
    (receiving: `points` and `kudos` received; giving: `kudos` given and `colleagues`
    recognised)."""

    rank: int
    person: User
    kudos: int
    points: int = 0
    colleagues: int = 0
    is_viewer: bool = False


@dataclass(frozen=True)
class Board:
    """The top places, how many people are on the board, and the viewer's own place when it
    is below the top (None when they are in it, or not on the board at all)."""

    rows: tuple[BoardRow, ...]
    size: int
    viewer_row: BoardRow | None = None

    @property
    def viewer_listed(self) -> bool:
        return any(row.is_viewer for row in self.rows)


@dataclass(frozen=True)
class Boards:
    span: Span
    team: Team | None
    value: KudosValue | None
    receiving: Board
    giving: Board


def _ranked(people: QuerySet, *, first: str, second: str, viewer, limit: int) -> list[User]:
    """The top `limit` of `people` (annotated with the figures `first` and `second`) and the
    viewer wherever they are, each with `rank`, `place` and `size`, in one query."""
    merit = [F(first).desc(), F(second).desc()]
    return list(
        people.annotate(
            rank=Window(Rank(), order_by=merit),
            place=Window(RowNumber(), order_by=[*merit, SHOWN_NAME_ORDER, F("username").asc()]),
            size=Window(Count("pk")),
            # Whether the row is the viewer's, as a window (over their own row alone): the
            # database may then keep "the top, or the viewer" in the same query, which a
            # plain `pk=` condition beside a window over aggregates cannot be.
            mine=Window(
                Max(Case(When(pk=viewer.pk, then=Value(1)), default=Value(0))),
                partition_by=[F("pk")],
            ),
        )
        .filter(Q(place__lte=limit) | Q(mine=1))
        .select_related("team")
        .order_by("place")
    )


def _board(found: list[User], *, limit: int, make) -> Board:
    rows = [make(person) for person in found]
    top = [row for person, row in zip(found, rows, strict=True) if person.place <= limit]
    below = [row for person, row in zip(found, rows, strict=True) if person.place > limit]
    return Board(
        rows=tuple(top),
        size=found[0].size if found else 0,
        viewer_row=below[0] if below else None,
    )


def receiving_board(
    *,
    span: Span,
    viewer,
    team: Team | None = None,
    value: KudosValue | None = None,
    limit: int = TOP,
) -> Board:
    """Points and kudos received in `span`, by the recipient's team and the kudos's value
    when given; ranked by points, then kudos. One query."""
    received = KudosRecipient.objects.counted().between(span.start, span.end)
    if value is not None:
        received = received.filter(kudos__values=value)
    # Filtered before the sums: they add up exactly these rows (one per kudos and recipient).
    people = User.objects.active().filter(kudos_rows__in=received)
    if team is not None:
        people = people.filter(team=team)
    people = people.annotate(points=Sum("kudos_rows__points"), kudos=Count("kudos_rows"))
    found = _ranked(people, first="points", second="kudos", viewer=viewer, limit=limit)
    return _board(
        found,
        limit=limit,
        make=lambda p: BoardRow(
            p.rank, p, kudos=p.kudos, points=p.points, is_viewer=p.pk == viewer.pk
        ),
    )


def giving_board(
    *,
    span: Span,
    viewer,
    team: Team | None = None,
    value: KudosValue | None = None,
    limit: int = TOP,
) -> Board:
    """Kudos given in `span` and the colleagues they recognised, by the giver's team and the
    kudos's value when given; ranked by kudos, then colleagues. One query."""
    given = Kudos.objects.counted().between(span.start, span.end)
    if value is not None:
        given = given.for_value(value)
    # Filtered before the counts: they count exactly these kudos.
    people = User.objects.active().filter(kudos_given__in=given)
    if team is not None:
        people = people.filter(team=team)
    # A kudos to three colleagues joins three rows: both counts are distinct.
    people = people.annotate(
        kudos=Count("kudos_given", distinct=True),
        colleagues=Count("kudos_given__recipient_rows__recipient", distinct=True),
    )
    found = _ranked(people, first="kudos", second="colleagues", viewer=viewer, limit=limit)
    return _board(
        found,
        limit=limit,
        make=lambda p: BoardRow(
            p.rank, p, kudos=p.kudos, colleagues=p.colleagues, is_viewer=p.pk == viewer.pk
        ),
    )


def leaderboards(
    *, viewer, span: Span, team: Team | None = None, value: KudosValue | None = None
) -> Boards:
    """Both boards for one period, team and value: two queries."""
    return Boards(
        span=span,
        team=team,
        value=value,
        receiving=receiving_board(span=span, viewer=viewer, team=team, value=value),
        giving=giving_board(span=span, viewer=viewer, team=team, value=value),
    )
