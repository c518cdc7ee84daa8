"""Following articles and categories: the follow buttons, and the list of what one follows."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kb import services
from kb.models import Article, Category, Follow
from kb.views.common import get_article_for_user

ACTIONS = ("follow", "unfollow")


@dataclass(frozen=True)
class FollowButton:
    """What the follow toggle of one article or category shows (follow_button.html)."""

    url: str
    what: str  # "article" or "category"
    target_id: int
    following: bool
    count: int
    next: str = ""  # where a plain form post returns, when not the target's own page

    @classmethod
    def of(cls, user, target: Article | Category, *, next: str = "") -> FollowButton:
        """The button for `target` as `user` sees it (one query)."""
        what = "article" if isinstance(target, Article) else "category"
        following, count = Follow.objects.state(user, **{what: target})
        url = reverse(f"kb:{what}-follow", args=[target.slug])
        return cls(url, what, target.pk, following, count, next)


def _toggle(request: HttpRequest, target: Article | Category) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("Say whether to follow or unfollow.")
    change = services.follow_add if action == "follow" else services.follow_remove
    what = "article" if isinstance(target, Article) else "category"
    change(user=request.user, **{what: target})
    if request.htmx:
        button = FollowButton.of(request.user, target, next=_next(request, ""))
        return render(request, "kb/includes/follow_button.html", {"follow": button})
    return redirect(_next(request, target.get_absolute_url()))


def _next(request: HttpRequest, default: str) -> str:
    """Where a plain form post goes back to: the page it came from, if it is ours."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@require_POST
def article_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow or unfollow (`action`) an article the viewer may open (404 otherwise)."""
    article, _ = get_article_for_user(request, slug)
    return _toggle(request, article)


@require_POST
def category_follow(request: HttpRequest, category_slug: str) -> HttpResponse:
    """Follow or unfollow (`action`) a category: every article published in it or its topics."""
    return _toggle(request, get_object_or_404(Category, slug=category_slug))


def following(request: HttpRequest) -> HttpResponse:
    """What the viewer follows: the articles they may still open, and the categories, each
    with its button (following, by definition) and follower count."""
    mine = Follow.objects.filter(user=request.user)
    articles = (
        Article.objects.visible_to(request.user)
        .filter(pk__in=mine.filter(article__isnull=False).values("article_id"))
        .with_list_data()
        .with_follower_count()
        .order_by("published_revision__title", "latest_revision__title", "pk")
    )
    categories = (
        Category.objects.filter(pk__in=mine.filter(category__isnull=False).values("category_id"))
        .select_related("parent")
        .with_follower_count()
        .order_by("parent__name", "name")
    )
    here = reverse("kb:following")
    rows = {"articles": [], "categories": []}
    for key, what, items in (
        ("articles", "article", articles),
        ("categories", "category", categories),
    ):
        for item in items:
            url = reverse(f"kb:{what}-follow", args=[item.slug])
            item.follow = FollowButton(url, what, item.pk, True, item.follower_count, here)
            rows[key].append(item)
    return render(request, "kb/following.html", rows)
