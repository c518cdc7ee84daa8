"""Article and category action controls that depend on the viewer, for pages whose views do
not compute them: the follow button and why an editor may not approve."""

from __future__ import annotations

from django import template
from django.urls import reverse

from kb import services
from kb.models import Article, Category
from kb.views.following import follow_state

register = template.Library()


@register.inclusion_tag("kb/includes/follow_button.html", takes_context=True)
def follow_button(context, target: Article | Category) -> dict:
    """The follow toggle of an article or a category, with its follower count (one query)."""
    what = "article" if isinstance(target, Article) else "category"
    following, count = follow_state(context["request"].user, **{what: target})
    return {
        "csrf_token": context.get("csrf_token"),
        "follow_url": reverse(f"kb:{what}-follow", args=[target.slug]),
        "following": following,
        "count": count,
        "what": what,
        "follow_id": target.pk,
    }


@register.simple_tag(takes_context=True)
def approval_refusal(context, article: Article) -> str:
    """Why the viewer may not approve the change waiting on `article` ("" when they may)."""
    return services.approval_refusal(article, context["request"].user)
