"""Team health over a period, one table per area, each read in a fixed number of queries
whatever the team's size. Each area's rules are its app's: training's status of an
enrolment, mentorship's state of a pairing, recognition's team figures, search's failed
searches, and every app's `visible_to` for what the viewer may count."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from dashboard.insights.forms import Period
from dashboard.insights.tables import Row, Table
from kb.models import Article, ArticleFeedback, ArticleView, Category, Follow
from kb.querysets import EXPLICITLY_VERIFIED
from mentorship.models import Pairing, PairingFeedback
from mentorship.selectors.oversight import STATE_LABELS, PairingHealth
from people.models import Team, User
from questions.models import Answer
from recognition.models import Praise
from recognition.selectors.people import team_recognition
from recognition.selectors.periods import Span
from search.models import SearchLog
from training.models import Enrolment
from training.selectors.team import local_today, progress_status

FAILED_SEARCH_ROWS = 10


def _per_person(rows, field: str, figure=None) -> Coalesce:
    """How many of `rows` (or `figure` of them) have the outer query's person in `field`."""
    found = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(figure=figure or Count("pk"))
        .values("figure")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), 0)


def _person_row(person: User, values: tuple) -> Row:
    return Row(person.name, values, url=person.get_absolute_url())


def training_table(*, members: list[User], period: Period, now: datetime) -> Table:
    """Per person: tracks they are on (withdrawn ones aside), completed in the period, and
    overdue now, by training's own status rule on each learner's calendar. One query."""
    counts = {m.pk: Counter() for m in members}
    enrolments = (
        Enrolment.objects.filter(user__in=[m.pk for m in members])
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .with_progress()
        .select_related("user")
        .order_by()
    )
    for enrolment in enrolments:
        tally = counts[enrolment.user_id]
        tally["on"] += 1
        status = progress_status(enrolment, local_today(enrolment.user, now))
        done_at = enrolment.completed_at
        if status == "completed" and done_at and period.start <= done_at < period.end:
            tally["completed"] += 1
        elif status == "overdue":
            tally["overdue"] += 1
    rows = tuple(
        _person_row(m, (counts[m.pk]["on"], counts[m.pk]["completed"], counts[m.pk]["overdue"]))
        for m in members
    )
    return Table(
        slug="training",
        title="Training",
        caption="Training per person: tracks, completed in the period, overdue today",
        columns=("Person", "On tracks", "Completed in period", "Overdue"),
        rows=rows,
        chart=(1, 2),
        chart_label="Tracks",
    )


MENTORING_STATES = ("on_track", "at_risk", "waiting", "completed", "ended")


def mentoring_table(*, viewer: User, team_ids: list[int], period: Period, now: datetime) -> Table:
    """Pairings of the team's people (as mentee or mentor) the viewer may see, by mentorship's
    state of a pairing: running ones as they are now, completed and ended ones when that
    happened in the period; and the average end-of-pairing rating given in the period (a
    number only: the comments stay with the programme's managers). Two queries."""
    pairings = (
        Pairing.objects.visible_to(viewer)
        .filter(Q(mentee__team__in=team_ids) | Q(mentor__team__in=team_ids))
        .filter(status__in=[*Pairing.LIVE, Pairing.Status.COMPLETED, Pairing.Status.ENDED])
        .with_health(now)
        .select_related("program", "request")  # a pairing's risk reads its programme
        .order_by()
    )
    counts = Counter()
    ids = []
    for pairing in pairings:
        state = PairingHealth.of(pairing, now).state
        finished = pairing.completed_at or pairing.ended_at
        if state in ("completed", "ended") and not (
            finished and period.start <= finished < period.end
        ):
            continue
        counts[state] += 1
        ids.append(pairing.pk)
    rating = PairingFeedback.objects.filter(
        pairing__in=Pairing.objects.visible_to(viewer)
        .filter(Q(mentee__team__in=team_ids) | Q(mentor__team__in=team_ids))
        .values("pk"),
        created_at__gte=period.start,
        created_at__lt=period.end,
    ).aggregate(average=Avg("rating"), count=Count("pk"))
    label = {"on_track": "Active, on track", "completed": "Completed in period",
             "ended": "Ended early in period"}  # fmt: skip
    rows = tuple(
        Row(label.get(state, STATE_LABELS[state]), (counts[state],)) for state in MENTORING_STATES
    )
    average = rating["average"]
    return Table(
        slug="mentoring",
        title="Mentoring",
        caption="Mentoring pairs by state",
        columns=("State", "Pairs"),
        rows=rows,
        chart=(0,),
        chart_label="Pairs",
        figures=(
            ("Average rating (1 to 5)", f"{average:.1f}" if average is not None else "—"),
            ("Ratings given in the period", str(rating["count"])),
        ),
    )


def recognition_tables(
    *, viewer: User, teams: list[Team], shown: list[Team], members: list[User], period: Period
) -> tuple[Table, Table]:
    """Kudos received and given, and customer praise, per person in the period: recognition's
    team figures (four queries), counted by its own rules (reported or removed kudos never
    count); and the team's CSAT: how many praises carried a score and their average (one
    query)."""
    span = Span("custom", "Chosen period", period.title, period.start, period.end)
    figures = team_recognition(viewer=viewer, teams=teams, team=None, shown=shown, span=span)
    kudos = Table(
        slug="kudos",
        title="Kudos",
        caption="Kudos per person in the period",
        columns=("Person", "Kudos received", "Points received", "Kudos given"),
        rows=tuple(
            _person_row(m.person, (m.kudos_received, m.points_received, m.kudos_given))
            for m in figures.members
        ),
        chart=(0, 2),
        chart_label="Kudos",
    )
    naming_team = Praise.agents.through.objects.filter(user__in=[m.pk for m in members])
    csat = (
        Praise.objects.visible_to(viewer)
        .filter(received_on__gte=period.first_day, received_on__lt=period.end_day)
        .filter(pk__in=naming_team.values("praise"))
        .aggregate(total=Count("pk"), scored=Count("csat"), average=Avg("csat"))
    )
    average = csat["average"]
    praise = Table(
        slug="praise",
        title="Customer praise and CSAT",
        caption="Customer praise per person in the period",
        columns=("Person", "Praise"),
        rows=tuple(_person_row(m.person, (m.praise,)) for m in figures.members),
        figures=(
            ("Praise received", str(csat["total"])),
            ("With a CSAT score", str(csat["scored"])),
            ("Average CSAT (1 to 5)", f"{average:.1f}" if average is not None else "—"),
        ),
    )
    return kudos, praise


def knowledge_table(*, viewer: User, members: list[User], period: Period) -> Table:
    """Per person in the period: articles they wrote first published, articles they verified
    on purpose (not the approval's own stamp), accepted answers, and "helpful" votes on the
    articles they own; only what the viewer may read counts. One query."""
    within = {"gte": period.start, "lt": period.end}
    readable = Article.objects.published().visible_to(viewer)
    authored = readable.filter(published_at__gte=within["gte"], published_at__lt=within["lt"])
    verified = readable.filter(EXPLICITLY_VERIFIED).filter(
        verified_at__gte=within["gte"], verified_at__lt=within["lt"]
    )
    accepted = (
        Answer.objects.visible_to(viewer)
        .accepted()
        .filter(accepted_at__gte=within["gte"], accepted_at__lt=within["lt"])
    )
    helpful = ArticleFeedback.objects.filter(
        helpful=True,
        article__in=readable.values("pk"),
        updated_at__gte=within["gte"],
        updated_at__lt=within["lt"],
    )
    people = User.objects.filter(pk__in=[m.pk for m in members]).annotate(
        authored_n=_per_person(authored, "author"),
        verified_n=_per_person(verified, "verified_by"),
        accepted_n=_per_person(accepted, "author"),
        helpful_n=_per_person(helpful, "article__owner"),
    )
    found = {p.pk: p for p in people}
    rows = tuple(
        _person_row(
            m,
            (
                found[m.pk].authored_n,
                found[m.pk].verified_n,
                found[m.pk].accepted_n,
                found[m.pk].helpful_n,
            ),
        )
        for m in members
        if m.pk in found
    )
    return Table(
        slug="knowledge",
        title="Knowledge contribution",
        caption="Knowledge contribution per person in the period",
        columns=("Person", "Articles published", "Articles verified", "Answers accepted",
                 "Helpful votes"),
        rows=rows,
        chart=(0, 1, 2, 3),
        chart_label="Contributions",
    )  # fmt: skip


def kb_health_table(*, viewer: User, team_ids: list[int], period: Period, now: datetime) -> Table:
    """The categories the team reads (opened an article of in the period, or follows), each
    with its published articles, those due for verification, and the "not helpful" votes of
    the period by reason; only articles the viewer may read count. Six queries."""
    reader = Q(user__team__in=team_ids, user__is_active=True)
    viewed = ArticleView.objects.filter(
        reader, day__gte=period.first_day, day__lt=period.end_day
    ).values("article__category")
    followed = Follow.objects.filter(reader).filter(
        Q(category__isnull=False) | Q(article__isnull=False)
    )
    category_ids = set(viewed.values_list("article__category", flat=True).distinct())
    for category_id, article_category_id in followed.values_list("category", "article__category"):
        category_ids.add(category_id or article_category_id)
    category_ids.discard(None)
    categories = list(
        Category.objects.filter(pk__in=category_ids).select_related("parent").order_by("name")
    )
    readable = Article.objects.published().visible_to(viewer).filter(category__in=category_ids)
    published = dict(
        readable.order_by().values("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    due = dict(
        readable.verification_due(now)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    votes = defaultdict(Counter)
    for category_id, reason, n in (
        ArticleFeedback.objects.filter(
            helpful=False,
            article__in=readable.values("pk"),
            updated_at__gte=period.start,
            updated_at__lt=period.end,
        )
        .order_by()
        .values("article__category", "reason")
        .annotate(n=Count("pk"))
        .values_list("article__category", "reason", "n")
    ):
        votes[category_id][reason] += n
    reasons = ArticleFeedback.Reason
    rows = []
    for category in sorted(categories, key=lambda c: str(c).lower()):
        tally = votes[category.pk]
        rows.append(
            Row(
                str(category),
                (
                    published.get(category.pk, 0),
                    due.get(category.pk, 0),
                    sum(tally.values()),
                    *(tally[reason] for reason in reasons.values),
                ),
                url=category.get_absolute_url(),
            )
        )
    rows.sort(key=lambda r: (-r.values[1], -r.values[2], r.label.lower()))
    return Table(
        slug="kb-health",
        title="Knowledge base health",
        caption="Categories the team reads: articles due for verification and not-helpful votes",
        columns=(
            "Category",
            "Published articles",
            "Due for verification",
            "Not helpful votes",
            *(f"Not helpful: {label}" for label in reasons.labels),
        ),
        rows=tuple(rows),
        chart=(1, 2),
        chart_label="Articles and votes",
    )


def failed_searches_table(*, team_ids: list[int], period: Period) -> Table:
    """The team's searches that found nothing every time in the period, most searched first
    (search's own `zero_results`). One query."""
    found = SearchLog.objects.filter(team__in=team_ids).zero_results(
        now=period.end, days=period.days
    )[:FAILED_SEARCH_ROWS]
    rows = tuple(Row(row["normalized"], (row["searches"], row["searchers"])) for row in found)
    return Table(
        slug="failed-searches",
        title="Top failed searches",
        caption="The team's searches that found nothing in the period",
        columns=("Search", "Searches", "People"),
        rows=rows,
    )
