"""One person's votes racing (a double click, two tabs) leave one row: the unique constraint
decides, and the request that lost re-reads the winner's row instead of failing.

Truly parallel on PostgreSQL (CI runs the suite on it with DATABASE_URL set); SQLite
serialises the writers, and the same assertions must hold there too."""

from __future__ import annotations

import pytest

from people.models import User
from questions.models import Answer, Question, Vote
from questions.services.answers import vote_cast
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _vote(voter_pk: int, value: int, *, question_pk=None, answer_pk=None) -> int:
    target = (
        {"question": Question.objects.get(pk=question_pk)}
        if question_pk
        else {"answer": Answer.objects.get(pk=answer_pk)}
    )
    return vote_cast(voter=User.objects.get(pk=voter_pk), value=value, **target)


def test_two_same_votes_at_once_never_make_two_rows_or_an_error():
    asker, answerer, voter = UserFactory(), UserFactory(), UserFactory()
    answer = make_answer(question=make_question(author=asker), author=answerer)

    scores = run_in_threads(lambda i: _vote(voter.pk, 1, answer_pk=answer.pk), count=2)

    # Side by side, the second insert loses to the unique constraint and keeps the first's
    # vote (one row); one after the other, the second takes the first back (no row). Never
    # two rows, never a database error, and the last score said is the one stored.
    votes = Vote.objects.filter(answer=answer)
    assert votes.count() <= 1
    assert set(votes.values_list("voter", "value")) <= {(voter.pk, 1)}
    assert votes.count() in scores


def test_an_up_and_a_down_at_once_leave_exactly_one_vote():
    asker, voter = UserFactory(), UserFactory()
    question = make_question(author=asker)

    run_in_threads(lambda i: _vote(voter.pk, (1, -1)[i], question_pk=question.pk), count=2)

    # Whichever came second turned the first around, or lost the insert and turned the
    # winner's row to its own value: one row either way.
    assert Vote.objects.filter(question=question, voter=voter).count() == 1


def test_many_people_voting_up_and_down_at_once_have_one_vote_each():
    asker = UserFactory()
    question = make_question(author=asker)
    voters = [UserFactory() for _ in range(4)]

    # Each voter sends "up" and "down" at the same moment: 8 requests, 4 votes.
    run_in_threads(
        lambda i: _vote(voters[i % 4].pk, (1, -1)[i // 4], question_pk=question.pk), count=8
    )

    votes = Vote.objects.filter(question=question)
    assert sorted(votes.values_list("voter", flat=True)) == sorted(v.pk for v in voters)
