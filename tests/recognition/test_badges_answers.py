"""Badges for answers accepted on colleagues' questions: the first one, and ten; an answer
that was not accepted earns nothing; each award is made once, however often the sweep runs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from notifications.models import Notification
from questions.models import Answer
from recognition import tasks
from recognition.badges import earners
from recognition.models import Badge, BadgeAward
from recognition.services.badges import badges_award
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

ANSWER_BADGES = ("first-answer", "answers-10")


def holders(rule: str) -> set:
    return set(BadgeAward.objects.filter(badge__rule=rule).values_list("user__username", flat=True))


def answered(asker, expert, n: int = 1, *, accepted: bool = True) -> list[Answer]:
    """`n` questions by `asker`, each answered by `expert` (accepted by the asker or not)."""
    answers = []
    for i in range(n):
        question = make_question(author=asker, title=f"How do I handle case number {i}?")
        answers.append(
            make_answer(question=question, author=expert, accepted_by=asker if accepted else None)
        )
    return answers


def test_both_badges_are_seeded_with_their_words():
    rows = {b.rule: b for b in Badge.objects.filter(rule__in=ANSWER_BADGES)}
    assert set(rows) == set(ANSWER_BADGES)
    for badge in rows.values():
        assert badge.is_active
        assert badge.emoji
        assert badge.description
        assert badge.how_to_earn
    assert rows["first-answer"].order < rows["answers-10"].order


def test_the_first_accepted_answer_earns_its_author_the_badge(agent, mentor):
    answered(agent, mentor)

    assert badges_award() == 1

    assert holders("first-answer") == {"mentor"}  # not the asker who accepted it
    told = Notification.objects.get(kind="recognition.badge", recipient=mentor)
    assert told.url == "/kudos/badges/#first-answer"


def test_an_answer_that_was_not_accepted_earns_nothing(agent, mentor, manager):
    question = make_question(author=agent)
    make_answer(question=question, author=mentor)
    make_answer(question=question, author=manager, accepted_by=agent)

    badges_award()

    assert holders("first-answer") == {"manager"}


def test_an_acceptance_withdrawn_before_the_sweep_earns_nothing(agent, mentor):
    (answer,) = answered(agent, mentor)
    Answer.objects.filter(pk=answer.pk).update(accepted_at=None, accepted_by=None)

    assert badges_award() == 0
    assert holders("first-answer") == set()


def test_a_badge_awarded_stays_when_the_acceptance_moves_to_another_answer(agent, mentor, editor):
    (answer,) = answered(agent, mentor)
    badges_award()
    Answer.objects.filter(pk=answer.pk).update(accepted_at=None, accepted_by=None)
    make_answer(question=answer.question, author=editor, accepted_by=agent)

    badges_award()

    assert holders("first-answer") == {"mentor", "editor"}


def test_accepting_ones_own_answer_to_ones_own_question_earns_nothing(agent):
    question = make_question(author=agent)
    make_answer(question=question, author=agent, accepted_by=agent)

    assert badges_award() == 0


def test_ten_accepted_answers_earn_the_badge_at_the_tenth_not_the_ninth(agent, mentor, team):
    askers = [agent, *(UserFactory(team=team) for _ in range(2))]
    for n in range(9):
        answered(askers[n % 3], mentor)
    # Answers left unaccepted do not make up the tenth.
    answered(agent, mentor, 3, accepted=False)
    badges_award()
    assert holders("answers-10") == set()
    assert holders("first-answer") == {"mentor"}

    answered(askers[1], mentor)
    badges_award()

    assert holders("answers-10") == {"mentor"}


def test_each_rule_reads_in_one_query(django_assert_num_queries, agent, mentor):
    answered(agent, mentor, 2)
    for rule in ANSWER_BADGES:
        with django_assert_num_queries(1):
            list(earners(rule, now=timezone.now()))


def test_the_award_task_twice_awards_and_tells_once(agent, mentor, team):
    answered(UserFactory(team=team), mentor, 10)

    assert tasks.badges_award() == 2
    assert tasks.badges_award() == 0

    assert holders("first-answer") == {"mentor"}
    assert holders("answers-10") == {"mentor"}
    assert BadgeAward.objects.filter(user=mentor).count() == 2
    assert Notification.objects.filter(kind="recognition.badge", recipient=mentor).count() == 2


def test_an_inactive_answerer_earns_nothing_until_back(agent, mentor):
    answered(agent, mentor)
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    assert badges_award() == 0

    mentor.is_active = True
    mentor.save(update_fields=["is_active"])
    assert badges_award() == 1
