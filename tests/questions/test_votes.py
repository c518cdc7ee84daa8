"""Votes on questions and answers: one per person per post (the same vote again takes it back,
the other turns it around), never on one's own post (the service and the database both
refuse), only by people who may read the question; the buttons come back in place with htmx
and say by aria-pressed which vote is the viewer's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from questions.models import Vote
from questions.services.answers import vote_cast
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question(agent):
    return make_question(author=agent)


@pytest.fixture
def answer(question, mentor):
    return make_answer(question=question, author=mentor)


# --- The service ---------------------------------------------------------------------------


def test_a_vote_counts_once_then_the_same_vote_takes_it_back(question, answer, editor):
    assert vote_cast(voter=editor, value=1, answer=answer) == 1
    assert vote_cast(voter=editor, value=1, answer=answer) == 0
    assert not Vote.objects.exists()


def test_the_other_vote_turns_it_around(question, answer, editor):
    vote_cast(voter=editor, value=1, question=question)

    assert vote_cast(voter=editor, value=-1, question=question) == -1
    assert Vote.objects.get().value == -1


def test_scores_sum_everyones_votes_per_post(question, answer, editor, manager, outsider):
    vote_cast(voter=editor, value=1, answer=answer)
    vote_cast(voter=manager, value=1, answer=answer)
    vote_cast(voter=outsider, value=-1, answer=answer)

    assert vote_cast(voter=editor, value=-1, question=question) == -1
    assert Vote.objects.filter(answer=answer).count() == 3
    assert vote_cast(voter=manager, value=1, answer=answer) == 0  # taken back: 1 - 1


def test_the_vote_copies_the_posts_author(answer, mentor, editor):
    vote_cast(voter=editor, value=1, answer=answer)

    assert Vote.objects.get().post_author == mentor


def test_nobody_votes_on_their_own_post(question, answer, agent, mentor):
    with pytest.raises(ValidationError, match="You cannot vote on your own post"):
        vote_cast(voter=agent, value=1, question=question)
    with pytest.raises(ValidationError, match="You cannot vote on your own post"):
        vote_cast(voter=mentor, value=-1, answer=answer)
    assert not Vote.objects.exists()


def test_the_database_refuses_a_vote_on_ones_own_post(answer, mentor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=mentor, post_author=mentor, answer=answer, value=1)


def test_the_database_refuses_a_second_vote_by_the_same_person(answer, mentor, editor):
    Vote.objects.create(voter=editor, post_author=mentor, answer=answer, value=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=editor, post_author=mentor, answer=answer, value=-1)


@pytest.mark.parametrize("value", [0, 2, -2, True, "1", None])
def test_only_up_or_down_is_a_vote(answer, editor, value):
    with pytest.raises(ValidationError):
        vote_cast(voter=editor, value=value, answer=answer)
    assert not Vote.objects.exists()


def test_someone_who_may_not_read_the_question_cannot_vote(agent, mentor, team, outsider):
    hidden = make_question(author=agent, teams=[team])
    answer = make_answer(question=hidden, author=mentor)

    with pytest.raises(PermissionDenied):
        vote_cast(voter=outsider, value=1, answer=answer)
    assert not Vote.objects.exists()


# --- The buttons ----------------------------------------------------------------------------


def test_an_htmx_vote_returns_the_buttons_with_the_viewers_vote_pressed(client, answer, editor):
    client.force_login(editor)
    url = reverse("questions:answer-vote", args=[answer.pk])

    response = client.post(url, {"value": "1"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="votes-answer-{answer.pk}"' in page
    assert f'id="votes-answer-{answer.pk}-up" aria-pressed="true"' in page
    assert f'id="votes-answer-{answer.pk}-down" aria-pressed="false"' in page
    assert '<span class="visually-hidden">Score </span>1<' in page


def test_a_plain_vote_redirects_back_to_the_post(client, question, answer, editor):
    client.force_login(editor)

    on_answer = client.post(reverse("questions:answer-vote", args=[answer.pk]), {"value": "-1"})
    on_question = client.post(
        reverse("questions:question-vote", args=[question.pk]), {"value": "1"}
    )

    assert on_answer["Location"] == f"/questions/{question.pk}/#answer-{answer.pk}"
    assert on_question["Location"] == f"/questions/{question.pk}/"
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 1]


def test_the_page_shows_the_viewers_vote_pressed(client, question, answer, editor):
    vote_cast(voter=editor, value=-1, answer=answer)
    client.force_login(editor)

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'id="votes-answer-{answer.pk}-down" aria-pressed="true"' in page
    assert f'id="votes-question-{question.pk}-up" aria-pressed="false"' in page


def test_voting_on_ones_own_post_is_a_400_with_the_reason(client, question, agent):
    client.force_login(agent)
    url = reverse("questions:question-vote", args=[question.pk])

    plain = client.post(url, {"value": "1"})
    htmx = client.post(url, {"value": "1"}, **HTMX)

    assert plain.status_code == htmx.status_code == 400
    assert "You cannot vote on your own post." in plain.content.decode()
    assert "You cannot vote on your own post." in htmx.content.decode()
    assert not Vote.objects.exists()


def test_ones_own_post_shows_the_score_without_buttons(client, question, agent):
    client.force_login(agent)

    page = client.get(question.get_absolute_url()).content.decode()

    assert f'id="votes-question-{question.pk}-up"' not in page


@pytest.mark.parametrize("value", ["", "0", "up", "99999999999999999999", "1; DROP"])
def test_a_bad_value_is_a_400_and_nothing_is_saved(client, answer, editor, value):
    client.force_login(editor)

    response = client.post(reverse("questions:answer-vote", args=[answer.pk]), {"value": value})

    assert response.status_code == 400
    assert "Vote up" in response.content.decode()
    assert not Vote.objects.exists()


def test_an_outsider_gets_404_voting_on_a_restricted_post(client, agent, mentor, team, outsider):
    hidden = make_question(author=agent, teams=[team])
    answer = make_answer(question=hidden, author=mentor)
    client.force_login(outsider)

    assert (
        client.post(
            reverse("questions:question-vote", args=[hidden.pk]), {"value": "1"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("questions:answer-vote", args=[answer.pk]), {"value": "1"}).status_code
        == 404
    )
    assert not Vote.objects.exists()


def test_votes_are_posts_only(client, answer, editor):
    client.force_login(editor)

    response = client.get(reverse("questions:answer-vote", args=[answer.pk]))

    assert response.status_code == 405
