"""Editing a quiz question: its text, options and explanation change under the same rules as
adding one; an option that keeps its row keeps its id (past attempts still show it)."""

from __future__ import annotations

import pytest

from tests.training.builders import make_track
from training.models import QuizOption


@pytest.fixture
def quiz(editor, article):
    return make_track(owner=editor, articles=[article], quiz=True).steps.get(kind="quiz")


def _url(quiz, question):
    return f"/training/tracks/{quiz.track.slug}/steps/{quiz.pk}/questions/{question.pk}/edit/"


def _post(question_text, options, explanation=""):
    data = {"text": question_text, "explanation": explanation}
    for n, (text, correct) in enumerate(options, start=1):
        data[f"option_{n}"] = text
        if correct:
            data[f"correct_{n}"] = "on"
    return data


def test_the_edit_form_shows_the_question_as_it_is(client, editor, quiz):
    question = quiz.questions.first()
    client.force_login(editor)
    page = client.get(_url(quiz, question)).content.decode()
    assert question.text in page
    assert all(option.text in page for option in question.options.all())


def test_an_edit_rewrites_the_options_in_place(client, editor, quiz):
    question = quiz.questions.first()
    first = question.options.order_by("position").first()
    client.force_login(editor)
    response = client.post(
        _url(quiz, question),
        _post("How long do card refunds take?", [("5 days", True), ("5 weeks", False),
                                                 ("Same day", False)], "Card: 3-5 days."),
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "How long do card refunds take?"
    assert question.explanation == "Card: 3-5 days."
    assert [o.text for o in question.options.order_by("position")] == [
        "5 days", "5 weeks", "Same day"
    ]  # fmt: skip
    assert question.options.order_by("position").first().pk == first.pk


def test_an_edit_with_no_correct_option_is_refused_and_changes_nothing(client, editor, quiz):
    question = quiz.questions.first()
    before = list(QuizOption.objects.filter(question=question).values_list("text", "is_correct"))
    client.force_login(editor)
    response = client.post(_url(quiz, question), _post("Changed?", [("A", False), ("B", False)]))
    assert response.status_code == 400
    assert "Mark at least one option as correct." in response.content.decode()
    question.refresh_from_db()
    assert question.text != "Changed?"
    assert list(question.options.values_list("text", "is_correct")) == before


def test_someone_who_may_not_edit_the_track_gets_403(client, agent, quiz):
    client.force_login(agent)
    question = quiz.questions.first()
    assert client.get(_url(quiz, question)).status_code == 403
    assert (
        client.post(_url(quiz, question), _post("X", [("A", True), ("B", False)])).status_code
        == 403
    )
