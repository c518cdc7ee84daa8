"""Page benchmark: the server time of every page of Huddle against a bare Django view.

Run from the project root:

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --repeat 200 --only search

In a fresh throw-away VAR_DIR (SQLite, Whoosh index, eager Celery), deleted at the end: migrate,
seed_demo, rebuild_index; then every page in PAGES is requested in-process with the Django test
client as its demo user, taking turns, round after round, with a bare view (HttpResponse("ok")
for a logged-in agent, through the same URL resolver and middleware), so noise falls on all alike.
Per page: status, queries of one request, median and p95 ms of --repeat requests after --warmup
rounds, and the median as a multiple of the bare view's. Each app adds its pages to PAGES (ids
from demo_ids()) and its POST-only or redirect URL names to NOT_PAGES; URL names in neither are
listed at the end. Figures, not a test: a page that fails gets a warning row, and it exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import statistics
import sys
import time
import types
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and this file would shadow `search`.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import throwaway  # noqa: E402

BARE = "/bench-bare/"


class Page(NamedTuple):
    label: str
    url: str  # {placeholders} are filled from demo_ids()
    user: str | None  # a demo username ({placeholders} too); None for an anonymous visitor
    htmx: bool = False  # sent as an htmx request (HX-Request header)


PAGES: dict[str, list[Page]] = {
    "dashboard": [
        Page("home", "/", "agent"),
        Page("home (editor)", "/", "editor"),
        Page("home (manager)", "/", "manager"),
        Page("insights", "/insights/", "manager"),
        Page("insights (365 days)", "/insights/?period=365", "manager"),
        Page("insights csv", "/insights/kudos.csv", "manager"),
        Page("hand-over preview", "/hand-over/agent/", "admin"),
        Page("review count (htmx)", "/nav/review-count/", "editor", htmx=True),
    ],
    "kb": [
        Page("kb list", "/kb/", "agent"),
        Page("category", "/kb/c/{category}/", "agent"),
        Page("article detail", "/kb/a/{article}/", "agent"),
        Page("article new", "/kb/new/", "agent"),
        Page("article edit", "/kb/a/{edited}/edit/", "editor"),
        Page("revision list", "/kb/a/{edited}/revisions/", "editor"),
        Page("revision detail", "/kb/a/{edited}/revisions/{revision}/", "editor"),
        Page("revision compare", "/kb/a/{edited}/compare/", "editor"),
        Page("review queue", "/kb/review/", "editor"),
        Page("my articles", "/kb/mine/", "agent"),
        Page("tags", "/kb/tags/", "agent"),
        Page("verification due", "/kb/verification/", "manager"),
        Page("archive form", "/kb/a/{article}/archive/", "editor"),
        Page("following", "/kb/following/", "agent"),
        Page("suggest an edit", "/kb/a/{article}/suggest/", "{reader}"),
        Page("suggestion", "/kb/a/{suggested}/suggestions/{suggestion}/", "{suggestion_owner}"),
    ],
    "search": [
        Page("search refund", "/search/?q=refund", "agent"),
        Page("search typo refnd", "/search/?q=refnd", "agent"),
        Page("suggest (htmx)", "/search/suggest/?q=ref", "agent", htmx=True),
        Page("search insights", "/search/insights/", "editor"),
        Page("synonyms", "/search/synonyms/", "editor"),
        Page("content requests", "/search/requests/", "editor"),
        Page("content request new", "/search/requests/new/?query=gift+card", "editor"),
    ],
    "people": [
        Page("directory", "/people/", "agent"),
        Page("directory filter (htmx)", "/people/?q=pri", "agent", htmx=True),
        Page("mention suggest (htmx)", "/people/mention-suggest/?q=pr", "agent", htmx=True),
        Page("profile", "/people/u/{person}/", "agent"),
        Page("profile edit", "/people/u/agent/edit/", "agent"),
        Page("team list", "/people/teams/", "agent"),
        Page("team detail", "/people/teams/{team}/", "agent"),
        Page("my team", "/people/my-team/", "manager"),
        Page("API tokens", "/people/tokens/", "agent"),
    ],
    "notifications": [
        Page("notifications", "/notifications/", "editor"),
        Page("unread count (htmx)", "/notifications/unread-count/", "editor", htmx=True),
        Page("notification preferences", "/notifications/preferences/", "editor"),
    ],
    "training": [
        Page("catalogue", "/training/", "agent"),
        Page("track", "/training/tracks/{track}/", "agent"),
        Page("step (article)", "/training/tracks/{track}/steps/{article_step}/", "agent"),
        Page("step (quiz)", "/training/tracks/{track}/steps/{quiz_step}/", "agent"),
        Page("my training", "/training/mine/", "agent"),
        Page("certificate", "/training/certificates/{certificate}/", "agent"),
        Page("quiz attempt", "/training/attempts/{attempt}/", "{attempt_owner}"),
        Page("task reviews", "/training/reviews/", "editor"),
        Page("track new", "/training/tracks/new/", "editor"),
        Page("track edit", "/training/tracks/{track}/edit/", "editor"),
        Page("step add", "/training/tracks/{track}/steps/add/?kind=article", "editor"),
        Page("step edit (quiz)", "/training/tracks/{track}/steps/{quiz_step}/edit/", "editor"),
        Page(
            "question edit",
            "/training/tracks/{track}/steps/{quiz_step}/questions/{question}/edit/",
            "editor",
        ),
        Page("assign", "/training/tracks/{track}/assign/", "manager"),
        Page("team progress", "/training/team/", "manager"),
        Page("team progress csv", "/training/team/progress.csv", "manager"),
        Page("sessions", "/training/sessions/", "agent"),
        Page("session", "/training/sessions/{session}/", "agent"),
        Page("session new", "/training/sessions/new/", "agent"),
        Page("session edit", "/training/sessions/{session}/edit/", "{presenter}"),
        Page("session ics", "/training/sessions/{session}/session.ics", "agent"),
        Page("calendar feed settings", "/training/sessions/calendar/", "agent"),
        Page("calendar feed", "/training/sessions/calendar/{feed}.ics", None),
        Page("attendance", "/training/sessions/{past_session}/attendance/", "{past_presenter}"),
        Page("session notes", "/training/sessions/{past_session}/notes/", "{past_presenter}"),
        Page("rotations", "/training/rotations/", "manager"),
        Page("rotation new", "/training/rotations/new/", "agent"),
        Page("rotation", "/training/rotations/{rotation}/", "{rotation_owner}"),
        Page("rotation decide", "/training/rotations/{pending_rotation}/decide/", "admin"),
        Page("external learning", "/training/external/", "manager"),
        Page("external new", "/training/external/new/", "agent"),
        Page("external entry", "/training/external/{external}/", "{external_owner}"),
        Page("external edit", "/training/external/{external}/edit/", "{external_owner}"),
        Page("external decide", "/training/external/{pending_external}/decide/", "manager"),
    ],
    "mentorship": [
        Page("my mentoring", "/mentorship/", "mentor"),
        Page("my mentoring (mentee)", "/mentorship/", "agent"),
        Page("mentoring profile", "/mentorship/profile/", "agent"),
        Page("programmes", "/mentorship/programmes/", "agent"),
        Page("programme", "/mentorship/programmes/{program}/", "manager"),
        Page("programme edit", "/mentorship/programmes/{program}/edit/", "manager"),
        Page("my suggestions", "/mentorship/programmes/{program}/suggestions/", "agent"),
        Page(
            "suggestions for a mentee",
            "/mentorship/programmes/{program}/suggestions/agent/",
            "manager",
        ),
        Page(
            "request a mentor", "/mentorship/programmes/{program}/request/{free_mentor}/", "agent"
        ),
        Page("cohort proposal", "/mentorship/programmes/{program}/cohort/", "manager"),
        Page("programme report", "/mentorship/programmes/{program}/report/", "manager"),
        Page("programme report csv", "/mentorship/programmes/{program}/report.csv", "manager"),
        Page("pairing", "/mentorship/pairings/{pairing}/", "{pairing_mentor}"),
        Page("pairing (manager)", "/mentorship/pairings/{pairing}/", "manager"),
        Page("goal add", "/mentorship/pairings/{pairing}/goals/add/", "{pairing_mentor}"),
        Page("goal edit", "/mentorship/pairings/{pairing}/goals/{goal}/edit/", "{pairing_mentor}"),
        Page("meeting add", "/mentorship/pairings/{pairing}/meetings/add/", "{pairing_mentor}"),
        Page(
            "meeting edit",
            "/mentorship/pairings/{pairing}/meetings/{meeting}/edit/",
            "{pairing_mentor}",
        ),
        Page(
            "meeting ics",
            "/mentorship/pairings/{pairing}/meetings/{meeting}/meeting.ics",
            "{pairing_mentor}",
        ),
        Page(
            "action add",
            "/mentorship/pairings/{pairing}/meetings/{meeting}/actions/add/",
            "{pairing_mentor}",
        ),
        Page("team mentoring", "/mentorship/team/", "manager"),
    ],
    "recognition": [
        Page("wall", "/kudos/", "agent"),
        Page("wall filtered", "/kudos/?period=quarter&value=team-player", "agent"),
        Page("give", "/kudos/give/", "agent"),
        Page("people lookup (htmx)", "/kudos/people/?q=pri", "agent", htmx=True),
        Page("kudos", "/kudos/{kudos}/", "agent"),
        Page("kudos report form", "/kudos/{kudos}/report/", "{kudos_reader}"),
        Page("kudos to story", "/kudos/{unpromoted_kudos}/story/", "manager"),
        Page("leaderboard", "/kudos/leaderboard/", "agent"),
        Page("leaderboard filtered", "/kudos/leaderboard/?period=quarter&team=billing", "agent"),
        Page("values", "/kudos/values/", "agent"),
        Page("badges", "/kudos/badges/", "agent"),
        Page("my recognition", "/kudos/me/", "agent"),
        Page("team recognition", "/kudos/team/", "manager"),
        Page("praise new", "/kudos/praise/new/", "agent"),
        Page("praise", "/kudos/praise/{praise}/", "agent"),
        Page("praise to story", "/kudos/praise/{unpromoted_praise}/story/", "manager"),
        Page("story", "/kudos/stories/{story}/", "agent"),
        Page("story to article", "/kudos/stories/{story}/article/", "manager"),
        Page("rewards", "/kudos/rewards/", "agent"),
        Page("redemptions", "/kudos/redemptions/", "admin"),
        Page("nominations", "/kudos/nominations/", "manager"),
        Page("nomination new", "/kudos/nominations/new/", "manager"),
        Page("nomination", "/kudos/nominations/{nomination}/", "admin"),
    ],
    "questions": [
        Page("unanswered", "/questions/", "agent"),
        Page("newest", "/questions/?tab=newest", "agent"),
        Page("most voted", "/questions/?tab=votes", "agent"),
        Page("mine", "/questions/?tab=mine", "agent"),
        Page("for me", "/questions/?tab=for-me", "{routed}"),
        Page("filtered", "/questions/?tab=newest&tag=refunds&status=answered", "agent"),
        Page("question", "/questions/{question}/", "agent"),
        Page(
            "new answers (htmx)",
            "/questions/{question}/answers/new/?after={answer}",
            "agent",
            htmx=True,
        ),
        Page("ask", "/questions/ask/", "agent"),
        Page("suggestions (htmx)", "/questions/ask/suggestions/?title=card", "agent", htmx=True),
        Page("question edit", "/questions/{open_question}/edit/", "{asker}"),
        Page("question history", "/questions/{edited_question}/history/", "agent"),
        Page("close form", "/questions/{open_question}/close/", "{asker}"),
        Page("promote form", "/questions/{question}/promote/", "editor"),
        Page("answer edit", "/questions/answers/{answer}/edit/", "{answerer}"),
        Page("answer history", "/questions/answers/{answer}/history/", "agent"),
    ],
    "accounts": [
        Page("log-in page", "/accounts/login/", None),
        Page("password change", "/accounts/password/", "agent"),
        Page("password changed", "/accounts/password/done/", "agent"),
    ],
    "api": [
        Page("api root", "/api/", "agent"),
        Page("api people", "/api/people/", "agent"),
        Page("api person", "/api/people/{person}/", "agent"),
        Page("api me", "/api/people/me/", "agent"),
        Page("api notifications", "/api/notifications/", "editor"),
        Page("api notification", "/api/notifications/{notification}/", "editor"),
        Page("api search", "/api/search/?q=refund", "agent"),
        Page("api pairings", "/api/pairings/", "manager"),
        Page("api pairing", "/api/pairings/{pairing}/", "manager"),
        Page("api kudos", "/api/kudos/", "agent"),
        Page("api kudos item", "/api/kudos/{kudos}/", "agent"),
        Page("api articles", "/api/articles/", "agent"),
        Page("api article", "/api/articles/{article}/", "agent"),
        Page("api article comments", "/api/articles/{article}/comments/", "agent"),
        Page("api questions", "/api/questions/", "agent"),
        Page("api question", "/api/questions/{question}/", "agent"),
        Page("api answer", "/api/answers/{answer}/", "agent"),
        Page("api tracks", "/api/tracks/", "agent"),
        Page("api track", "/api/tracks/{track}/", "agent"),
        Page("api enrolments", "/api/enrolments/", "agent"),
        Page("api enrolment", "/api/enrolments/{enrolment}/", "agent"),
        Page("api sessions", "/api/sessions/", "agent"),
        Page("api session", "/api/sessions/{session}/", "agent"),
        Page("api meetings", "/api/pairings/{pairing}/meetings/", "{pairing_mentor}"),
        Page("api values", "/api/values/", "agent"),
        Page("api badges", "/api/badges/", "agent"),
        Page("api badge awards", "/api/badge-awards/", "agent"),
        Page("api schema", "/api/schema/", "agent"),
        Page("api docs", "/api/docs/", "agent"),
    ],
    "admin": [Page("admin index", "/admin/", "admin")],
}
# URL names that are no page to time: POST-only actions, redirects and file downloads.
# (The admin's own URLs are not walked.)
NOT_PAGES = {
    "logout",
    *(f"kb:{name}" for name in (
        "article-submit", "article-approve", "article-send-back", "article-archive",
        "revision-restore", "article-verify", "feedback", "comment-add", "comment-resolve",
        "attachment-add", "attachment", "article-unarchive", "article-follow", "category-follow",
        "markdown-preview", "upload", "file", "suggestion-accept", "suggestion-decline",
    )),
    "search:open", "search:open-document", "search:synonym-delete", "search:request-link",
    "search:request-decline", "search:request-ask", "search:request-assign",
    *(f"training:{name}" for name in (
        "track-publish", "step-move", "step-remove", "question-add", "question-remove",
        "track-enrol", "track-withdraw", "step-done", "quiz-submit", "task-confirm",
        "session-signup", "session-leave", "session-cancel", "session-article",
        "rotation-cancel", "rotation-confirm", "rotation-share", "external-share",
        # Its form shows from a rotation's last day until the host confirms; the demo's one
        # past rotation is confirmed, so the page redirects.
        "rotation-reflect",
    )),
    *(f"mentorship:{name}" for name in (
        "program-join", "program-leave", "assign", "pairing-accept", "pairing-decline",
        "pairing-withdraw", "pairing-end", "pairing-extend", "pairing-complete",
        "pairing-feedback", "milestone-done", "action-done",
    )),
    "notifications:mark-all-read", "notifications:mark-read", "notifications:open",
    "notifications:unsubscribe",
    "api:notification-read", "api:notification-read-all",
    *(f"recognition:{name}" for name in (
        "kudos-react", "kudos-comment", "reward-redeem", "redemption-decide",
        "nomination-decide",
    )),
    "api:kudos-react", "api:answer-accept", "api:answer-vote", "api:article-vote",
    "api:enrolment-complete", "api:enrolment-withdraw", "api:question-answers",
    "api:question-vote", "api:session-cancel", "api:session-leave", "api:session-signup",
    "people:token-revoke",
    *(f"questions:{name}" for name in (
        "deflect", "answer", "question-comment", "question-vote", "answer-accept",
        "answer-vote", "answer-comment",
    )),
}  # fmt: skip


def demo_ids() -> dict[str, object]:
    """The ids the URLs need, read from the demo data so they follow it when it changes."""
    from django.db.models import Count, F

    from kb.models import Article, ArticleSuggestion
    from notifications.models import Notification
    from people.models import User

    public = Article.objects.published().filter(visibility=Article.Visibility.EVERYONE)
    article = public.annotate(n=Count("comments")).order_by("-n", "pk").first()
    # Published, with an edit waiting for review: two revisions to list and compare.
    edited = public.exclude(latest_revision=F("published_revision")).order_by("pk").first()
    suggestion = ArticleSuggestion.objects.select_related("article__owner").first()
    # Someone who may read the article but not edit it: the one who suggests edits.
    reader = User.objects.filter(is_superuser=False).exclude(
        pk__in=[article.owner_id, article.author_id]
    )
    return {
        **_training_ids(),
        **_mentorship_ids(),
        **_recognition_ids(),
        **_questions_ids(),
        "suggested": suggestion.article.slug,
        "suggestion": suggestion.pk,
        "suggestion_owner": suggestion.article.owner.username,
        "reader": reader.exclude(groups__name="KB Editor").order_by("username")[0].username,
        "article": article.slug,
        "category": (article.category.parent or article.category).slug,
        "edited": edited.slug,
        "revision": edited.latest_revision.number,
        "person": "mentor",
        "team": User.objects.select_related("team").get(username="agent").team.slug,
        "notification": Notification.objects.filter(recipient__username="editor").first().pk,
    }


def _training_ids() -> dict[str, object]:
    """The demo's product-knowledge track, the agent's certificate, a session with a waitlist
    and a past one with notes, and rotations and external learning in the states pages show."""
    from people.models import User
    from training.models import (
        CalendarFeed,
        Enrolment,
        ExternalLearning,
        QuizAttempt,
        Rotation,
        Session,
        TrackStep,
    )  # fmt: skip

    track = "product-knowledge-billing"
    steps = TrackStep.objects.filter(track__slug=track)
    attempt = QuizAttempt.objects.select_related("enrolment__user").first()
    session = Session.objects.upcoming().filter(visibility="everyone").first()
    past = Session.objects.past().exclude(notes="").select_related("organiser").first()
    rotations = Rotation.objects.select_related("participant")
    external = ExternalLearning.objects.select_related("person")
    # The bench runs on a throwaway copy of the demo: making the agent's feed changes nothing.
    agent_feed, _ = CalendarFeed.objects.get_or_create(user=User.objects.get(username="agent"))
    return {
        "track": track,
        "article_step": steps.filter(kind="article").first().pk,
        "quiz_step": steps.get(kind="quiz").pk,
        "question": steps.get(kind="quiz").questions.first().pk,
        "certificate": Enrolment.objects.filter(user__username="agent", status="completed")
        .first()
        .certificate_code,
        "enrolment": Enrolment.objects.filter(user__username="agent").first().pk,
        "attempt": attempt.pk,
        "attempt_owner": attempt.enrolment.user.username,
        "session": session.slug,
        "presenter": session.organiser.username,
        "feed": agent_feed.token,
        "past_session": past.slug,
        "past_presenter": past.organiser.username,
        "rotation": rotations.first().pk,
        "rotation_owner": rotations.first().participant.username,
        "pending_rotation": rotations.filter(status="requested").first().pk,
        "external": external.first().pk,
        "external_owner": external.first().person.username,
        "pending_external": external.filter(approval="pending").first().pk,
    }


def _mentorship_ids() -> dict[str, object]:
    """The onboarding programme, its fullest active pairing (goals, meetings) seen by its
    mentor, and a mentor the agent may still ask."""
    from mentorship.demo import ONBOARDING
    from mentorship.matching.constraints import load_exclusions
    from mentorship.models import MentoringProfile, Pairing, Program
    from people.models import User

    program = Program.objects.get(slug=ONBOARDING)
    pairing = (
        Pairing.objects.running()
        .filter(program=program)
        .with_health()
        .select_related("mentor")
        .order_by("-goal_count", "-meetings_held", "pk")
        .first()
    )
    meeting = pairing.meetings.order_by("starts_at").first()
    agent = User.objects.get(username="agent")
    pool = MentoringProfile.objects.mentor_pool().order_by("user__username")
    found = load_exclusions(
        program=program, mentees=[agent], mentor_ids=pool.values_list("user_id", flat=True)
    )
    free = next(p.user for p in pool.select_related("user") if found.allows(agent.pk, p.user_id))
    return {
        "program": program.slug,
        "pairing": pairing.pk,
        "pairing_mentor": pairing.mentor.username,
        "goal": pairing.goals.first().pk,
        "meeting": meeting.pk,
        "free_mentor": free.username,
    }


def _recognition_ids() -> dict[str, object]:
    """The most discussed kudos (read by someone it does not name), one and a praise no
    manager has made a story yet, the pinned story, a praise, the nomination waiting."""
    from django.db.models import Count

    from people.models import User
    from recognition.models import Kudos, Nomination, Praise, SuccessStory

    kudos = (
        Kudos.objects.counted()
        .annotate(n=Count("comments", distinct=True), r=Count("reactions", distinct=True))
        .order_by("-n", "-r", "pk")
        .select_related("giver")
        .first()
    )
    named = {kudos.giver_id, *kudos.recipient_rows.values_list("recipient_id", flat=True)}
    reader = (
        User.objects.filter(username__in=["agent", "mentor", "editor", "manager"])
        .exclude(pk__in=named)
        .order_by("username")
        .first()
    )
    return {
        "kudos": kudos.pk,
        "kudos_reader": reader.username,
        "unpromoted_kudos": Kudos.objects.counted().filter(story__isnull=True).first().pk,
        "praise": Praise.objects.order_by("-created_at").first().pk,
        "unpromoted_praise": Praise.objects.filter(story__isnull=True).first().pk,
        "story": SuccessStory.objects.first().pk,
        "nomination": Nomination.objects.pending().first().pk,
    }


def _questions_ids() -> dict[str, object]:
    """The public question with the most answers (accepted, not promoted: the editor may
    promote it), an open one its asker edits or closes, one with an edit history, and a
    person questions were routed to."""
    from django.db.models import Count

    from questions.models import Question, Route

    public = Question.objects.filter(visibility="everyone")
    question = (
        public.filter(status="answered", article__isnull=True)
        .annotate(n=Count("answers"))
        .order_by("-n", "pk")
        .first()
    )
    answer = question.answers.select_related("author").order_by("pk").first()
    opened = public.open().select_related("author").order_by("pk").first()
    routed = Route.objects.filter(question__visibility="everyone").select_related("person")
    return {
        "question": question.pk,
        "answer": answer.pk,
        "answerer": answer.author.username,
        "open_question": opened.pk,
        "asker": opened.author.username,
        "edited_question": public.filter(revisions__isnull=False).first().pk,
        "routed": routed.order_by("pk").first().person.username,
    }


def serve_bare_view() -> None:
    """The bare view goes last in the URL conf, so resolving it walks every app's patterns."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    import config.urls

    urls = types.ModuleType("bench_pages_urls")
    urls.urlpatterns = [*config.urls.urlpatterns, path(BARE[1:], lambda r: HttpResponse("ok"))]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    clear_url_caches()
    # Records that pages buffer are written by the worker, not inside the timed request.
    settings.DEFERRED_WRITES_FLUSH_SOON = False


def url_names(patterns: list, namespace: str = "") -> set[str]:
    """Every named URL of the URL conf, "namespace:name", the admin's left out."""
    from django.urls import URLResolver

    names = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                names |= url_names(entry.url_patterns, inner)
        elif entry.name:
            names.add(namespace + entry.name)
    return names


def bench(jobs: list[tuple[str, Page, str]], repeat: int, warmup: int) -> None:
    """Times each (app, page, concrete URL) and the bare view; prints the table."""
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    jobs = [*jobs, ("", Page("bare view", BARE, "agent"), BARE)]  # as most pages' user
    clients = {page.user: Client() for _, page, _ in jobs}
    for user, client in clients.items():
        if user:
            client.force_login(User.objects.get(username=user))
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the table shows failures

    def get(page: Page, url: str) -> HttpResponse | Exception:
        try:
            return clients[page.user].get(url, headers={"HX-Request": "true"} if page.htmx else {})
        except Exception as error:  # a server error: reported in its row, the run goes on
            return error

    times: list[list[float]] = [[] for _ in jobs]
    odd: list[dict[int, str]] = [{} for _ in jobs]  # a status other than 200: where it led
    for round_ in range(warmup + repeat):  # the pages take turns, so noise falls on all alike
        for i, (_, page, url) in enumerate(jobs):
            start = time.perf_counter()
            response = get(page, url)
            elapsed = time.perf_counter() - start
            if round_ >= warmup:
                times[i].append(elapsed)
                if isinstance(response, Exception):
                    odd[i].setdefault(500, f"{type(response).__name__}: {response}"[:300])
                elif response.status_code != 200:
                    odd[i].setdefault(response.status_code, response.get("Location", ""))
    queries = []
    for _, page, url in jobs:  # once more each, outside the timing: the query log costs time
        with CaptureQueriesContext(connection) as captured:
            get(page, url)
        queries.append(len(captured.captured_queries))

    bare50, bare95 = percentiles(times[-1])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nHuddle pages, {repeat} requests each after {warmup} warm-up rounds "
          f"(load average now {load})\n")  # fmt: skip
    header = f"{'page':<26} {'user':<8} {'status':>6} {'queries':>7} {'median ms':>9} "
    print(header + f"{'p95 ms':>8} {'x bare':>7}")
    last_app = None
    for i, (app, page, url) in enumerate(jobs[:-1]):
        if app != last_app:
            print(f"-- {app}")
            last_app = app
        p50, p95 = percentiles(times[i])
        status = "/".join(str(s) for s in sorted(odd[i])) or "200"
        row = f"{page.label:<26} {page.user or '-':<8} {status:>6} {queries[i]:>7} {p50:>9.1f} "
        print(row + f"{p95:>8.1f} {p50 / bare50:>7.1f}")
        for code, location in odd[i].items():
            print(f"   WARNING: {url} answered {code}" + (f": {location}" if location else ""))
    print(f"\nbare view ({BARE}, HttpResponse('ok'), same middleware, as agent): median "
          f"{bare50:.2f} ms, p95 {bare95:.2f} ms, {queries[-1]} queries")  # fmt: skip


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    return statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[-1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--only", default="", help="time only pages whose label or URL has this")
    args = parser.parse_args()
    with throwaway.huddle("pages", demo=True):
        serve_bare_view()
        from django.urls import Resolver404, get_resolver, resolve

        ids = demo_ids()
        # The user may be a placeholder too: the owner of the suggestion, a reader.
        every = [
            (app, page._replace(user=page.user and page.user.format(**ids)), page.url.format(**ids))
            for app, pages in PAGES.items()
            for page in pages
        ]
        timed = set()
        for _, _, url in every:
            with contextlib.suppress(Resolver404):  # its row will say 404
                timed.add(resolve(urlsplit(url).path).view_name)
        missing = sorted(url_names(get_resolver().url_patterns) - timed - NOT_PAGES)
        only = args.only.lower()
        chosen = [job for job in every if only in f"{job[0]} {job[1].label} {job[2]}".lower()]
        bench(chosen, max(args.repeat, 2), max(args.warmup, 0))
        if missing:
            print("URL names neither in PAGES nor in NOT_PAGES: " + ", ".join(missing))


if __name__ == "__main__":
    main()
