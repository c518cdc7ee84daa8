"""Builders for training tests: tracks with steps of each kind, sessions, enrolments.

They write rows directly (the editor's services are tested on their own); every test that
needs a track states the shape it needs through these keywords.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from training.models import (
    Enrolment,
    QuizOption,
    QuizQuestion,
    Session,
    Track,
    TrackStep,
)


def make_track(
    *,
    owner,
    title: str = "Refunds basics",
    published: bool = True,
    articles=(),
    quiz: bool = False,
    task: bool = False,
    sessions=(),
    **fields,
) -> Track:
    """A track with one read step per article in `articles`, then (if asked) a quiz of two
    questions (pass mark 50%: `quiz_answers(step)` gives the right answers) and a practical
    task, then one attend step per session."""
    track = Track.objects.create(
        owner=owner,
        title=title,
        slug=fields.pop("slug", slugify(title)),
        status="published" if published else "draft",
        published_at=timezone.now() if published else None,
        **fields,
    )
    position = 0
    for article in articles:
        position += 1
        TrackStep.objects.create(track=track, position=position, kind="article", article=article)
    if quiz:
        position += 1
        step = TrackStep.objects.create(
            track=track, position=position, kind="quiz", title="Check yourself", pass_mark=50
        )
        for n, (text, options) in enumerate(QUIZ, start=1):
            question = QuizQuestion.objects.create(step=step, position=n, text=text)
            for m, (option, correct) in enumerate(options, start=1):
                QuizOption.objects.create(
                    question=question, position=m, text=option, is_correct=correct
                )
    if task:
        position += 1
        TrackStep.objects.create(
            track=track,
            position=position,
            kind="task",
            title="Handle a refund call",
            description="Take one refund call and write down what you did.",
        )
    for session in sessions:
        position += 1
        TrackStep.objects.create(track=track, position=position, kind="session", session=session)
    return track


# Two questions: the first has one right option, the second two.
QUIZ = [
    ("How long do refunds take?", [("5 days", True), ("5 weeks", False)]),
    (
        "Which are refund channels?",
        [("Card", True), ("Store credit", True), ("Carrier pigeon", False)],
    ),
]


def quiz_answers(step: TrackStep, *, correct: bool = True) -> dict[int, list[int]]:
    """{question id: [option ids]}: every right option (or, with correct=False, the wrong
    ones) for each question of `step`."""
    return {
        question.pk: [o.pk for o in question.options.all() if o.is_correct == correct]
        for question in step.questions.all()
    }


def make_session(*, organiser, title: str = "Refund war stories", days: int = 3, **fields):
    """A session starting `days` from now (negative: in the past), lasting an hour,
    presented by its organiser unless `presenters` is given."""
    presenters = fields.pop("presenters", [organiser])
    starts = fields.pop("starts_at", timezone.now() + timedelta(days=days))
    session = Session.objects.create(
        organiser=organiser,
        title=title,
        slug=fields.pop("slug", slugify(title)),
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + timedelta(hours=1)),
        capacity=fields.pop("capacity", 10),
        location=fields.pop("location", "Room 2"),
        **fields,
    )
    session.presenters.set(presenters)
    return session


def enrol(user, track, **fields) -> Enrolment:
    return Enrolment.objects.create(user=user, track=track, **fields)


def publish_new_revision(article, *, editor, body: str = "Changed."):
    """Edit `article`'s body and publish the edit through kb's review workflow (submit,
    approve): what makes a read step "updated since you completed it"."""
    from kb.services.workflow import article_approve, article_submit, article_update

    latest = article.latest_revision
    changed = article_update(
        article=article, editor=editor, meta={},
        content={"title": latest.title, "summary": latest.summary, "body": body},
    )  # fmt: skip
    return article_approve(article=article_submit(article=changed, user=editor), editor=editor)
