"""Builders for the home page tests: one function per kind of thing that can wait for a
person, each writing the rows the way its app's tests do and returning what the home page
should link to. `n` makes several of the same kind (the query-count test's data sizes)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from kb import services as kb_services
from kb.models import Article
from mentorship.models import ActionItem, Meeting
from people.models import User
from questions.models import Question, Route
from recognition.models import Award, Nomination
from recognition.models.nominations import APPROVERS_GROUP
from search.models import ContentRequest
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.questions.builders import make_question
from tests.training.builders import enrol, make_session, make_track
from training.models import Rotation, SessionSignup, StepCompletion


def lapsed_article(owner: User, *, writer: User, editor: User, title: str = "Overdue refund steps",
                   days: int = 100, **meta) -> Article:  # fmt: skip
    """A published article `owner` owns whose verification lapsed `days` days ago."""
    article = make_article(author=writer, owner=owner, title=title, approved_by=editor, **meta)
    Article.objects.filter(pk=article.pk).update(verified_at=timezone.now() - timedelta(days=days))
    return article


def waiting_review(*, author: User, title: str = "Gift card balance checks") -> Article:
    article = make_article(author=author, title=title)
    kb_services.article_submit(article=article, user=author)
    return article


def assigned_request(owner: User, *, editor: User, query: str = "refund to gift card"):
    return ContentRequest.objects.create(
        query=query, title=f"How to {query}", owner=owner, created_by=editor
    )


def routed_question(expert: User, *, author: User, title: str = "Refund a split payment?",
                    customer_waiting: bool = False, **fields) -> Question:  # fmt: skip
    """An unanswered question brought to `expert` (as its routing would)."""
    if customer_waiting:
        fields["urgency"] = Question.Urgency.CUSTOMER_WAITING
    question = make_question(author=author, title=title, **fields)
    Route.objects.create(question=question, person=expert, reason="Answered similar ones")
    return question


def due_track(learner: User, *, owner: User, days: int, title: str = "Refunds basics"):
    """A published track `learner` takes, due in `days` days (negative: overdue)."""
    track = make_track(owner=owner, title=title)
    enrol(learner, track, due_on=timezone.localdate() + timedelta(days=days))
    return track


def outdated_step(learner: User, *, editor: User, writer: User, title: str = "Chargebacks"):
    """A read step of a track `learner` completed on a revision since replaced. Returns
    (track, step)."""
    article = make_article(author=writer, title=title, approved_by=editor)
    track = make_track(owner=editor, title=f"Track on {title}", articles=[article])
    step = track.steps.get()
    StepCompletion.objects.create(
        enrolment=enrol(learner, track), step=step, revision=article.published_revision
    )
    # Edited by its writer and approved by the editor: with a second editor about, nobody
    # approves their own change.
    latest = article.latest_revision
    changed = kb_services.article_update(
        article=article, editor=writer, meta={},
        content={"title": latest.title, "summary": latest.summary, "body": "Changed."},
    )  # fmt: skip
    kb_services.article_submit(article=changed, user=writer)
    kb_services.article_approve(article=changed, editor=editor)
    return track, step


def mentoring(mentee: User, *, mentor: User, program=None, meeting_in_days: int = 2,
              overdue_action: str = "Listen to three calls"):  # fmt: skip
    """An active pairing with a meeting ahead, an overdue action item of `mentee`, and a
    check-in milestone due in 3 days. Returns the pairing."""
    program = program or make_program(name=f"Mentoring {mentee.username}",
                                       milestones=[("Midpoint check-in", 3)])  # fmt: skip
    pairing = make_pairing(program=program, mentor=mentor, mentee=mentee)
    now = timezone.now()
    Meeting.objects.create(
        pairing=pairing, starts_at=now + timedelta(days=meeting_in_days), created_by=mentor
    )
    held = Meeting.objects.create(pairing=pairing, starts_at=now - timedelta(days=5))
    ActionItem.objects.create(
        meeting=held, title=overdue_action, owner=mentee,
        due_on=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    return pairing


def mentor_request(mentor: User, *, mentee: User, program=None):
    program = program or make_program(name=f"Asking {mentee.username}")
    return make_pairing(program=program, mentor=mentor, mentee=mentee, active=False)


def signed_up_session(person: User, *, organiser: User, days: int = 2, title="Refund war stories"):
    session = make_session(organiser=organiser, days=days, title=title)
    SessionSignup.objects.create(session=session, user=person, status="confirmed")
    return session


def rotation_to_approve(manager: User, *, host_team, participant: User | None = None):
    """A requested rotation of one of `manager`'s people (a new one unless given)."""
    team = manager.managed_teams.first()
    participant = participant or UserFactory(team=team)
    start = timezone.localdate() + timedelta(days=10)
    return Rotation.objects.create(
        participant=participant, host_team=host_team, starts_on=start, ends_on=start,
        goals="See how they triage.",
    )  # fmt: skip


def make_approver(user: User) -> User:
    user.groups.add(Group.objects.get_or_create(name=APPROVERS_GROUP)[0])
    user.__dict__.pop("role_names", None)
    return user


def pending_nomination(*, nominee: User, nominated_by: User) -> Nomination:
    return Nomination.objects.create(
        award=Award.objects.get(slug="customer-champion-of-the-quarter"),
        period_label="2026 Q4", nominee=nominee, nominated_by=nominated_by,
        reason="Turned three angry customers into fans this quarter.",
        status=Nomination.Status.PENDING,
    )  # fmt: skip
