"""Reads of the knowledge base. `ArticleQuerySet.visible_to` is the one visibility rule."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery

from people.models import Role


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
