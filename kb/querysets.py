"""Reads of the knowledge base. `ARTICLE_AUDIENCE` is the one visibility rule: the database
(`ArticleQuerySet.visible_to`) and the search index (`kb.search_indexes`) both read it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from people.models import Role
from searchkit import audience

DEFAULT_VERIFICATION_DAYS = 90

# Who may open an article: published ones open to everyone or to their teams; the author and
# the owner their own at any stage; KB editors every article.
ARTICLE_AUDIENCE = audience.Audience(
    audience.everyone(status="published", visibility="everyone"),
    audience.team_in("teams", status="published", visibility="teams"),
    audience.user_in("author"),
    audience.user_in("owner"),
    audience.role(Role.KB_EDITOR),
)

# A verification someone made on purpose ("still correct"), not the one approval records for
# the approving editor: what says a person knows the article's topic.
EXPLICITLY_VERIFIED = Q(verified_at__gt=F("published_at"))


def _follower_count(field: str):
    """How many people follow the row (an article or a category), as a subquery."""
    from kb.models import Follow

    counted = (
        Follow.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


SORTS = {
    "recent": "-updated_at",
    "viewed": "-view_count",
    "helpful": "-helpful_votes",
    "title": "published_revision__title",
}


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status="published")

    def visible_to(self, user) -> ArticleQuerySet:
        """Every article `user` may open (`ARTICLE_AUDIENCE`); chain `published()` where only
        published text may show (lists, counts, votes, comments, search)."""
        return ARTICLE_AUDIENCE.filter(self, user)

    def in_category(self, category) -> ArticleQuerySet:
        """Articles of `category` and of its topics."""
        return self.filter(Q(category=category) | Q(category__parent=category))

    def sorted_by(self, sort: str) -> ArticleQuerySet:
        """One of `SORTS` (unknown values sort by most recent), newest first on ties."""
        if sort == "viewed":
            self = self.annotate(view_count=Count("views", distinct=True))
        elif sort == "helpful":
            self = self.annotate(
                helpful_votes=Count("feedback", filter=Q(feedback__helpful=True), distinct=True)
            )
        return self.order_by(SORTS.get(sort, SORTS["recent"]), "-pk")

    def recently_viewed_by(self, user) -> ArticleQuerySet:
        """The articles `user` opened, most recent first."""
        return (
            self.filter(views__user=user)
            .annotate(last_viewed=Max("views__viewed_at"))
            .order_by("-last_viewed")
        )

    def with_verification_dates(self) -> ArticleQuerySet:
        """Adds `verification_start` and `verification_interval` (days), the same rule as
        `Article.verification_started_at` and `Article.effective_verification_days`."""
        return self.annotate(
            verification_start=Coalesce("verified_at", "published_at"),
            # NullIf mirrors the model's `or`: a 0 on the article means "not set".
            verification_interval=Coalesce(
                NullIf("verification_days", Value(0)),
                NullIf("category__verification_days", Value(0)),
                Value(DEFAULT_VERIFICATION_DAYS),
                output_field=IntegerField(),
            ),
        )

    def verification_due(self, now: datetime, *, extra_days: int = 0) -> ArticleQuerySet:
        """Published articles whose verification lapsed at least `extra_days` before `now`.

        "start + interval days <= now" mixes a datetime with a per-row number of days, and
        date arithmetic on a column is written differently by every database (SQLite has no
        interval type). Instead the few intervals in use are read first (one small query),
        and each becomes a plain datetime cutoff: `(interval = 90 AND start <= now - 90d) OR
        (interval = 30 AND start <= now - 30d) ...`, which every backend runs as it is.
        """
        published = self.published().with_verification_dates()
        intervals = set(
            published.order_by().values_list("verification_interval", flat=True).distinct()
        )
        if not intervals:
            return self.none()
        due = Q()
        for days in sorted(intervals):
            cutoff = now - timedelta(days=days + extra_days)
            due |= Q(verification_interval=days, verification_start__lte=cutoff)
        return published.filter(due)

    def awaiting_review(self) -> ArticleQuerySet:
        """Articles whose newest revision was submitted and waits for an editor."""
        return self.filter(submitted_at__isnull=False)

    def tag_counts(self):
        """The tags of these articles, each with `uses` (how many of them carry it)."""
        from taggit.models import Tag

        return (
            Tag.objects.filter(
                taggit_taggeditem_items__content_type__app_label="kb",
                taggit_taggeditem_items__object_id__in=self.values("pk"),
            )
            .annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")
        )

    def with_follower_count(self) -> ArticleQuerySet:
        """Adds `follower_count`: how many people follow each article."""
        return self.annotate(follower_count=_follower_count("article"))

    def with_list_data(self) -> ArticleQuerySet:
        """What article lists show, in a constant number of queries (their tags come from
        `people.tagging.attach_tags`, one query for the whole list)."""
        return self.select_related(
            "category__parent", "owner", "published_revision", "latest_revision"
        )


class CategoryQuerySet(models.QuerySet):
    def top_level(self) -> CategoryQuerySet:
        return self.filter(parent__isnull=True)

    def with_follower_count(self) -> CategoryQuerySet:
        """Adds `follower_count`: how many people follow each category."""
        return self.annotate(follower_count=_follower_count("category"))

    def with_article_counts(self, user) -> CategoryQuerySet:
        """Adds `article_count`: published articles `user` may read in the category and its
        topics (hidden articles are never counted)."""
        from kb.models import Article

        in_subtree = Q(category=OuterRef("pk")) | Q(category__parent=OuterRef("pk"))
        counted = (
            Article.objects.published()
            .visible_to(user)
            .filter(in_subtree)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return self.annotate(article_count=Subquery(counted))


class FollowQuerySet(models.QuerySet):
    def state(self, user, **target) -> tuple[bool, int]:
        """Whether `user` follows the one article or category `target` names, and how many
        people do: one query."""
        counts = self.filter(**target).aggregate(
            followers=Count("pk"), mine=Count("pk", filter=Q(user=user))
        )
        return bool(counts["mine"]), counts["followers"]
