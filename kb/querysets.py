"""Reads of the knowledge base. `ArticleQuerySet.visible_to` is the one visibility rule."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from people.models import Role

DEFAULT_VERIFICATION_DAYS = 90


def is_editor(user) -> bool:
    """KB Editors (and superusers) review, publish and see every article."""
    return user.is_authenticated and user.has_role(Role.KB_EDITOR)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status="published")

    def readable_by(self, user) -> ArticleQuerySet:
        """Published articles `user` may read: open to everyone, or to one of their teams."""
        if not user.is_authenticated:
            return self.none()
        published = self.published()
        if is_editor(user):
            return published
        return published.filter(self._team_rule(user))

    def visible_to(self, user) -> ArticleQuerySet:
        """Everything `user` may open: what they may read, plus their own drafts and articles
        they own; editors see every article."""
        if not user.is_authenticated:
            return self.none()
        if is_editor(user):
            return self.all()
        return self.filter(
            (Q(status="published") & self._team_rule(user)) | Q(author=user) | Q(owner=user)
        )

    def _team_rule(self, user) -> Q:
        team_member = Exists(
            self.model.teams.through.objects.filter(article_id=OuterRef("pk"), team_id=user.team_id)
        )
        return Q(visibility="everyone") | (Q(visibility="teams") & team_member)

    def with_verification_dates(self) -> ArticleQuerySet:
        """Adds `verification_start` and `verification_interval` (days), the same rule as
        `Article.verification_due_at` and `Article.effective_verification_days`."""
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

    def with_list_data(self) -> ArticleQuerySet:
        """What article lists show, in a constant number of queries."""
        return self.select_related(
            "category__parent", "owner", "published_revision", "latest_revision"
        ).prefetch_related("tags")


class CategoryQuerySet(models.QuerySet):
    def top_level(self) -> CategoryQuerySet:
        return self.filter(parent__isnull=True)

    def with_article_counts(self, user) -> CategoryQuerySet:
        """Adds `article_count`: published articles `user` may read in the category and its
        topics (hidden articles are never counted)."""
        from kb.models import Article

        in_subtree = Q(category=OuterRef("pk")) | Q(category__parent=OuterRef("pk"))
        counted = (
            Article.objects.readable_by(user)
            .filter(in_subtree)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return self.annotate(article_count=Subquery(counted))
