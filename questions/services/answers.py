"""Answering a question, and what people do on its page: edit an answer, accept one, vote on
the question or an answer, comment on either.

Every write here is one transaction. The question's row is locked (`select_for_update`) where
two people acting at once could disagree: the first answer (which stops routing) and the
accepted answer (one per question, a database constraint too). A person's votes race safely
without a lock: the unique constraint decides, and the loser re-reads the winner's row.

Who may read a question is `QUESTION_AUDIENCE`; views answer 404 before calling in, and the
services refuse (PermissionDenied) anyone who may not read it, so no other caller can go
around it. @mentions reach only people who may read the question.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from notifications.services import notify
from people.models import User
from people.validators import clean_text
from questions.models import BODY_MAX, COMMENT_MAX, Answer, Comment, Question, Revision, Vote
from questions.querysets import QUESTION_AUDIENCE
from questions.rendering import body_html
from questions.services.mentions import mentions_notify
from searchkit.pipeline import queue_update

OWN_POST = "You cannot vote on your own post."
NOT_ANSWERABLE = "This question is closed: it takes no more answers."
NOT_ACCEPTABLE = "This question is closed: its answers can no longer be accepted."


def _require_reader(question: Question, user: User) -> None:
    if not QUESTION_AUDIENCE.admits(question, user):
        raise PermissionDenied("You cannot read this question.")


def _one_post(question: Question | None, answer: Answer | None) -> Question:
    """The question a vote or comment is about (its own, or its answer's)."""
    if (question is None) == (answer is None):
        raise ValueError("Name exactly one post: a question or an answer.")
    return question if question is not None else answer.question


def _touch(question: Question, now, **fields) -> None:
    """Move the question's last activity (the lists' "newest activity", the search version)."""
    fields["last_activity_at"] = now
    Question.objects.filter(pk=question.pk).update(**fields)
    for name, value in fields.items():
        setattr(question, name, value)


@transaction.atomic
def answer_post(*, question: Question, author: User, body: str) -> Answer:
    """Answer an open (or already answered) question. The first answer stops routing
    (`first_answered_at`); the asker is told once per answer (not about their own), and
    everyone @mentioned who may read the question once."""
    # The lock orders answers racing to be first: exactly one sets first_answered_at.
    question = Question.objects.select_for_update().get(pk=question.pk)
    _require_reader(question, author)
    if not question.can_be_answered_by(author):
        raise ValidationError(NOT_ANSWERABLE)
    body = clean_text(body, field="body", limit=BODY_MAX, label="an answer")
    now = timezone.now()
    answer = Answer(
        question=question, author=author, body=body, body_html=body_html(body),
        created_at=now, updated_at=now,
    )  # fmt: skip
    answer.full_clean()
    answer.save()
    first = {"first_answered_at": now} if question.first_answered_at is None else {}
    _touch(question, now, **first)
    url = answer.get_absolute_url()
    told = set()
    asker = question.author
    if asker.pk != author.pk and asker.is_active:
        notify(
            recipient=asker,
            kind="questions.answer",
            message=f"{author.name} answered your question “{question.title}”.",
            url=url,
            dedupe_key=f"questions.answer:{answer.pk}",
        )
        told.add(asker.pk)
    mentions_notify(
        text=body, question=question, author=author, url=url, key=f"answer{answer.pk}", skip=told
    )
    queue_update(question)
    return answer


@transaction.atomic
def answer_edit(*, answer: Answer, editor: User, body: str) -> Answer:
    """Change an answer's text (its author or a KB editor), keeping the old text as a
    `Revision`. An unchanged text changes nothing. People newly @mentioned are told."""
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    question = answer.question
    _require_reader(question, editor)
    if not answer.can_be_edited_by(editor):
        raise PermissionDenied("Only the answer's author or a KB editor edits it.")
    body = clean_text(body, field="body", limit=BODY_MAX, label="an answer")
    if body == answer.body:
        return answer
    now = timezone.now()
    Revision.objects.create(answer=answer, editor=editor, body=answer.body, created_at=now)
    answer.body, answer.body_html, answer.updated_at = body, body_html(body), now
    answer.full_clean()
    answer.save(update_fields=["body", "body_html", "updated_at"])
    _touch(question, now)
    # The same key as when posted: someone mentioned before is not told again.
    mentions_notify(
        text=body, question=question, author=editor, url=answer.get_absolute_url(),
        key=f"answer{answer.pk}", skip={question.author_id},
    )  # fmt: skip
    if answer.is_accepted:
        queue_update(question)  # the accepted answer is part of the question's search document
    return answer


@transaction.atomic
def answer_accept(*, answer: Answer, user: User, accept: bool = True) -> Answer:
    """Accept `answer` (the asker or a KB editor): the question is answered and the
    previously accepted answer, if any, is no longer. The answerer is told once per answer,
    unless they accepted it themselves. Accepting the accepted answer again changes nothing.
    With `accept=False`, take the acceptance back: the question is open again."""
    # The question's lock serialises two people accepting at once (the asker and an editor):
    # the second sees the first's choice and switches it, never two accepted answers.
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    _require_reader(question, user)
    if not question.can_be_edited_by(user):
        raise PermissionDenied("Only the asker or a KB editor accepts an answer.")
    if not question.can_accept_answers(user):
        raise ValidationError(NOT_ACCEPTABLE)
    answer = Answer.objects.select_related("author").get(pk=answer.pk)
    answer.question = question
    now = timezone.now()
    if not accept:
        if answer.is_accepted:
            answer.accepted_at = answer.accepted_by = None
            answer.save(update_fields=["accepted_at", "accepted_by"])
            _touch(question, now, status=Question.Status.OPEN)
            queue_update(question)
        return answer
    if answer.is_accepted:
        return answer
    # Un-accept the previous one first: the partial unique constraint allows one at a time.
    Answer.objects.filter(question=question, accepted_at__isnull=False).update(
        accepted_at=None, accepted_by=None
    )
    answer.accepted_at, answer.accepted_by = now, user
    answer.save(update_fields=["accepted_at", "accepted_by"])
    _touch(question, now, status=Question.Status.ANSWERED)
    if answer.author_id != user.pk and answer.author.is_active:
        notify(
            recipient=answer.author,
            kind="questions.accepted",
            message=f"Your answer to “{question.title}” was accepted.",
            url=answer.get_absolute_url(),
            dedupe_key=f"questions.accepted:{answer.pk}",
        )
    queue_update(question)
    return answer


def post_score(*, question: Question | None = None, answer: Answer | None = None) -> int:
    """The sum of the votes on one post."""
    target = {"question": question} if question is not None else {"answer": answer}
    return Vote.objects.filter(**target).aggregate(total=Sum("value"))["total"] or 0


@transaction.atomic
def vote_cast(*, voter: User, value: int, question: Question | None = None,
              answer: Answer | None = None) -> int:  # fmt: skip
    """Vote a question or an answer up (+1) or down (-1). The same vote again takes it back,
    the other one turns it around. Never on one's own post. Two votes racing (a double
    click, two tabs) leave one row. Returns the post's new score."""
    on_question = _one_post(question, answer)
    if isinstance(value, bool) or value not in (Vote.UP, Vote.DOWN):
        raise ValidationError({"value": "Vote up (+1) or down (-1)."})
    _require_reader(on_question, voter)
    post = question if question is not None else answer
    if post.author_id == voter.pk:
        raise ValidationError(OWN_POST)
    target = {"question": question} if question is not None else {"answer": answer}
    mine = Vote.objects.filter(voter=voter, **target)
    existing = mine.select_for_update().first()
    if existing is None:
        vote = Vote(voter=voter, post_author_id=post.author_id, value=value, **target)
        # The database decides uniqueness (a SELECT here would race): constraints are its job.
        vote.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves this transaction usable
                vote.save()
        except IntegrityError:
            # The same person's other request saved first: it asked for a vote and there is
            # one; make it this one's value (a flip), never a second row or a take-back.
            mine.update(value=value)
    elif existing.value == value:
        existing.delete()
    else:
        existing.value = value
        existing.save(update_fields=["value"])
    return post_score(**target)


@transaction.atomic
def comment_add(*, author: User, body: str, question: Question | None = None,
                answer: Answer | None = None) -> Comment:  # fmt: skip
    """A short plain-text comment on a question or an answer; everyone @mentioned who may
    read the question is told once."""
    on_question = _one_post(question, answer)
    _require_reader(on_question, author)
    body = clean_text(body, field="body", limit=COMMENT_MAX, label="a comment")
    now = timezone.now()
    comment = Comment(author=author, question=question, answer=answer, body=body, created_at=now)
    comment.full_clean()
    comment.save()
    _touch(on_question, now)
    url = f"{on_question.get_absolute_url()}#comment-{comment.pk}"
    mentions_notify(
        text=body, question=on_question, author=author, url=url, key=f"comment{comment.pk}"
    )
    return comment
