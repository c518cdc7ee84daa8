"""The permission walk: for every demo user, every page without an id in the URL conf (and
each category page, their own profile and team page, searches and suggestions for every
article title), lists only articles the one visibility rule lets them open, and never shows
the title of one it hides as an entry. A new list page is walked the day its URL exists."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from kb.models import Article, Category
from people.models import User
from searchkit import pipeline
from tests.urlwalk import ROUTES

ARTICLE_LINK = re.compile(r'href="/kb/a/([\w-]+)/')
NOT_PAGES = ("/accounts/logout/", "/api/schema/", "/api/docs/")  # no article can appear there


@pytest.fixture
def demo(db, search_index):
    call_command("seed_demo", verbosity=0)
    pipeline.rebuild()


def _pages(user: User, titles: list[str]) -> list[str]:
    plain = [
        route.fill({})
        for route in ROUTES
        if not route.params
        and not route.name.startswith("admin")
        and route.fill({}) not in NOT_PAGES
    ]
    plain += [c.get_absolute_url() for c in Category.objects.all()]
    plain.append(user.get_absolute_url())
    if user.team_id:
        plain.append(f"/people/teams/{user.team.slug}/")
    for title in titles:
        plain += [f"/search/?q={title}", f"/search/suggest/?q={title[:12]}",
                  f"/api/search/?q={title}"]  # fmt: skip
    return plain


def _titles(articles) -> dict[int, set[str]]:
    """Every title an article has had, long enough not to be an ordinary phrase."""
    titles = {}
    for article in articles:
        titles[article.pk] = {r.title for r in article.revisions.all() if len(r.title) > 14}
    return titles


def test_every_page_lists_only_what_visible_to_allows_for_every_demo_user(demo, client):
    articles = list(Article.objects.prefetch_related("revisions"))
    titles = _titles(articles)
    # Searched for: the titles of what somebody may not open (drafts, restricted articles).
    hidden_somewhere = [a for a in articles if a.visibility == "teams" or a.status != "published"]
    search_terms = sorted({t for a in hidden_somewhere for t in titles[a.pk]})[:3]
    checked = 0
    for user in User.objects.filter(is_active=True).select_related("team"):
        client.force_login(user)
        visible = set(Article.objects.visible_to(user).values_list("pk", flat=True))
        visible_slugs = {a.slug for a in articles if a.pk in visible}
        hidden_titles = {t for a in articles if a.pk not in visible for t in titles[a.pk]}
        # A hidden article's old title may be a visible one's too: only unique titles count.
        hidden_titles -= {t for a in articles if a.pk in visible for t in titles[a.pk]}
        for url in _pages(user, search_terms):
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code in (302, 403, 404, 405), (user.username, url)
                continue
            page = html.unescape(response.content.decode())
            typed = parse_qs(urlsplit(url).query).get("q", [""])[0]
            if typed:  # the page may repeat what was typed; that is not a leak
                page = page.replace(typed, "")
            leaked = set(ARTICLE_LINK.findall(page)) - visible_slugs
            assert not leaked, f"{user.username} sees {leaked} on {url}"
            # As a list entry (the text of an element), not quoted in a visible body.
            shown = {t for t in hidden_titles if re.search(rf">\s*{re.escape(t)}\s*<", page)}
            assert not shown, f"{user.username} sees hidden titles {shown} on {url}"
            checked += 1
    assert checked > 35 * 20
