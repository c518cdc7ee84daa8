"""Knowledge base reads of the home page: the articles to verify and to review (for "what
needs me today"), the review badge, and the recommended articles below. Every read starts
from `Article.objects.published().visible_to(user)` or kb's own due and review rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboard.selectors.common import SHOWN, Section, section
from kb.models import Article, ArticleView
from people.models import User

# "Popular in my team this month": views of the last 30 days.
POPULAR_DAYS = 30
# The categories a person reads: those of the articles they opened in this many days.
READ_DAYS = 90


def _readable(user):
    """Published articles `user` may open, with what an article link on the home page shows."""
    return (
        Article.objects.published()
        .visible_to(user)
        .select_related("category__parent", "published_revision")
        .defer("published_revision__body", "published_revision__rendered_html")
    )


def verification_due_owned(*, user: User, now: datetime, limit: int = SHOWN) -> Section:
    """Published articles `user` owns whose verification lapsed (kb's reminder rule,
    `verification_due`), longest overdue first. `verification_due` reads the intervals of
    their articles first and asks nothing more when they own none, so no check before."""
    owned = Article.objects.filter(owner=user)
    due = (
        owned.verification_due(now)
        .visible_to(user)
        .select_related("category__parent", "published_revision")
        .defer("published_revision__body", "published_revision__rendered_html")
        # The same start as `with_verification_dates`, spelt out so an empty result orders too.
        .order_by(Coalesce("verified_at", "published_at").asc(), "pk")
    )
    return section(due, limit)


def review_queue(*, user: User, limit: int = SHOWN) -> Section | None:
    """Articles waiting for an editor, longest waiting first; None for anyone but KB editors."""
    if not user.is_kb_editor:
        return None
    waiting = (
        Article.objects.awaiting_review()
        .visible_to(user)
        .select_related("latest_revision__editor")
        .defer("latest_revision__body", "latest_revision__rendered_html")
        .order_by("submitted_at", "pk")
    )
    return section(waiting, limit)


def review_queue_count(*, user: User) -> int:
    """How many articles wait for an editor (0 for anyone but KB editors)."""
    if not user.is_kb_editor:
        return 0
    return Article.objects.awaiting_review().visible_to(user).count()


@dataclass(frozen=True)
class Recommended:
    """Articles to read: what the team opened most lately (`popular`, each with
    `recent_views`), and what changed lately in the categories the person reads (`updated`;
    anywhere, `updated_anywhere`, while they have read nothing yet)."""

    popular: tuple[Article, ...]
    popular_in_team: bool
    updated: tuple[Article, ...]
    updated_anywhere: bool


def recommended_articles(*, user: User, now: datetime, limit: int = SHOWN) -> Recommended:
    """Two queries, whatever the views and articles: the articles read most in the last
    `POPULAR_DAYS` days by `user`'s team (by everyone when they have no team), and the most
    recently updated ones in the categories (and their topics) of the articles they opened
    in the last `READ_DAYS` days (a third query, only when that finds none)."""
    today = timezone.localdate(now)
    recent = Q(views__day__gt=today - timedelta(days=POPULAR_DAYS))
    if user.team_id:
        recent &= Q(views__user__team_id=user.team_id)
    popular = (
        _readable(user)
        .annotate(recent_views=Count("views", filter=recent))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-updated_at", "-pk")[:limit]
    )
    read = ArticleView.objects.filter(user=user, day__gt=today - timedelta(days=READ_DAYS))
    categories = read.values("article__category_id")
    in_read = Q(category__in=categories) | Q(category__parent__in=categories)
    updated = _readable(user).filter(in_read).order_by("-updated_at", "-pk")[:limit]
    updated = list(updated)
    anywhere = not updated and not read.exists()
    if anywhere:
        updated = list(_readable(user).order_by("-updated_at", "-pk")[:limit])
    return Recommended(
        popular=tuple(popular),
        popular_in_team=bool(user.team_id),
        updated=tuple(updated),
        updated_anywhere=anywhere,
    )
