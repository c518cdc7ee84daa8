"""Writes of the questions app, split by concern and re-exported here, so callers import
`questions.services` whatever file a service lives in."""

from questions.services.answers import (
    answer_accept,
    answer_edit,
    answer_post,
    comment_add,
    vote_cast,
)
from questions.services.asking import (
    question_ask,
    question_close,
    question_deflect,
    question_edit,
)
from questions.services.promotion import question_promote
from questions.services.routing import question_route, questions_route_due

__all__ = [
    "answer_accept",
    "answer_edit",
    "answer_post",
    "comment_add",
    "question_ask",
    "question_close",
    "question_deflect",
    "question_edit",
    "question_promote",
    "question_route",
    "questions_route_due",
    "vote_cast",
]
