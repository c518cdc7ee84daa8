"""The permission walk: for every demo user, every page without an id in the URL conf (and
each category page, each track and pairing they may open, each programme, their own profile
and team page, searches and suggestions for the titles of hidden things), links only the
articles, tracks, sessions, pairings, goals and meetings their one visibility rule lets them
open, and never shows the title of one it hides as an entry (for a meeting, the lines of its
notes and agenda; for a goal, its title: the pair's words, which the mentee's manager and the
programme's managers see the pairing of but never read; for a kudos, the lines of its
message, hidden from all but its giver and admins while reported or removed; for a question,
every title it has had). A new list page
is walked the day its URL exists; a new model with a visibility rule adds a row to `KINDS`.

Recognition has a focused walk of its own: a reported kudos's message never reaches anyone
but its giver and admins, anywhere (notifications and the API included), and the title of an
article some teams may not open never reaches them through a kudos for it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db.models import Q

from kb.models import Article, Category
from mentorship.models import Goal, Meeting, Pairing, Program
from people.models import User
from questions.models import Question
from recognition.models import Kudos
from tests.urlwalk import ROUTES
from training.models import Session, Track

NOT_PAGES = ("/accounts/logout/", "/api/schema/", "/api/docs/")  # nothing listed there


@dataclass(frozen=True)
class Kind:
    """A model with a visibility rule: how its pages are linked (the link names the row by
    `key`), and its titles."""

    link: re.Pattern
    model: type
    key: str = "slug"

    def rows(self):
        return list(self.model.objects.all())

    def visible(self, user) -> set:
        """The keys of the rows `user` may open, by the model's one rule."""
        if self.model is Goal:  # the plan is the pair's (`Pairing.is_member`)
            rule = Q(pairing__mentor=user) | Q(pairing__mentee=user)
            return set(Goal.objects.filter(rule).values_list(self.key, flat=True))
        return set(self.model.objects.visible_to(user).values_list(self.key, flat=True))

    def titles(self, row) -> set[str]:
        """Every title the row has had, long enough not to be an ordinary phrase."""
        if isinstance(row, Article):
            return {r.title for r in row.revisions.all() if len(r.title) > 14}
        if isinstance(row, Meeting):
            lines = f"{row.notes}\n{row.agenda}".splitlines()
            return {line.strip() for line in lines if len(line.strip()) > 14}
        if isinstance(row, Kudos):
            return {line.strip() for line in row.message.splitlines() if len(line.strip()) > 14}
        if isinstance(row, Pairing):
            return set()  # named by its people, whom the directory shows to everyone
        if isinstance(row, Question):
            every = {row.title, *(r.title for r in row.revisions.all() if r.title)}
            return {title for title in every if len(title) > 14}
        return {row.title} if len(row.title) > 14 else set()

    def hidden_somewhere(self, row) -> bool:
        if isinstance(row, Pairing | Goal | Meeting):
            return True  # the pair's own, hidden from nearly everyone
        if isinstance(row, Kudos):
            return row.status != Kudos.Status.VISIBLE
        return row.visibility == "teams" or getattr(row, "status", "") in ("draft", "in_review")


KINDS = (
    Kind(re.compile(r'href="/kb/a/([\w-]+)/'), Article),
    Kind(re.compile(r'href="/training/tracks/(?!new/)([\w-]+)/'), Track),
    Kind(re.compile(r'href="/training/sessions/(?!new/|calendar/)([\w-]+)/'), Session),
    Kind(re.compile(r'href="/mentorship/pairings/(\d+)/'), Pairing, key="pk"),
    Kind(re.compile(r'href="/mentorship/pairings/\d+/goals/(\d+)/'), Goal, key="pk"),
    Kind(re.compile(r'href="/mentorship/pairings/\d+/meetings/(\d+)/'), Meeting, key="pk"),
    Kind(re.compile(r'href="/kudos/(\d+)/'), Kudos, key="pk"),
    Kind(re.compile(r'href="/questions/(\d+)/'), Question, key="pk"),
)
# Kudos whose own page is walked for everyone (a 404 where hidden): those for work some may
# not open, and those hidden while an admin looks at a report.
NAMING_HIDDEN_WORK = (
    Q(article__visibility="teams") | Q(pairing__isnull=False) | ~Q(status=Kudos.Status.VISIBLE)
)


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
    plain += [p.get_absolute_url() for p in Pairing.objects.visible_to(user)]
    plain += [p.get_absolute_url() for p in Program.objects.all()]
    plain += [k.get_absolute_url() for k in Kudos.objects.filter(NAMING_HIDDEN_WORK)]
    # Every list of questions, and each question the user may open (its answers, related
    # questions and panels may name others).
    plain += [f"/questions/?tab={tab}" for tab in ("newest", "votes", "mine", "for-me")]
    plain += ["/questions/?status=answered", "/questions/?status=deflected"]
    plain += [q.get_absolute_url() for q in Question.objects.visible_to(user)]
    plain.append(user.get_absolute_url())
    if user.team_id:
        plain.append(f"/people/teams/{user.team.slug}/")
    for term in terms:
        plain += [
            f"/search/?q={term}",
            f"/search/suggest/?q={term[:12]}",
            f"/api/search/?q={term}",
            f"/questions/ask/suggestions/?title={term}",
        ]
    return plain


def test_every_page_lists_only_what_visible_to_allows_for_every_demo_user(indexed_demo, client):
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
            slugs = {str(key) for key in kind.visible(user)}
            shown = {row.pk for row in rows[kind] if str(getattr(row, kind.key)) in slugs}
            hidden = {t for row in rows[kind] if row.pk not in shown for t in titles[kind][row.pk]}
            # A hidden row's old title may be a visible one's too: only unique titles count.
            hidden -= {t for row in rows[kind] if row.pk in shown for t in titles[kind][row.pk]}
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
            query = parse_qs(urlsplit(url).query)
            typed = (query.get("q") or query.get("title") or [""])[0]
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


def _recognition_pages(user: User, kudos: list[Kudos]) -> list[str]:
    """Everywhere a kudos or what it says may show: recognition's own pages, the home page,
    notifications, the API, the profiles and team pages of the people in `kudos`, and the
    pages of `kudos` themselves."""
    pages = [
        route.fill({})
        for route in ROUTES
        if not route.params and route.namespace in ("recognition", "dashboard", "notifications")
    ]
    pages += ["/", "/api/kudos/", user.get_absolute_url()]
    people = {k.giver for k in kudos} | {p for k in kudos for p in k.recipients.all()}
    pages += [person.get_absolute_url() for person in people]
    pages += sorted({f"/people/teams/{p.team.slug}/" for p in people if p.team_id})
    pages += [k.get_absolute_url() for k in kudos]
    return pages


def test_recognition_never_shows_a_hidden_kudos_or_a_hidden_articles_title(indexed_demo, client):
    hidden = list(Kudos.objects.exclude(status=Kudos.Status.VISIBLE).select_related("giver"))
    for_restricted = list(
        Kudos.objects.filter(article__visibility="teams").select_related("article")
    )
    # The demo has both, so both rules are walked.
    assert hidden
    assert for_restricted
    kudos = hidden + for_restricted
    checked = 0
    for user in User.objects.filter(is_active=True).select_related("team"):
        client.force_login(user)
        # What the viewer may not read: the messages of hidden kudos not theirs, and every
        # title of an article they may not open.
        secrets = {
            line.strip()
            for k in hidden
            if not (user.is_superuser or k.giver_id == user.pk)
            for line in k.message.splitlines()
            if line.strip()
        }
        readable = set(Article.objects.visible_to(user).values_list("pk", flat=True))
        secrets |= {
            revision.title
            for k in for_restricted
            if k.article_id not in readable
            for revision in k.article.revisions.all()
        }
        for url in _recognition_pages(user, kudos):
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code in (302, 403, 404, 405), (user.username, url)
                continue
            page = html.unescape(response.content.decode())
            shown = {secret for secret in secrets if secret in page}
            assert not shown, f"{user.username} reads {shown} on {url}"
            checked += 1
    assert checked > 35 * 15
