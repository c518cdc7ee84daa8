"""Reads for the home page: one selector per section, each a fixed number of queries
whatever the amount of data, returning plain results (lists, frozen sections)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kb.models import Article
from notifications.models import Notification
from people.models import User

POPULAR_DAYS = 30


@dataclass(frozen=True)
class Section:
    """The first few rows of a list and how many it has in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _section(queryset, limit: int) -> Section:
    items = list(queryset[:limit])
    # A short first page is the whole list: no count query needed.
    total = len(items) if len(items) < limit else queryset.order_by().count()
    return Section(items=items, total=total)


def _readable(user):
    """Published articles `user` may open, with what an article link on the home page shows."""
    return (
        Article.objects.published()
        .visible_to(user)
        .select_related("category__parent", "published_revision")
    )


def recently_updated_articles(*, user: User, limit: int = 5) -> list[Article]:
    """The published articles `user` may read, most recently updated first."""
    return list(_readable(user).order_by("-updated_at", "-pk")[:limit])


def popular_articles(
    *, user: User, now: datetime, days: int = POPULAR_DAYS, limit: int = 5
) -> list[Article]:
    """The published articles `user` may read that were opened most in the last `days` days
    (each `recent_views`: one per person and day, as `ArticleView` counts them)."""
    since = timezone.localdate(now) - timedelta(days=days)
    return list(
        _readable(user)
        .annotate(recent_views=Count("views", filter=Q(views__day__gt=since)))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-updated_at", "-pk")[:limit]
    )


def verification_due_owned(*, user: User, now: datetime, limit: int = 5) -> Section | None:
    """Published articles `user` owns whose verification lapsed, longest overdue first;
    None when they own no article (the section is for owners)."""
    owned = Article.objects.filter(owner=user)
    if not owned.exists():
        return None
    due = (
        owned.verification_due(now)
        .visible_to(user)
        .select_related("category__parent", "published_revision")
        # The same start as `with_verification_dates`, spelt out so an empty result orders too.
        .order_by(Coalesce("verified_at", "published_at").asc(), "pk")
    )
    return _section(due, limit)


def review_queue(*, user: User, limit: int = 5) -> Section | None:
    """Articles waiting for an editor, longest waiting first; None for anyone but KB editors."""
    if not user.is_kb_editor:
        return None
    waiting = (
        Article.objects.awaiting_review()
        .visible_to(user)
        .select_related("latest_revision__editor")
        .order_by("submitted_at", "pk")
    )
    return _section(waiting, limit)


def review_queue_count(*, user: User) -> int:
    """How many articles wait for an editor (0 for anyone but KB editors)."""
    if not user.is_kb_editor:
        return 0
    return Article.objects.awaiting_review().visible_to(user).count()


def teammates(*, user: User, limit: int = 8) -> list[User]:
    """A few people of `user`'s team, without `user`."""
    if not user.team_id:
        return []
    return list(
        User.objects.visible_to(user).filter(team_id=user.team_id).exclude(pk=user.pk)[:limit]
    )


def recent_notifications(*, user: User, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.for_user(user)[:limit])
