"""Every URL in the URL conf, with real ids to fill it: shared by the walks over all URLs
(the login walk in tests/config/test_login_required.py, the fuzz test in tests/fuzz/).

A new app's URLs are walked the day they exist; an app whose URLs take parameters adds its
namespace to `APPS_WITH_SAMPLE_IDS` and the ids to `make_sample_ids`, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.regex_helper import normalize

from kb import services as kb_services
from mentorship.models import ActionItem, Goal, Meeting
from mentorship.services import pairings as mentorship_pairings
from notifications.digests import unsubscribe_token
from people.tokens import api_token_create
from recognition.models import Award, Nomination, Reward, SuccessStory
from recognition.services.rewards import reward_redeem
from search import services as search_services
from search.models import SearchLog
from tests.factories import NotificationFactory, TeamFactory, UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.questions.builders import make_answer, make_question
from tests.recognition.builders import make_kudos, make_praise
from tests.training.builders import make_session, make_track
from training.models import CalendarFeed, Enrolment, ExternalLearning, QuizAttempt, Rotation
from training.services.progress import step_complete

# Pages an anonymous visitor must reach: the login pages, the calendar feed (calendar apps
# cannot sign in; its secret token is the key) and the digest's unsubscribe link (its signed
# token is the key).
PUBLIC = {
    "/accounts/login/",
    "/admin/login/",
    "/training/sessions/calendar/1.ics",
    "/notifications/unsubscribe/1/",
}
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("kb:article-detail") and a template per way to spell it
    ("kb/a/%(slug)s/", with its parameter names)."""

    name: str
    template: str
    params: tuple[str, ...]

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    def fill(self, values: dict[str, str]) -> str:
        """The URL with each parameter taken from `values`; DRF's format suffix is "json"
        (its dot is either before or inside the group) and anything else missing is "1"."""
        filled = {name: str(values.get(name, "1")) for name in self.params}
        if "format" in self.params:
            filled["format"] = "json" if self.template.endswith(".%(format)s") else ".json"
        return "/" + self.template % filled

    def __str__(self) -> str:  # the test id: "/kb/a/<slug>/revisions/<number>/"
        return "/" + self.template % {name: f"<{name}>" for name in self.params}


def _routes(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            routes += _routes(entry.url_patterns, regex, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            for template, params in normalize(regex.replace(r"\Z", "").replace("$", "")):
                routes.append(Route(name, template, tuple(params)))
    return sorted(set(routes), key=str)


ROUTES = _routes(get_resolver().url_patterns)
ALL_URLS = sorted({route.fill({}) for route in ROUTES})

# The apps whose URL parameters are filled with ids of real rows (`make_sample_ids`), so a
# walk requests an existing article, revision, comment, request... An app listed here must
# give every parameter its URLs have; the others' (the admin's, the API's) get "1".
APPS_WITH_SAMPLE_IDS = (
    "kb", "search", "people", "notifications", "training", "mentorship", "recognition",
    "questions", "dashboard",
)  # fmt: skip


def make_sample_ids(*, agent, editor, team) -> dict[str, dict[str, object]]:
    """Rows for every parameter, and their ids by URL namespace ("kb"), or by URL name
    ("kb:attachment") where a parameter means another row there than in the rest of its app.
    The `agent` owns the notification and wrote the article (published by `editor`)."""
    article = make_article(author=agent, approved_by=editor, tags=["refunds"])
    comment = kb_services.comment_add(article=article, author=editor, body="Still right?")
    attachment = kb_services.attachment_add(
        article=article, user=agent, upload=SimpleUploadedFile("notes.txt", b"Some notes.")
    )
    suggestion = kb_services.suggestion_create(
        article=article, author=UserFactory(team=team),
        content={"title": "Refunds, suggested", "summary": "", "body": "A reader's better text."},
    )  # fmt: skip
    content_request = search_services.content_request_create(
        user=editor, query="refnd", title="Refunds", owner=agent
    )
    # Asked for by the agent and not assigned yet: the editors' triage list has a row.
    search_services.content_request_ask(user=agent, query="gift card balance", details="Please")
    synonym = search_services.synonym_save(user=editor, terms="refund, chargeback")
    log = SearchLog.objects.create(user=agent, query="refund", normalized="refund", result_count=1)
    kb = {
        "slug": article.slug,
        "category_slug": article.category.slug,
        "number": article.latest_revision.number,
        "pk": comment.pk,
    }
    return {
        "kb": kb,
        "kb:attachment": {**kb, "pk": attachment.pk, "name": attachment.name},
        "kb:file": {"pk": attachment.pk, "name": attachment.name},
        **{
            f"kb:suggestion-{action}": {**kb, "pk": suggestion.pk}
            for action in ("detail", "accept", "decline")
        },
        "search": {"pk": content_request.pk, "log_id": log.pk, "article_id": article.pk},
        "search:synonym-delete": {"pk": synonym.pk},
        # A result of any indexed model opened from the search page: the article here.
        "search:open-document": {"log_id": log.pk, "label": "kb.article", "pk": article.pk},
        # The agent's own API token (revoked by a walk's POST, which is all it can do).
        "people": {
            "slug": team.slug,
            "username": agent.username,
            "pk": api_token_create(user=agent, name="Walk")[0].pk,
        },
        "notifications": {"pk": NotificationFactory(recipient=agent).pk},
        "notifications:unsubscribe": {"token": unsubscribe_token(agent)},
        "dashboard": {"table": "kudos", "username": agent.username},
        **_training_ids(agent=agent, editor=editor, team=team, article=article),
        **_mentorship_ids(agent=agent, editor=editor, team=team),
        **_recognition_ids(agent=agent, editor=editor, team=team, article=article),
        **_questions_ids(agent=agent, editor=editor, article=article),
    }


def _training_ids(*, agent, editor, team, article) -> dict[str, dict[str, object]]:
    """A published track (article, quiz, task) the agent completed, with a task waiting for
    review in a second one; a session; a rotation and an external course of the agent's."""
    track = make_track(owner=editor, articles=[article], quiz=True, task=True)
    quiz = track.steps.get(kind="quiz")
    enrolment = Enrolment.objects.create(user=agent, track=track)
    for step in track.steps.all():
        if step.kind != "quiz":
            step_complete(enrolment=enrolment, step=step, evidence="Did it.")
    attempt = QuizAttempt.objects.create(enrolment=enrolment, step=quiz, score=100, passed=True)
    step_complete(enrolment=enrolment, step=quiz)
    enrolment.refresh_from_db()
    reviewed = make_track(owner=editor, title="Reviewed task", task=True)
    waiting = step_complete(
        enrolment=Enrolment.objects.create(user=agent, track=reviewed),
        step=reviewed.steps.get(), evidence="Please check.", awaiting_review=True,
    )  # fmt: skip
    session = make_session(organiser=editor)
    rotation = Rotation.objects.create(
        participant=agent, host_team=TeamFactory(), goals="See how they work.",
        starts_on=date.today() + timedelta(days=7), ends_on=date.today() + timedelta(days=9),
    )  # fmt: skip
    course = ExternalLearning.objects.create(
        person=agent, title="De-escalation course", hours=Decimal("3"),
        starts_on=date.today(), ends_on=date.today(),
    )  # fmt: skip
    feed = CalendarFeed.objects.create(user=agent)
    session_names = ("detail", "edit", "signup", "leave", "cancel", "ics", "attendance", "notes",
                     "article")  # fmt: skip
    return {
        "training": {
            "slug": track.slug,
            "pk": quiz.pk,
            "question": quiz.questions.first().pk,
            "code": enrolment.certificate_code,
            "token": feed.token,
        },
        "training:attempt-detail": {"pk": attempt.pk},
        "training:task-confirm": {"pk": waiting.pk},
        **{f"training:session-{name}": {"slug": session.slug} for name in session_names},
        **{
            name: {"pk": rotation.pk}
            for name in (
                "training:rotation-detail",
                "training:rotation-decide",
                "training:rotation-cancel",
                "training:rotation-reflect",
                "training:rotation-confirm",
                "training:rotation-share",
            )
        },
        **{
            f"training:external-{name}": {"pk": course.pk}
            for name in ("detail", "edit", "decide", "share")
        },
    }


def _mentorship_ids(*, agent, editor, team) -> dict[str, dict[str, object]]:
    """Programmes the editor manages, with the agent as a mentee of the editor in each state a
    page acts on: active with a plan (a goal, a milestone, a meeting with an action item),
    completed (feedback), waiting for the editor's answer (accept, decline, withdraw); and one
    where the agent waits in the cohort, with an open mentor to ask or assign."""
    now = timezone.now()
    make_profile(editor, capacity=3, topics=["refunds"])
    make_profile(agent, develop=["refunds"])
    active_in, done_in, waiting_in, open_in = (
        make_program(name=f"Walk {name}", kind=kind, managers=[editor],
                     milestones=[("First meeting", 7)])
        for name, kind in (("classic", "classic"), ("peer", "peer"), ("reverse", "reverse"),
                           ("cohort", "classic"))
    )  # fmt: skip
    active = make_pairing(program=active_in, mentor=editor, mentee=agent)
    goal = Goal.objects.create(pairing=active, title="Handle refunds alone", progress=20)
    meeting = Meeting.objects.create(
        pairing=active, starts_at=now - timedelta(days=1), agenda="Refunds", notes="Went well."
    )
    action = ActionItem.objects.create(
        meeting=meeting, title="Read the refund article", owner=agent,
        due_on=date.today() + timedelta(days=3),
    )  # fmt: skip
    done = make_pairing(program=done_in, mentor=editor, mentee=agent)
    done = mentorship_pairings.pairing_complete(pairing=done, user=editor)
    waiting = make_pairing(program=waiting_in, mentor=editor, mentee=agent, active=False)
    someone = UserFactory(username="walk-mentor", team=TeamFactory())
    make_profile(someone, capacity=2, topics=["refunds"])
    mentorship_pairings.participation_join(program=open_in, mentee=agent)
    cohort = ("suggestions", "suggestions-for", "assign", "cohort", "program-join",
              "program-leave")  # fmt: skip
    return {
        "mentorship": {
            "slug": active_in.slug,
            "username": agent.username,
            "pk": active.pk,
            "goal": goal.pk,
            "milestone": active.milestones.first().pk,
            "meeting": meeting.pk,
            "action": action.pk,
        },
        **{f"mentorship:{name}": {"slug": open_in.slug} for name in cohort},
        "mentorship:request": {"slug": open_in.slug, "username": someone.username},
        **{
            f"mentorship:pairing-{name}": {"pk": waiting.pk}
            for name in ("accept", "decline", "withdraw")
        },
        "mentorship:pairing-feedback": {"pk": done.pk},
    }


def _recognition_ids(*, agent, editor, team, article) -> dict[str, dict[str, object]]:
    """A kudos from the editor to the agent for the article (its points are the agent's
    balance), customer praise of the agent with a second one told as a success story, a
    reward the agent redeemed (waiting for an admin), and the agent's nomination of a
    colleague, waiting for the approvers."""
    kudos = make_kudos(editor, agent, points=30, article=article)
    praise = make_praise(agent, recorded_by=editor, ticket_ref="ZD-1")
    told = make_praise(agent, recorded_by=editor, quote="Fixed in one call.")
    today = timezone.localdate()
    story = SuccessStory.objects.create(
        praise=told, title="One call, fixed", learned="Ask for the order number first.",
        pinned_from=today, pinned_until=today + timedelta(days=7), created_by=editor,
    )  # fmt: skip
    reward = Reward.objects.create(name="Company hoodie", slug="company-hoodie", price=20)
    redemption = reward_redeem(person=agent, reward=reward)
    # Written as a row: the agent nominating is what the site allows when nominations are
    # open to everyone (a setting), and it makes the page one the agent may open.
    nomination = Nomination.objects.create(
        award=Award.objects.get(slug="customer-champion-of-the-quarter"), period_label="2026 Q4",
        nominee=UserFactory(username="walk-nominee", team=team), nominated_by=agent,
        reason="Kept the queue calm through the outage.",
    )  # fmt: skip
    return {
        "recognition": {"pk": kudos.pk, "kind": "clap", "slug": reward.slug},
        **{f"recognition:praise-{name}": {"pk": praise.pk} for name in ("detail", "promote")},
        **{f"recognition:story-{name}": {"pk": story.pk} for name in ("detail", "article")},
        "recognition:redemption-decide": {"pk": redemption.pk},
        **{
            f"recognition:nomination-{name}": {"pk": nomination.pk} for name in ("detail", "decide")
        },
    }


def _questions_ids(*, agent, editor, article) -> dict[str, dict[str, object]]:
    """The agent's open question on the article's tag with the editor's answer (to vote on,
    comment, edit and accept), and another whose answer the agent accepted (to promote)."""
    question = make_question(author=agent, tags=["refunds"], category=article.category)
    answer = make_answer(question=question, author=editor)
    answered = make_question(
        author=agent, title="Can a refund go to another card?", tags=["refunds"],
        category=article.category,
    )  # fmt: skip
    make_answer(question=answered, author=editor, body="Only to the original.", accepted_by=agent)
    answer_names = ("answer-edit", "answer-history", "answer-accept", "answer-vote",
                    "answer-comment")  # fmt: skip
    return {
        "questions": {"pk": question.pk},
        "questions:promote": {"pk": answered.pk},
        **{f"questions:{name}": {"pk": answer.pk} for name in answer_names},
    }


def route_values(route: Route, sample_ids) -> dict[str, object]:
    """The parameter values of `route`. `sample_ids` is the dict `make_sample_ids` returns,
    or a function returning it (called only for the apps that need ids: it makes rows)."""
    if route.namespace not in APPS_WITH_SAMPLE_IDS:
        return {}
    ids = sample_ids() if callable(sample_ids) else sample_ids
    values = {**ids[route.namespace], **ids.get(route.name, {})}
    missing = set(route.params) - set(values)
    assert not missing, f"{route}: add sample ids for {sorted(missing)} to `make_sample_ids`"
    return values


def route_url(route: Route, sample_ids) -> str:
    """`route` filled with real ids (see `route_values`), checked to resolve to itself."""
    values = route_values(route, sample_ids)
    url = route.fill(values)
    if values:
        assert resolve(url).view_name == route.name, (url, route.name)  # the ids fit
    return url
