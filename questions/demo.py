"""Demo questions for `manage.py seed_demo`: a month of questions the demo agents asked their
colleagues, in every state: two with a customer waiting (one unanswered for longer than the
escalation delay, so the asker's team lead has been told), open ones nobody answered yet,
answered ones without an accepted answer, accepted ones, three answered by existing content
while they were being typed (deflected), two closed, one promoted into a published FAQ, and
one only the Escalations team may read; with votes, comments, an edit and the routes to the
likely experts.

Everything goes through the services people use (asking routes a question to its experts),
and the dates are moved back afterwards to when it happened; what the services told people
then is marked read, except what happened in the last few days. Idempotent: a question is
known by its title and asker, and only the questions not there yet are asked (with their
answers, votes and comments).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kb.models import Article, Category
from kb.services import article_approve
from notifications.models import Notification
from people.models import Team, User
from questions.demo_data import ANSWERS, COMMENTS, EDITS, PROMOTED_BY, QUESTIONS, VOTES
from questions.models import Answer, Comment, Question, Revision, Route, Vote
from questions.services.answers import answer_accept, answer_post, comment_add, vote_cast
from questions.services.asking import question_ask, question_close, question_deflect, question_edit
from questions.services.promotion import question_promote
from questions.services.routing import questions_route_due

# What happened this recently is still unread.
UNREAD_DAYS = 3
# After the last answer, the asker accepted one, or closed the question, this much later.
DECIDED_AFTER = timedelta(minutes=30)
# The promoted answer became an FAQ the day after it was accepted, and was published then.
PROMOTED_AFTER = timedelta(days=1)


def seed(*, log=print) -> None:
    now = timezone.now()
    with transaction.atomic():
        people = {user.username: user for user in User.objects.select_related("team")}
        teams = {team.slug: team for team in Team.objects.all()}
        categories = {category.slug: category for category in Category.objects.all()}
        asked = {}
        # Oldest first, so what a later question refers to (the question that answered it)
        # exists, and the lists read in the order things happened.
        for key, spec in sorted(QUESTIONS.items(), key=lambda item: -item[1][1]):
            asker, minutes, title = people[spec[0]], spec[1], spec[2]
            existing = Question.objects.filter(title=title, author=asker).first()
            if existing is not None:
                asked[key] = (existing, False)
                continue
            when = now - timedelta(minutes=minutes)
            question = _ask(key, spec, when, people, teams, categories, asked)
            asked[key] = (question, True)
        new = [key for key, (_, is_new) in asked.items() if is_new]
        if new:
            # The sweep beat runs: the question with a customer waiting too long goes to the
            # asker's team lead, questions unanswered for a working day to the next experts.
            with _then(now):
                questions_route_due(now=now)
    log(f"Demo questions: {Question.objects.count()} ({len(new)} new).")


# --- Time -------------------------------------------------------------------------------------


@contextmanager
def _then(when: datetime) -> Iterator[None]:
    """What the services tell people inside happened at `when`, and was read since unless it
    is recent."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    yield
    read = when if timezone.now() - when > timedelta(days=UNREAD_DAYS) else None
    Notification.objects.filter(pk__gt=last).update(created_at=when, read_at=read)


def _moved(question: Question, **dates) -> None:
    """The question's own dates, moved to when it happened."""
    Question.objects.filter(pk=question.pk).update(**dates)
    for name, value in dates.items():
        setattr(question, name, value)


# --- One question's story ---------------------------------------------------------------------


def _ask(key, spec, when, people, teams, categories, asked) -> Question:
    username, _, title, body, tags, category, urgency, state, only = spec
    asker = people[username]
    if isinstance(state, tuple):  # answered by existing content while it was typed
        return _deflected(asker, title, body, state, when, asked)
    old_title, old_body, edited_after = EDITS.get(key, (title, body, 0))
    with _then(when):
        question = question_ask(
            author=asker, title=old_title, body=old_body, tags=tags,
            category=categories[category], urgency=urgency,
            visibility=Question.Visibility.TEAMS if only else Question.Visibility.EVERYONE,
            teams=[teams[slug] for slug in only],
        )  # fmt: skip
    _moved(question, created_at=when, updated_at=when, last_activity_at=when)
    Route.objects.filter(question=question).update(created_at=when)
    if key in EDITS:
        edited = when + timedelta(minutes=edited_after)
        with _then(edited):
            question_edit(question=question, editor=asker, title=title, body=body, tags=tags,
                          category=categories[category])  # fmt: skip
        _moved(question, updated_at=edited, last_activity_at=edited)
        Revision.objects.filter(question=question).update(created_at=edited)
    answers = _answers(key, question, when, people)
    _votes(key, question, answers, when, people)
    _comments(key, question, answers, when, people)
    last = max([when, *(a.created_at for a in answers)]) + DECIDED_AFTER
    specs = ANSWERS.get(key, [])
    for answer in (answer for answer, spec in zip(answers, specs, strict=True) if spec[3]):
        with _then(last):
            answer_accept(answer=answer, user=asker)
        Answer.objects.filter(pk=answer.pk).update(accepted_at=last)
        _moved(question, updated_at=last, last_activity_at=last)
    if state == "closed":
        with _then(last):
            question_close(question=question, user=asker)
        _moved(question, closed_at=last, updated_at=last)
    elif state == "promoted":
        _promote(question, last + PROMOTED_AFTER, people)
    return question


def _deflected(asker, title, body, state, when, asked) -> Question:
    _, kind, source = state
    found = {}
    if kind == "kb":
        found["article"] = Article.objects.published().get(slug=source)
    else:
        found["answered_by"] = asked[source][0]
    question = question_deflect(user=asker, title=title, body=body, **found)
    _moved(question, created_at=when, updated_at=when, last_activity_at=when, closed_at=when)
    return question


def _answers(key, question, asked_at, people) -> list[Answer]:
    answers = []
    for username, minutes, body, _ in ANSWERS.get(key, []):
        when = asked_at + timedelta(minutes=minutes)
        with _then(when):
            answer = answer_post(question=question, author=people[username], body=body)
        Answer.objects.filter(pk=answer.pk).update(created_at=when, updated_at=when)
        answer.created_at = when
        first = question.first_answered_at if answers else when
        _moved(question, first_answered_at=first, last_activity_at=when)
        answers.append(answer)
    return answers


def _votes(key, question, answers, asked_at, people) -> None:
    for number, (voted_key, on, username, value) in enumerate(VOTES):
        if voted_key != key:
            continue
        post = {"question": question} if on is None else {"answer": answers[on]}
        vote_cast(voter=people[username], value=value, **post)
        start = asked_at if on is None else answers[on].created_at
        Vote.objects.filter(voter=people[username], **post).update(
            created_at=start + timedelta(minutes=20 + 7 * number % 60)
        )


def _comments(key, question, answers, asked_at, people) -> None:
    for commented_key, on, username, minutes, body in COMMENTS:
        if commented_key != key:
            continue
        post = {"question": question} if on is None else {"answer": answers[on]}
        when = asked_at + timedelta(minutes=minutes)
        if on is not None:
            when = max(when, answers[on].created_at + timedelta(minutes=5))
        with _then(when):
            comment = comment_add(author=people[username], body=body, **post)
        Comment.objects.filter(pk=comment.pk).update(created_at=when)


def _promote(question: Question, when: datetime, people) -> None:
    """The editor promotes the accepted answer into an FAQ (the answerer its author) and, the
    answerer being another person, approves it: the question links to a published article."""
    editor = people[PROMOTED_BY]
    with _then(when):
        article = question_promote(question=question, user=editor)
        article_approve(article=article, editor=editor)
    _moved(question, promoted_at=when)
    Article.objects.filter(pk=article.pk).update(
        created_at=when, updated_at=when, published_at=when, verified_at=when
    )
