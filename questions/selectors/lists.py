"""The question lists' reads: one tab of questions the viewer may read, filtered and paginated,
with what each row shows; and the small figures at the top of the page.

Every read starts from `Question.objects.visible_to(viewer)`: a question the viewer may not
read is never listed, and never counted. A page is the same number of queries for 3 rows as
for 20: the counts, the accepted answer and whether its KB article may be opened are
subqueries of the page's one query; asker, category and article are joined; tags come in one
query for the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from kb.models import Article, Category
from people.tagging import attach_tags
from questions.models import Answer, Question

PER_PAGE = 20

UNANSWERED, NEWEST, VOTES, MINE, FOR_ME = "unanswered", "newest", "votes", "mine", "for-me"
# The tabs in the order they are shown; the first one is the default.
TABS = [
    (UNANSWERED, "Unanswered"),
    (NEWEST, "Newest"),
    (VOTES, "Most voted"),
    (MINE, "Mine"),
    (FOR_ME, "For me"),
]
TAB_NAMES = dict(TABS)


@dataclass(frozen=True)
class ListFilters:
    """What a tab is narrowed to; empty means no filter."""

    tag: str = ""  # a tag's slug
    category: Category | None = None  # a top-level category includes its topics
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.tag or self.category or self.status)


@dataclass(frozen=True)
class Figures:
    unanswered: int
    answered_this_week: int
    deflected_this_month: int


def _is_first(condition: Q) -> Case:
    """0 for the rows that match, 1 for the others: an ascending sort puts them first."""
    return Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField())


def _tab(questions, tab: str, viewer, status: str):
    """The tab's rows and order. Deflected questions (an answer found while asking) are only
    in the asker's own list, or asked for by their status."""
    if tab == MINE:
        questions = questions.filter(author=viewer)
    elif not status:
        questions = questions.listed()
    if tab == UNANSWERED:
        # Those need help: a customer waiting first, then whoever has waited longest.
        return questions.unanswered().order_by(
            _is_first(Q(urgency=Question.Urgency.CUSTOMER_WAITING)), "created_at", "pk"
        )
    if tab == VOTES:
        return questions.order_by("-score", "-created_at", "-pk")
    if tab == FOR_ME:
        return questions.routed_to(viewer).order_by(
            _is_first(Q(status=Question.Status.OPEN)), "-created_at", "-pk"
        )
    return questions.order_by("-created_at", "-pk")


def _filtered(questions, filters: ListFilters):
    if filters.status:
        questions = questions.filter(status=filters.status)
    if filters.tag:
        questions = questions.filter(tags__slug=filters.tag)
    if filters.category is not None:
        category = filters.category
        questions = questions.filter(Q(category=category) | Q(category__parent=category))
    return questions


def question_rows(*, viewer, tab: str = UNANSWERED, filters: ListFilters | None = None):
    """The questions of `tab` that `viewer` may read, narrowed by `filters`, in the tab's
    order, each with `answer_count`, `score`, `has_accepted` (an accepted answer) and
    `article_readable` (its promoted KB article is published and the viewer may open it)."""
    filters = filters or ListFilters()
    questions = _filtered(Question.objects.visible_to(viewer).with_counts(), filters)
    questions = _tab(questions, tab if tab in TAB_NAMES else UNANSWERED, viewer, filters.status)
    accepted = Answer.objects.accepted().filter(question=OuterRef("pk"))
    readable = Article.objects.published().visible_to(viewer).filter(pk=OuterRef("article_id"))
    return questions.annotate(
        has_accepted=Exists(accepted), article_readable=Exists(readable)
    ).select_related("author", "category__parent", "article")


def question_page(
    *, viewer, tab: str = UNANSWERED, filters: ListFilters | None = None, page_number=None
) -> Page:
    """One page of `question_rows`, `PER_PAGE` rows. A page number that is not one shows
    the first page; one past the end, the last (Django's `get_page`). Each row carries
    `tags_list`, read for the whole page in one query (taggit's prefetch costs a manager
    and a queryset per row)."""
    rows = question_rows(viewer=viewer, tab=tab, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(page_number)
    page.object_list = attach_tags(list(page.object_list))
    return page


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of `now`'s week, in the organisation's time zone."""
    today = timezone.localtime(now).date()
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def month_start(now: datetime) -> datetime:
    today = timezone.localtime(now).date()
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


def list_figures(*, viewer, now: datetime | None = None) -> Figures:
    """The header's figures, among the questions `viewer` may read, in one query: open
    questions nobody answered yet, questions whose answer was accepted since Monday, and
    questions deflected (answered by existing content while being asked) since the 1st."""
    now = now or timezone.now()
    accepted_this_week = Answer.objects.accepted().filter(
        question=OuterRef("pk"), accepted_at__gte=week_start(now)
    )
    counts = (
        Question.objects.visible_to(viewer)
        .annotate(accepted_this_week=Exists(accepted_this_week))
        .aggregate(
            unanswered=Count(
                "pk", filter=Q(status=Question.Status.OPEN, first_answered_at__isnull=True)
            ),
            answered=Count(
                "pk", filter=Q(status=Question.Status.ANSWERED, accepted_this_week=True)
            ),
            deflected=Count(
                "pk",
                filter=Q(status=Question.Status.DEFLECTED, closed_at__gte=month_start(now)),
            ),
        )
    )
    return Figures(
        unanswered=counts["unanswered"],
        answered_this_week=counts["answered"],
        deflected_this_month=counts["deflected"],
    )


__all__ = [
    "FOR_ME",
    "MINE",
    "NEWEST",
    "PER_PAGE",
    "TABS",
    "UNANSWERED",
    "VOTES",
    "Figures",
    "ListFilters",
    "list_figures",
    "month_start",
    "question_page",
    "question_rows",
]
