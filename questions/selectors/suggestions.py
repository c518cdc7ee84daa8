"""What may already answer a question as it is typed (deflection), and how often it did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from kb.models import Article
from questions.models import Question
from search import query as search_query
from searchkit import query as engine

SUGGESTIONS = 5
TITLE_MIN_CHARS = 3
TOP_ARTICLES = 10
# The models whose documents may answer a question. Questions are found once their index is
# declared; until then the filter simply matches no question document.
SUGGESTED_MODELS = ("kb.article", "questions.question")
# Hits read beyond the limit: the database re-check may drop a stale or deflected one.
_SPARE_HITS = 5


@dataclass(frozen=True)
class Suggestion:
    label: str  # "kb.article" or "questions.question": what the deflect form posts back
    pk: int
    title: str
    url: str
    kind: str  # "Article", "FAQ"... or "Question"

    @property
    def target(self) -> str:
        return f"{self.label}:{self.pk}"


def _suggestion(label: str, row) -> Suggestion | None:
    if isinstance(row, Article):
        title = row.published_revision.title if row.published_revision_id else str(row)
        return Suggestion(label, row.pk, title, row.get_absolute_url(), row.get_type_display())
    if isinstance(row, Question):
        if row.status == Question.Status.DEFLECTED:
            return None  # a record of an answer found elsewhere answers nothing itself
        kind = "Answered question" if row.status == Question.Status.ANSWERED else "Question"
        return Suggestion(label, row.pk, row.title, row.get_absolute_url(), kind)
    return None


def answer_suggestions(*, user, title: str, limit: int = SUGGESTIONS) -> tuple[Suggestion, ...]:
    """Up to `limit` published articles and questions (not deflected ones) that `user` may
    read and that may already answer `title`, best first. The search is narrowed by the
    user's audience and every row re-checked against the database (`readable_objects`), so a
    hidden document never shows, even from a stale index. Under three characters: nothing."""
    text = " ".join(title.split())[:200]
    if len(text) < TITLE_MIN_CHARS:
        return ()
    text_query = search_query.build(search_query.parse(text))
    if text_query is None:
        return ()
    page = engine.search(
        user=user,
        text=text_query,
        filters=[engine.Filter("django_ct", SUGGESTED_MODELS)],
        per_page=limit + _SPARE_HITS,
        highlight=False,
    )
    found = []
    for hit, row in engine.readable_objects(page.hits, user):
        suggestion = _suggestion(hit.label, row)
        if suggestion is not None:
            found.append(suggestion)
    return tuple(found[:limit])


@dataclass(frozen=True)
class DeflectionCounts:
    total: int  # questions answered by existing content since the date
    by_article: int
    by_question: int
    # (article, how many) for the articles that answered most, most first.
    top_articles: tuple[tuple[Article, int], ...] = ()


def deflection_counts(*, since: datetime, user=None, top: int = TOP_ARTICLES) -> DeflectionCounts:
    """How many questions were answered by an existing article or question since `since`,
    and the (up to `top`) articles that did it most. With `user`, only articles they may open
    are named (the totals still count every deflection). Three queries; two when no article
    answered any."""
    deflected = Question.objects.deflected().filter(closed_at__gte=since)
    totals = deflected.aggregate(
        total=Count("pk"),
        by_article=Count("deflected_by_article"),
        by_question=Count("deflected_by_question"),
    )
    top = list(
        deflected.exclude(deflected_by_article=None)
        .order_by()
        .values("deflected_by_article")
        .annotate(n=Count("pk"))
        .order_by("-n", "deflected_by_article")[:top]
    )
    articles = Article.objects.select_related("published_revision", "latest_revision")
    if user is not None:
        articles = articles.visible_to(user)
    found = articles.in_bulk([row["deflected_by_article"] for row in top])
    return DeflectionCounts(
        total=totals["total"],
        by_article=totals["by_article"],
        by_question=totals["by_question"],
        top_articles=tuple(
            (found[row["deflected_by_article"]], row["n"])
            for row in top
            if row["deflected_by_article"] in found
        ),
    )
