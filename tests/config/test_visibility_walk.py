"""The permission walk: for every demo user, every page without an id in the URL conf (and
each category page, each track they may open, their own profile and team page, searches and
suggestions for the titles of hidden things), links only the articles, tracks and sessions
their one visibility rule lets them open, and never shows the title of one it hides as an
entry. A new list page is walked the day its URL exists; a new model with a visibility rule
adds a row to `KINDS`."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from kb.models import Article, Category
from people.models import User
from searchkit import pipeline
from tests.urlwalk import ROUTES
from training.models import Session, Track

NOT_PAGES = ("/accounts/logout/", "/api/schema/", "/api/docs/")  # nothing listed there


@dataclass(frozen=True)
class Kind:
    """A model with a visibility rule: how its pages are linked, and its titles."""

    link: re.Pattern
    model: type

    def rows(self):
        return list(self.model.objects.all())

    def titles(self, row) -> set[str]:
        """Every title the row has had, long enough not to be an ordinary phrase."""
        if isinstance(row, Article):
            return {r.title for r in row.revisions.all() if len(r.title) > 14}
        return {row.title} if len(row.title) > 14 else set()

    def hidden_somewhere(self, row) -> bool:
        return row.visibility == "teams" or getattr(row, "status", "") in ("draft", "in_review")


KINDS = (
    Kind(re.compile(r'href="/kb/a/([\w-]+)/'), Article),
    Kind(re.compile(r'href="/training/tracks/(?!new/)([\w-]+)/'), Track),
    Kind(re.compile(r'href="/training/sessions/(?!new/|calendar/)([\w-]+)/'), Session),
)


@pytest.fixture
def demo(db, search_index):
    call_command("seed_demo", verbosity=0)
    pipeline.rebuild()


def _pages(user: User, terms: list[str]) -> list[str]:
    plain = [
        route.fill({})
        for route in ROUTES
        if not route.params
        and not route.name.startswith("admin")
        and route.fill({}) not in NOT_PAGES
    ]
    plain += [c.get_absolute_url() for c in Category.objects.all()]
    plain += [t.get_absolute_url() for t in Track.objects.visible_to(user)]
    plain.append(user.get_absolute_url())
    if user.team_id:
        plain.append(f"/people/teams/{user.team.slug}/")
    for term in terms:
        plain += [f"/search/?q={term}", f"/search/suggest/?q={term[:12]}",
                  f"/api/search/?q={term}"]  # fmt: skip
    return plain


def test_every_page_lists_only_what_visible_to_allows_for_every_demo_user(demo, client):
    rows = {kind: kind.rows() for kind in KINDS}
    titles = {kind: {row.pk: kind.titles(row) for row in rows[kind]} for kind in KINDS}
    # Searched for: the titles of what somebody may not open (drafts, restricted ones), a
    # few of each kind.
    terms = [
        title
        for kind in KINDS
        for title in sorted(
            {t for row in rows[kind] if kind.hidden_somewhere(row) for t in titles[kind][row.pk]}
        )[:2]
    ]
    checked, hiding = 0, set()
    for user in User.objects.filter(is_active=True).select_related("team"):
        client.force_login(user)
        rules = []
        for kind in KINDS:
            visible = set(kind.model.objects.visible_to(user).values_list("pk", flat=True))
            slugs = {row.slug for row in rows[kind] if row.pk in visible}
            hidden = {
                t for row in rows[kind] if row.pk not in visible for t in titles[kind][row.pk]
            }
            # A hidden row's old title may be a visible one's too: only unique titles count.
            hidden -= {t for row in rows[kind] if row.pk in visible for t in titles[kind][row.pk]}
            rules.append((kind, slugs, hidden))
            if len(slugs) < len(rows[kind]):
                hiding.add(kind.model)
        for url in _pages(user, terms):
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code in (302, 403, 404, 405), (user.username, url)
                continue
            if not response["Content-Type"].startswith(("text/html", "application/json")):
                continue  # a calendar file or a CSV: their own tests check what they hold
            page = html.unescape(response.content.decode())
            typed = parse_qs(urlsplit(url).query).get("q", [""])[0]
            if typed:  # the page may repeat what was typed; that is not a leak
                page = page.replace(typed, "")
            for kind, slugs, hidden in rules:
                leaked = set(kind.link.findall(page)) - slugs
                assert not leaked, f"{user.username} sees {leaked} on {url}"
                # As a list entry (the text of an element), not quoted in a visible body.
                shown = {t for t in hidden if re.search(rf">\s*{re.escape(t)}\s*<", page)}
                assert not shown, f"{user.username} sees hidden titles {shown} on {url}"
            checked += 1
    assert checked > 35 * 20
    # The demo hides something of every kind from someone, so each rule is really walked.
    assert hiding == {kind.model for kind in KINDS}
