"""@mentions in questions, answers and comments: each person named who may read the
question is told once per post."""

from __future__ import annotations

from kb.mentions import mentioned_people
from notifications.services import notify
from people.models import User
from questions.models import Question
from questions.querysets import QUESTION_AUDIENCE


def mentions_notify(*, text: str, question: Question, author: User, url: str, key: str,
                     skip: set[int] = frozenset()) -> None:  # fmt: skip
    """Tell each active person @mentioned in `text` who may read `question`, once per post
    (`key`): mentioning someone is no way around the question's audience."""
    for person in mentioned_people([text]).values():
        if person.pk == author.pk or person.pk in skip:
            continue
        if QUESTION_AUDIENCE.admits(question, person):
            notify(
                recipient=person,
                kind="questions.mention",
                message=f"{author.name} mentioned you on “{question.title}”.",
                url=url,
                dedupe_key=f"questions.mention:{key}:{person.pk}",
            )
