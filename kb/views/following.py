"""Following articles and categories: the follow buttons, and the list of what one follows."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kb import services
from kb.models import Article, Category, Follow
from kb.views.common import get_article_for_user

ACTIONS = ("follow", "unfollow")


def follow_state(user, **target) -> tuple[bool, int]:
    """Whether `user` follows the article or category `target` names, and how many people
    do: one query."""
    counts = Follow.objects.filter(**target).aggregate(
        followers=Count("pk"), mine=Count("pk", filter=Q(user=user))
    )
    return bool(counts["mine"]), counts["followers"]


def _toggle(request: HttpRequest, target_name: str, target, url: str) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("Say whether to follow or unfollow.")
    change = services.follow_add if action == "follow" else services.follow_remove
    change(user=request.user, **{target_name: target})
    if request.htmx:
        following, count = follow_state(request.user, **{target_name: target})
        context = {
            "follow_url": url, "following": following, "count": count,
            "what": target_name, "follow_id": target.pk, "next": _next(request, ""),
        }  # fmt: skip
        return render(request, "kb/includes/follow_button.html", context)
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
    return _toggle(request, "article", article, reverse("kb:article-follow", args=[slug]))


@require_POST
def category_follow(request: HttpRequest, category_slug: str) -> HttpResponse:
    """Follow or unfollow (`action`) a category: every article published in it or its topics."""
    category = get_object_or_404(Category, slug=category_slug)
    url = reverse("kb:category-follow", args=[category_slug])
    return _toggle(request, "category", category, url)


def following(request: HttpRequest) -> HttpResponse:
    """What the viewer follows: the articles they may still open, and the categories."""
    followers = Follow.objects.filter(article=OuterRef("pk")).order_by().values("article")
    mine = Follow.objects.filter(user=request.user)
    articles = (
        Article.objects.visible_to(request.user)
        .filter(pk__in=mine.filter(article__isnull=False).values("article_id"))
        .with_list_data()
        .annotate(
            follower_count=Coalesce(Subquery(followers.annotate(n=Count("pk")).values("n")), 0)
        )
        .order_by("published_revision__title", "latest_revision__title", "pk")
    )
    category_followers = (
        Follow.objects.filter(category=OuterRef("pk")).order_by().values("category")
    )
    categories = (
        Category.objects.filter(pk__in=mine.filter(category__isnull=False).values("category_id"))
        .select_related("parent")
        .annotate(
            follower_count=Coalesce(
                Subquery(category_followers.annotate(n=Count("pk")).values("n")), 0
            )
        )
        .order_by("parent__name", "name")
    )
    context = {"articles": articles, "categories": categories}
    return render(request, "kb/following.html", context)
