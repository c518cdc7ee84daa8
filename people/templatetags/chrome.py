"""`{% nav_urls as nav %}`: the addresses of the page header, reversed once per URL conf.

Every page's header links some twenty fixed pages; reversing them on each request cost about as
much as a bare view. They only change with the URL conf and the script prefix, so they are
reversed once for each pair and kept. A section whose app is not installed gets "" (its link is
left out), as `{% url … as %}` did. Addresses that name the viewer (their profile) are reversed
with a placeholder and filled in per request.
"""

from __future__ import annotations

from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

# header key -> URL name
NAV = {
    "home": "dashboard:home",
    "kb": "kb:article-list",
    "kb_review": "kb:review-queue",
    "kb_mine": "kb:my-articles",
    "review_count": "dashboard:review-count",
    "insights": "dashboard:insights",
    "training": "training:catalogue",
    "training_mine": "training:mine",
    "training_team": "training:team",
    "training_tasks": "training:task-reviews",
    "mentorship": "mentorship:home",
    "kudos": "recognition:wall",
    "search": "search:search",
    "search_suggest": "search:suggest",
    "search_insights": "search:insights",
    "synonyms": "search:synonym-list",
    "requests": "search:request-list",
    "questions": "questions:list",
    "people": "people:directory",
    "my_team": "people:my-team",
    "notifications": "notifications:list",
    "unread_count": "notifications:unread-count",
    "password_change": "password_change",
    "admin": "admin:index",
    "logout": "logout",
}
# Reversed with this in place of the username, then filled per viewer.
_PLACEHOLDER = "__username__"
PER_USER = {"profile": "people:profile", "profile_edit": "people:profile-edit"}

_cache: dict[tuple, dict[str, str]] = {}


def _reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _fixed() -> dict[str, str]:
    key = (get_urlconf(), get_script_prefix())
    urls = _cache.get(key)
    if urls is None:
        urls = {k: _reverse(name) for k, name in NAV.items()}
        urls.update({k: _reverse(name, _PLACEHOLDER) for k, name in PER_USER.items()})
        _cache[key] = urls
    return urls


@register.simple_tag(takes_context=True)
def nav_urls(context) -> dict[str, str]:
    """The header's addresses; `profile`/`profile_edit` are the viewer's own."""
    urls = dict(_fixed())
    user = context.get("user")
    # reverse() quotes an argument this way (RFC 3986 sub-delimiters and "/~:@" stay).
    username = quote(str(getattr(user, "username", "") or ""), safe="!$&'()*+,;=/~:@")
    for k in PER_USER:
        urls[k] = urls[k].replace(_PLACEHOLDER, username)
    return urls
