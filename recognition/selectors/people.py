"""Recognition as it concerns people: a person's own page ("My recognition"), the section on
anyone's profile, and a manager's summary of their team for a period. Each reads a constant
number of queries whatever the numbers.

What counts and shows to others is `counted()` only (a reported or removed kudos never does);
the one exception is the giver's own list of kudos given, where their kudos under review or
removed still show, marked, as `Kudos.objects.visible_to` lets them see it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce

from people.models import Team, User
from people.querysets import SHOWN_NAME_ORDER
from recognition.models import BadgeAward, Kudos, KudosRecipient, Praise, Redemption
from recognition.selectors.accounts import Allowance, allowance_for, points_balance
from recognition.selectors.periods import Span
from recognition.selectors.wall import kudos_cards

KUDOS_PER_PAGE = 10
REDEMPTIONS_SHOWN = 10
PRAISE_SHOWN = 5
PROFILE_KUDOS = 3
TEAM_RECENT = 10


def _with_recipients(kudos: QuerySet) -> QuerySet:
    rows = KudosRecipient.objects.select_related("recipient").order_by("pk")
    return kudos.prefetch_related("values", Prefetch("recipient_rows", queryset=rows))


def _received(person) -> QuerySet:
    """Counted kudos `person` received, newest first, with the giver and the values."""
    return (
        Kudos.objects.counted()
        .filter(recipient_rows__recipient=person)
        .select_related("giver")
        .prefetch_related("values")
        .order_by("-created_at", "-pk")
    )


def _praise_naming(person, viewer) -> QuerySet:
    return (
        Praise.objects.visible_to(viewer)
        .filter(agents=person)
        .order_by("-received_on", "-created_at", "-pk")
    )


# --- My recognition ------------------------------------------------------------------------


@dataclass(frozen=True)
class MyRecognition:
    """What a person has: this month's allowance to give, the balance of points received that
    rewards are bought with, their redemptions, badges, kudos received and given (a page of
    each: `received`/`given` number the pages, `received_cards`/`given_cards` are the wall's
    kudos cards of that page) and the customer praise naming them."""

    allowance: Allowance
    balance: int
    redemptions: tuple[Redemption, ...]
    more_redemptions: bool
    badges: tuple[BadgeAward, ...]
    received: Page
    received_cards: tuple[Kudos, ...]
    given: Page
    given_cards: tuple[Kudos, ...]
    praise: tuple[Praise, ...]
    praise_count: int


def _page(kudos: QuerySet, number) -> tuple[Page, list[int]]:
    """Page `number` of `kudos`, and its kudos's ids in order (the cards are read apart)."""
    page = Paginator(kudos.values_list("pk", flat=True), KUDOS_PER_PAGE).get_page(number)
    return page, list(page.object_list)


def my_recognition(
    *,
    user,
    received_page: str | int | None = None,
    given_page: str | int | None = None,
    now: datetime | None = None,
) -> MyRecognition:
    """The "My recognition" page of `user`; a page number that is not one shows the nearest
    page there is. Kudos received are the counted ones; kudos given are every one the giver
    sees (`visible_to`), their own under review or removed among them, marked by the card."""
    redemptions = list(
        Redemption.objects.filter(person=user)
        .select_related("reward", "decided_by")
        .order_by("-created_at", "-pk")[: REDEMPTIONS_SHOWN + 1]
    )
    received = (
        Kudos.objects.counted()
        .filter(recipient_rows__recipient=user)
        .order_by("-created_at", "-pk")
    )
    given = Kudos.objects.visible_to(user).filter(giver=user).order_by("-created_at", "-pk")
    received_page, received_ids = _page(received, received_page)
    given_page, given_ids = _page(given, given_page)
    # Both pages' cards in one read, as the wall draws them (a kudos may be on both lists
    # only if one gave it to oneself, which the database refuses).
    cards = {}
    if received_ids or given_ids:
        both = Kudos.objects.filter(pk__in=[*received_ids, *given_ids])
        cards = {k.pk: k for k in kudos_cards(viewer=user, kudos=both)}
    praise = list(_praise_naming(user, user).annotate(total=Window(Count("pk")))[:PRAISE_SHOWN])
    return MyRecognition(
        allowance=allowance_for(user, now=now),
        balance=points_balance(user),
        redemptions=tuple(redemptions[:REDEMPTIONS_SHOWN]),
        more_redemptions=len(redemptions) > REDEMPTIONS_SHOWN,
        badges=tuple(BadgeAward.objects.filter(user=user).select_related("badge")),
        received=received_page,
        received_cards=tuple(cards[pk] for pk in received_ids if pk in cards),
        given=given_page,
        given_cards=tuple(cards[pk] for pk in given_ids if pk in cards),
        praise=tuple(praise),
        praise_count=praise[0].total if praise else 0,
    )


# --- The profile section -------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRecognition:
    """A person's recognition as a colleague sees it on their profile; `allowance` and
    `balance` only on one's own profile."""

    badges: tuple[BadgeAward, ...]
    recent: tuple[Kudos, ...]
    kudos_count: int
    latest_praise: Praise | None
    praise_count: int
    allowance: Allowance | None = None
    balance: int | None = None


def profile_recognition(*, viewer, person, now: datetime | None = None) -> ProfileRecognition:
    """Badges with the date earned, the count and the most recent counted kudos received,
    the count of customer praise and the latest; for oneself, the allowance left and the
    balance too. Four queries for a colleague's profile (three when they received nothing),
    eight for one's own."""
    recent = list(_received(person).annotate(total=Window(Count("pk")))[:PROFILE_KUDOS])
    praise = _praise_naming(person, viewer).annotate(total=Window(Count("pk"))).first()
    own = {}
    if viewer.pk == person.pk:
        own = {"allowance": allowance_for(person, now=now), "balance": points_balance(person)}
    return ProfileRecognition(
        badges=tuple(BadgeAward.objects.filter(user=person).select_related("badge")),
        recent=tuple(recent),
        kudos_count=recent[0].total if recent else 0,
        latest_praise=praise,
        praise_count=praise.total if praise else 0,
        **own,
    )


# --- A manager's team ----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """One member of the team and their recognition in the period."""

    person: User
    kudos_received: int
    points_received: int
    kudos_given: int
    badges: int
    praise: int


@dataclass(frozen=True)
class TeamRecognition:
    """The team page: the teams the viewer may pick, the one shown (None: all the teams they
    manage), the period, each member's figures, the members nobody recognised in the period
    (the viewer aside) and the team's most recent counted kudos of the period."""

    teams: tuple[Team, ...]
    team: Team | None
    shown: tuple[Team, ...]
    span: Span
    members: tuple[MemberRow, ...] = ()
    unrecognised: tuple[User, ...] = ()
    recent: tuple[Kudos, ...] = ()

    @property
    def spans_teams(self) -> bool:
        """Whether the page covers more than one team: only then is each person's team named."""
        return len(self.shown) > 1

    @property
    def own_teams(self) -> tuple[Team, ...]:
        return tuple(team for team in self.teams if team.mine)


def recognition_teams(*, viewer) -> list[Team]:
    """The teams `viewer` may open on the team page, each with `mine` (they manage it):
    the teams they manage, or every team for an admin. One query."""
    teams = Team.objects.annotate(
        mine=Exists(Team.managers.through.objects.filter(team_id=OuterRef("pk"), user=viewer.pk))
    ).order_by("name", "pk")
    if not viewer.is_superuser:
        teams = teams.filter(mine=True)
    return list(teams)


def _per_person(rows: QuerySet, field: str, figure) -> Coalesce:
    """`figure` (an aggregate) of `rows` whose `field` is the person of the outer query."""
    found = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(figure=figure)
        .values("figure")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), 0)


def team_recognition(
    *, viewer, teams: list[Team], team: Team | None, shown: list[Team], span: Span
) -> TeamRecognition:
    """The recognition of the active members of the `shown` teams in `span`: one query for
    the members with their figures, three for the recent kudos with their people and values."""
    summary = TeamRecognition(teams=tuple(teams), team=team, shown=tuple(shown), span=span)
    if not shown:
        return summary
    received = KudosRecipient.objects.counted().between(span.start, span.end)
    given = Kudos.objects.counted().between(span.start, span.end)
    badges = BadgeAward.objects.filter(awarded_at__gte=span.start, awarded_at__lt=span.end)
    # A praise's date is a calendar day: the period's days in the organisation's time zone.
    praise = Praise.objects.visible_to(viewer).filter(
        received_on__gte=span.first_day, received_on__lt=span.end_day
    )
    people = (
        User.objects.active()
        .filter(team__in=[t.pk for t in shown])
        .select_related("team")
        .annotate(
            # Named apart from the relations (`kudos_received` is one).
            received_count=_per_person(received, "recipient", Count("pk")),
            received_points=_per_person(received, "recipient", Sum("points")),
            given_count=_per_person(given, "giver", Count("pk")),
            badge_count=_per_person(badges, "user", Count("pk")),
            praise_count=_per_person(praise, "agents", Count("pk")),
        )
        .order_by(SHOWN_NAME_ORDER, "username")
    )
    members = [
        MemberRow(
            p, p.received_count, p.received_points, p.given_count, p.badge_count, p.praise_count
        )
        for p in people
    ]
    involving = reduce(or_, (Kudos.objects.counted().involving_team(t) for t in shown))
    recent = _with_recipients(
        involving.between(span.start, span.end)
        .select_related("giver")
        .order_by("-created_at", "-pk")
    )[:TEAM_RECENT]
    return replace(
        summary,
        members=tuple(members),
        unrecognised=tuple(
            m.person for m in members if m.kudos_received == 0 and m.person.pk != viewer.pk
        ),
        recent=tuple(recent),
    )
