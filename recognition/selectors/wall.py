"""The wall's reads: one feed of kudos, customer praise and approved awards, newest first,
filtered and paginated; the success stories pinned today; and what a kudos card may show its
viewer (the work it was for, reactions, their rights), worked out for a whole page at once.

The feed is a UNION of `(kind, item_id, at)` rows over the three models, each filtered
before the union, so one count and one page query serve any mix; the page's rows of each kind
are then fetched in one query each with what their cards show. The number of queries is the
same for a page of 3 rows as for a page of 20.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models import Value as V

from kb.mentions import link_mentions, mentioned_people
from kb.models import Article
from mentorship.models import Pairing
from people.models import Team, User
from recognition.models import (
    Kudos,
    KudosComment,
    KudosRecipient,
    Nomination,
    Praise,
    Reaction,
    SuccessStory,
)
from recognition.models import Value as ServiceValue
from recognition.selectors.periods import PERIOD_LABELS, period_span
from recognition.selectors.periods import PERIODS as CALENDAR_PERIODS
from training.models import Session

PER_PAGE = 20

KUDOS, PRAISE, AWARD = "kudos", "praise", "award"
# The kind filter's choices; "" is everything.
KINDS = [
    ("", "Everything"),
    ("kudos", "Kudos"),
    ("praise", "Customer praise"),
    ("awards", "Awards"),
]
_KIND_ROWS = {"kudos": KUDOS, "praise": PRAISE, "awards": AWARD}
# The organisation's periods, and "" for all time.
PERIODS = [("", "All time"), *CALENDAR_PERIODS]


@dataclass(frozen=True)
class WallFilters:
    """What the feed is narrowed to. `value` keeps kudos only (praise and awards have none)."""

    kind: str = ""
    team: Team | None = None
    value: ServiceValue | None = None
    person: User | None = None
    period: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.team or self.value or self.person or self.period)

    def shows(self, kind: str) -> bool:
        if self.value is not None and kind != KUDOS:
            return False
        return not self.kind or _KIND_ROWS.get(self.kind) == kind


def period_bounds(
    period: str, now: datetime | None = None
) -> tuple[datetime | None, datetime | None]:
    """[start, end) of a named period (`periods.PERIODS`); (None, None) for all time or a
    name it does not know."""
    if period not in PERIOD_LABELS:
        return None, None
    span = period_span(period, now=now)
    return span.start, span.end


# --- Kudos cards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a kudos was for, as far as its viewer may know: `kind` is "article", "session",
    "pairing" or "customer"; `title` and `url` are empty when the viewer may not open the work
    (the card then names only its kind). A pairing never has a title: only "their mentoring"."""

    kind: str
    title: str = ""
    url: str = ""
    ticket_ref: str = ""
    quote: str = ""


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    emoji: str
    label: str
    count: int
    mine: bool
    who: tuple[str, ...]  # the names of those who reacted, for a title and screen readers


@dataclass(frozen=True)
class KudosCard:
    """What a kudos card shows its viewer beyond the row itself (set as `kudos.card`)."""

    target: Target | None
    reactions: tuple[ReactionCount, ...]
    open: bool  # visible to all: reactions and comments are open
    reportable: bool  # `Kudos.can_be_reported_by(viewer)`
    under_review: bool  # reported, waiting for an admin (only its giver and admins see it)
    removed: bool  # removed by an admin (only its giver and admins see it)


def _targets(rows: list[Kudos], viewer) -> dict[int, Target]:
    """The work each kudos was for, one query per kind of work on the page: the title only
    where the viewer may open it (the same rules as the work's own pages)."""
    article_ids = {k.article_id for k in rows if k.article_id}
    session_ids = {k.session_id for k in rows if k.session_id}
    pairing_ids = {k.pairing_id for k in rows if k.pairing_id}
    articles = {}
    if article_ids:
        readable = (
            Article.objects.visible_to(viewer)
            .published()
            .filter(pk__in=article_ids)
            .select_related("published_revision")
        )
        articles = {a.pk: (a.title, a.get_absolute_url()) for a in readable}
    sessions = {}
    if session_ids:
        seen = Session.objects.visible_to(viewer).filter(pk__in=session_ids).only("title", "slug")
        sessions = {s.pk: (s.title, s.get_absolute_url()) for s in seen}
    pairings = set()
    if pairing_ids:
        pairings = set(
            Pairing.objects.visible_to(viewer)
            .filter(pk__in=pairing_ids)
            .values_list("pk", flat=True)
        )
    targets = {}
    for k in rows:
        if k.article_id:
            title, url = articles.get(k.article_id, ("", ""))
            targets[k.pk] = Target("article", title=title, url=url)
        elif k.session_id:
            title, url = sessions.get(k.session_id, ("", ""))
            targets[k.pk] = Target("session", title=title, url=url)
        elif k.pairing_id:
            url = Pairing(pk=k.pairing_id).get_absolute_url() if k.pairing_id in pairings else ""
            targets[k.pk] = Target("pairing", url=url)
        elif k.ticket_ref:
            targets[k.pk] = Target("customer", ticket_ref=k.ticket_ref, quote=k.customer_quote)
    return targets


def _reactions(rows: list[Kudos], viewer) -> dict[int, tuple[ReactionCount, ...]]:
    """Counts per kind, the viewer's own and who reacted: two queries, the reactions as plain
    tuples (a page of fifty kudos has a few hundred; model rows cost more than the query)."""
    found = Reaction.objects.filter(kudos__in=[k.pk for k in rows]).order_by("pk")
    by_kudos: dict[int, dict[str, list[int]]] = {k.pk: {} for k in rows}
    for kudos_id, kind, user_id in found.values_list("kudos_id", "kind", "user_id"):
        by_kudos[kudos_id].setdefault(kind, []).append(user_id)
    user_ids = {pk for kinds in by_kudos.values() for pks in kinds.values() for pk in pks}
    names = {}
    if user_ids:
        people = User.objects.filter(pk__in=user_ids).only(
            "username", "display_name", "first_name", "last_name"
        )
        names = {person.pk: person.name for person in people}
    bars = {}
    for k in rows:
        by_kind = by_kudos[k.pk]
        bars[k.pk] = tuple(
            ReactionCount(
                kind=kind,
                emoji=Reaction.Kind(kind).label,
                label=Reaction.LABELS.get(kind, kind),
                count=len(by_kind.get(kind, ())),
                mine=viewer.pk in by_kind.get(kind, ()),
                who=tuple(names.get(pk, "") for pk in by_kind.get(kind, ())),
            )
            for kind in Reaction.Kind.values
        )
    return bars


def kudos_cards(*, viewer, kudos: QuerySet[Kudos]) -> list[Kudos]:
    """The kudos of `kudos` that `viewer` may see (`Kudos.objects.visible_to`), in its order,
    each with everything its card shows loaded (`with_wall_data`) and `card` (a KudosCard)
    set. A constant number of queries (at most seven) however many there are."""
    rows = list(kudos.visible_to(viewer).with_wall_data())
    if not rows:
        return []
    targets = _targets(rows, viewer)
    reactions = _reactions(rows, viewer)
    for k in rows:
        k.card = KudosCard(
            target=targets.get(k.pk),
            reactions=reactions[k.pk],
            open=not k.is_hidden,
            reportable=k.can_be_reported_by(viewer),
            under_review=k.status == Kudos.Status.REPORTED,
            removed=k.status == Kudos.Status.REMOVED,
        )
    return rows


def kudos_card(*, viewer, pk: int) -> Kudos | None:
    """One kudos with its card (`kudos_cards`), None when `viewer` may not see it."""
    found = kudos_cards(viewer=viewer, kudos=Kudos.objects.filter(pk=pk))
    return found[0] if found else None


def kudos_comments(*, kudos: Kudos) -> list[KudosComment]:
    """The kudos's comments, oldest first, each with `body_html` (mentions linked to the
    people named): two queries however many comments and mentions."""
    comments = list(kudos.comments.select_related("author"))
    people = mentioned_people(comment.body for comment in comments)
    for comment in comments:
        comment.body_html = link_mentions(comment.body, people)
    return comments


# --- The feed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    kind: str  # KUDOS, PRAISE or AWARD
    at: datetime
    kudos: Kudos | None = None
    praise: Praise | None = None
    nomination: Nomination | None = None


@dataclass(frozen=True)
class WallPage:
    page: Page  # the paginator's page (numbers, links); its rows are `items`
    items: tuple[FeedItem, ...] = field(default_factory=tuple)


def _rows(queryset: QuerySet, kind: str, at: str) -> QuerySet:
    # Every part of the UNION selects the same three annotations in the same order.
    return (
        queryset.order_by()
        .annotate(kind=V(kind, output_field=CharField()), item_id=F("pk"), at=F(at))
        .values_list("kind", "item_id", "at")
    )


def _kudos_part(viewer, filters: WallFilters, start, end) -> QuerySet:
    kudos = Kudos.objects.visible_to(viewer).between(start, end)
    if filters.team is not None:
        kudos = kudos.involving_team(filters.team)
    if filters.person is not None:
        kudos = kudos.involving(filters.person)
    if filters.value is not None:
        kudos = kudos.for_value(filters.value)
    return _rows(kudos, KUDOS, "created_at")


def _praise_part(viewer, filters: WallFilters, start, end) -> QuerySet:
    praise = Praise.objects.visible_to(viewer)
    if start is not None:
        praise = praise.filter(created_at__gte=start)
    if end is not None:
        praise = praise.filter(created_at__lt=end)
    named = Praise.agents.through.objects.filter(praise=OuterRef("pk"))
    if filters.team is not None:
        praise = praise.filter(Exists(named.filter(user__team=filters.team)))
    if filters.person is not None:
        praise = praise.filter(Exists(named.filter(user=filters.person)))
    return _rows(praise, PRAISE, "created_at")


def _award_part(viewer, filters: WallFilters, start, end) -> QuerySet:
    # An award is celebrated when it is approved: the decision's time places it in the feed.
    awards = Nomination.objects.visible_to(viewer).approved()
    if start is not None:
        awards = awards.filter(decided_at__gte=start)
    if end is not None:
        awards = awards.filter(decided_at__lt=end)
    if filters.team is not None:
        awards = awards.filter(nominee__team=filters.team)
    if filters.person is not None:
        awards = awards.filter(nominee=filters.person)
    return _rows(awards, AWARD, "decided_at")


def wall_feed(
    *, viewer, filters: WallFilters, page_number=None, now: datetime | None = None
) -> WallPage:
    """Page `page_number` (any value: a bad one is the first page, one past the end the last)
    of the feed `viewer` may see, newest first, `PER_PAGE` rows a page."""
    start, end = period_bounds(filters.period, now)
    parts = [
        build(viewer, filters, start, end)
        for kind, build in ((KUDOS, _kudos_part), (PRAISE, _praise_part), (AWARD, _award_part))
        if filters.shows(kind)
    ]
    if parts:
        feed = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        feed = feed.order_by("-at", "kind", "-item_id")
    else:
        feed = []  # kudos only (a value) and praise or awards only: nothing can match
    page = Paginator(feed, PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    ids = {kind: [pk for k, pk, _ in rows if k == kind] for kind in (KUDOS, PRAISE, AWARD)}
    kudos = praise = awards = {}
    if ids[KUDOS]:
        cards = kudos_cards(viewer=viewer, kudos=Kudos.objects.filter(pk__in=ids[KUDOS]))
        kudos = {k.pk: k for k in cards}
    if ids[PRAISE]:
        praise = {
            p.pk: p for p in Praise.objects.filter(pk__in=ids[PRAISE]).prefetch_related("agents")
        }
    if ids[AWARD]:
        awards = {
            n.pk: n
            for n in Nomination.objects.filter(pk__in=ids[AWARD]).select_related("nominee", "award")
        }
    items = []
    for kind, pk, at in rows:
        if kind == KUDOS and pk in kudos:
            items.append(FeedItem(kind, at, kudos=kudos[pk]))
        elif kind == PRAISE and pk in praise:
            items.append(FeedItem(kind, at, praise=praise[pk]))
        elif kind == AWARD and pk in awards:
            items.append(FeedItem(kind, at, nomination=awards[pk]))
    return WallPage(page=page, items=tuple(items))


def pinned_stories(*, viewer, today: date) -> list[SuccessStory]:
    """The success stories pinned on `today` that `viewer` may see, newest pin first, with
    what the story card shows loaded (three queries)."""
    return list(
        SuccessStory.objects.pinned(today)
        .visible_to(viewer)
        .select_related("kudos__giver", "praise")
        .prefetch_related(
            Prefetch(
                "kudos__recipient_rows",
                queryset=KudosRecipient.objects.select_related("recipient"),
            ),
            "praise__agents",
        )
    )
