"""Accepting an answer: only the asker or a KB editor (403 for another reader, 404 for who may
not read the question); one accepted answer per question, switching un-accepts the previous
one; the question is answered; the answerer is told once per answer, not when they accept it
themselves; taking the acceptance back opens the question again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from questions.models import Answer, Question
from questions.services.answers import answer_accept
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(agent, team):
    return make_question(author=agent, teams=[team])


@pytest.fixture
def answers(question, mentor, manager):
    return make_answer(question=question, author=mentor), make_answer(
        question=question, author=manager, body="Ask billing."
    )


def _accepted(question: Question) -> list[int]:
    return list(Answer.objects.filter(question=question).accepted().values_list("pk", flat=True))


def test_the_asker_accepts_an_answer_and_the_answerer_is_told_once(question, answers, agent):
    first, _ = answers

    answer_accept(answer=first, user=agent)
    answer_accept(answer=first, user=agent)  # again: nothing changes

    question.refresh_from_db()
    first.refresh_from_db()
    assert question.status == Question.Status.ANSWERED
    assert (first.accepted_by, first.is_accepted) == (agent, True)
    told = Notification.objects.filter(kind="questions.accepted")
    assert list(told.values_list("recipient__username", "dedupe_key")) == [
        ("mentor", f"questions.accepted:{first.pk}")
    ]


def test_switching_the_accepted_answer_un_accepts_the_previous_one(question, answers, editor):
    first, second = answers

    answer_accept(answer=first, user=editor)
    answer_accept(answer=second, user=editor)

    assert _accepted(question) == [second.pk]
    assert Notification.objects.filter(kind="questions.accepted").count() == 2
    # Back to the first: its answerer was told already, and is not told twice.
    answer_accept(answer=first, user=editor)
    assert _accepted(question) == [first.pk]
    assert Notification.objects.filter(kind="questions.accepted").count() == 2


def test_an_editor_accepting_their_own_answer_is_not_told(agent, editor):
    question = make_question(author=agent)
    own = make_answer(question=question, author=editor)

    answer_accept(answer=own, user=editor)

    assert _accepted(question) == [own.pk]
    assert not Notification.objects.filter(kind="questions.accepted").exists()


def test_taking_the_acceptance_back_opens_the_question_again(question, answers, agent):
    first, _ = answers
    answer_accept(answer=first, user=agent)

    answer_accept(answer=first, user=agent, accept=False)

    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    assert _accepted(question) == []


def test_another_reader_may_not_accept(question, answers, mentor):
    with pytest.raises(PermissionDenied):
        answer_accept(answer=answers[1], user=mentor)
    assert _accepted(question) == []


def test_a_closed_question_accepts_nothing(agent, mentor):
    question = make_question(author=agent, status=Question.Status.CLOSED)
    answer = make_answer(question=question, author=mentor)

    with pytest.raises(ValidationError, match="can no longer be accepted"):
        answer_accept(answer=answer, user=agent)
    assert _accepted(question) == []


# --- The button -----------------------------------------------------------------------------


def test_the_asker_sees_accept_buttons_and_others_do_not(client, question, answers, agent, mentor):
    url = reverse("questions:answer-accept", args=[answers[0].pk])
    client.force_login(agent)
    assert url in client.get(question.get_absolute_url()).content.decode()
    client.force_login(mentor)
    assert url not in client.get(question.get_absolute_url()).content.decode()


def test_accepting_through_the_page_redirects_to_the_answer(client, question, answers, agent):
    first, _ = answers
    client.force_login(agent)

    response = client.post(reverse("questions:answer-accept", args=[first.pk]))

    assert response["Location"] == first.get_absolute_url()
    assert _accepted(question) == [first.pk]
    page = client.get(question.get_absolute_url()).content.decode()
    assert "✓ Accepted answer" in page
    assert "Take back the acceptance" in page


def test_undo_through_the_page(client, question, answers, agent):
    first, _ = answers
    answer_accept(answer=first, user=agent)
    client.force_login(agent)

    client.post(reverse("questions:answer-accept", args=[first.pk]), {"undo": "1"})

    assert _accepted(question) == []


def test_an_agent_who_is_not_the_asker_gets_403(client, question, answers, mentor):
    client.force_login(mentor)

    response = client.post(reverse("questions:answer-accept", args=[answers[1].pk]))

    assert response.status_code == 403
    assert _accepted(question) == []


def test_an_outsider_gets_404(client, question, answers, outsider):
    client.force_login(outsider)

    response = client.post(reverse("questions:answer-accept", args=[answers[0].pk]))

    assert response.status_code == 404
    assert _accepted(question) == []


def test_a_closed_question_refuses_with_a_400_and_the_reason(client, agent, mentor):
    question = make_question(author=agent, status=Question.Status.CLOSED)
    answer = make_answer(question=question, author=mentor)
    client.force_login(agent)

    response = client.post(reverse("questions:answer-accept", args=[answer.pk]))

    assert response.status_code == 400
    assert "can no longer be accepted" in response.content.decode()


def test_accepting_is_a_post_only(client, question, answers, agent):
    client.force_login(agent)

    assert client.get(reverse("questions:answer-accept", args=[answers[0].pk])).status_code == 405
