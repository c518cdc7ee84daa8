"""Rows for tests that are about something else than asking or answering: a question or an
answer written straight to the database, rendered as the services render it. Tests of the
services themselves call the services."""

from __future__ import annotations

from django.utils import timezone

from questions.models import Answer, Question
from questions.rendering import body_html


def make_question(
    *,
    author,
    title: str = "How do I refund a split payment?",
    body: str = "The customer paid half by card and half with a voucher.",
    tags=(),
    teams=(),
    **fields,
) -> Question:
    """A question by `author` (open, everyone may read it unless `visibility`/`teams` say
    otherwise); other keywords are model fields (category, urgency, status, created_at...)."""
    if teams:
        fields.setdefault("visibility", Question.Visibility.TEAMS)
    question = Question(author=author, title=title, body=body, body_html=body_html(body), **fields)
    if question.status in (Question.Status.CLOSED, Question.Status.DEFLECTED):
        question.closed_at = question.closed_at or timezone.now()
    question.full_clean(exclude=["category"] if "category" not in fields else None)
    question.save()
    if tags:
        question.tags.set(list(tags))
    if teams:
        question.teams.set(list(teams))
    return question


def make_answer(*, question: Question, author, body: str = "Refund each part on its own.",
                accepted_by=None, **fields) -> Answer:  # fmt: skip
    """An answer; with `accepted_by`, accepted (and the question marked answered)."""
    now = fields.pop("created_at", None) or timezone.now()
    answer = Answer.objects.create(
        question=question, author=author, body=body, body_html=body_html(body),
        created_at=now, updated_at=now, **fields,
    )  # fmt: skip
    updates = {"last_activity_at": now}
    if question.first_answered_at is None:
        updates["first_answered_at"] = now
    if accepted_by is not None:
        answer.accepted_at, answer.accepted_by = now, accepted_by
        answer.save(update_fields=["accepted_at", "accepted_by"])
        updates["status"] = Question.Status.ANSWERED
    Question.objects.filter(pk=question.pk).update(**updates)
    for name, value in updates.items():
        setattr(question, name, value)
    return answer
