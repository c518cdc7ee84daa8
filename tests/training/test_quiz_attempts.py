"""Quizzes: scoring, passing and failing, refusing answers that are not in the quiz, the
results page for the learner alone, and no right answer in the page before an attempt."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.training.builders import enrol, make_track, quiz_answers
from training.models import Enrolment, QuizAttempt, QuizOption, StepCompletion
from training.services import learning
from training.services.progress import step_complete


@pytest.fixture
def quiz(track):
    return track.steps.get(kind="quiz")


def _url(step, end=""):
    return f"/training/tracks/{step.track.slug}/steps/{step.pk}/{end}"


def _post_data(answers):
    return {f"q{question}": [str(o) for o in options] for question, options in answers.items()}


# --- Scoring --------------------------------------------------------------------------------


def test_all_right_scores_100_and_completes_the_step(agent, quiz):
    enrolment = enrol(agent, quiz.track)
    attempt = learning.quiz_attempt_submit(
        enrolment=enrolment, step=quiz, answers=quiz_answers(quiz)
    )
    assert (attempt.score, attempt.passed) == (100, True)
    assert StepCompletion.objects.filter(enrolment=enrolment, step=quiz, status="done").exists()


def test_a_question_counts_only_when_exactly_right(agent, quiz):
    enrolment = enrol(agent, quiz.track)
    first, second = quiz.questions.all()
    right = quiz_answers(quiz)
    # The second question has two right options: one of them alone is wrong.
    answers = {first.pk: right[first.pk], second.pk: right[second.pk][:1]}
    attempt = learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=answers)
    assert attempt.score == 50
    assert attempt.passed  # pass mark 50%
    # A right option with a wrong one is wrong too.
    wrong = quiz_answers(quiz, correct=False)
    answers = {first.pk: right[first.pk] + wrong[first.pk], second.pk: right[second.pk]}
    assert learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=answers).score == 50


def test_failing_keeps_the_track_open_and_passing_later_completes_it(agent, quiz):
    track = quiz.track
    enrolment = enrol(agent, track)
    for step in track.steps.exclude(pk=quiz.pk):
        step_complete(enrolment=enrolment, step=step)
    failed = learning.quiz_attempt_submit(
        enrolment=enrolment, step=quiz, answers=quiz_answers(quiz, correct=False)
    )
    assert (failed.score, failed.passed) == (0, False)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.certificate_code is None
    assert not StepCompletion.objects.filter(step=quiz).exists()
    learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=quiz_answers(quiz))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 2


def test_a_failed_retake_does_not_undo_a_pass(agent, quiz):
    enrolment = enrol(agent, quiz.track)
    learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=quiz_answers(quiz))
    learning.quiz_attempt_submit(
        enrolment=enrolment, step=quiz, answers=quiz_answers(quiz, correct=False)
    )
    assert StepCompletion.objects.get(step=quiz).status == StepCompletion.Status.DONE


def test_the_score_rounds_down_so_a_fail_never_rounds_into_a_pass(agent, editor):
    track = make_track(owner=editor, title="Three questions", quiz=True)
    quiz = track.steps.get(kind="quiz")
    extra = quiz.questions.create(position=3, text="Third?")
    QuizOption.objects.create(question=extra, text="Yes", is_correct=True)
    QuizOption.objects.create(question=extra, text="No", is_correct=False)
    quiz.pass_mark = 67
    quiz.save()
    right = quiz_answers(quiz)
    third = quiz.questions.get(text="Third?")
    answers = {**right, third.pk: [o.pk for o in third.options.filter(is_correct=False)]}
    attempt = learning.quiz_attempt_submit(
        enrolment=enrol(UserFactory(), track), step=quiz, answers=answers
    )
    assert (attempt.score, attempt.passed) == (66, False)


@pytest.mark.parametrize(
    "bad",
    [
        "unknown question",
        "option of another question",
        "unknown option",
        "not a number",
        "not a mapping",
    ],
)
def test_answers_not_in_the_quiz_are_refused_and_nothing_is_recorded(agent, quiz, bad):
    enrolment = enrol(agent, quiz.track)
    first, second = quiz.questions.all()
    answers = quiz_answers(quiz)
    if bad == "unknown question":
        answers[999_999] = [1]
    elif bad == "option of another question":
        answers[first.pk] = [second.options.first().pk]
    elif bad == "unknown option":
        answers[first.pk] = [10**12]
    elif bad == "not a number":
        answers[first.pk] = ["one"]
    else:
        answers = [1, 2]
    with pytest.raises(ValidationError):
        learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=answers)
    assert not QuizAttempt.objects.exists()
    assert not StepCompletion.objects.exists()


def test_a_withdrawn_learner_cannot_attempt(agent, quiz):
    enrolment = enrol(agent, quiz.track, status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=quiz_answers(quiz))
    assert not QuizAttempt.objects.exists()


# --- The quiz page ---------------------------------------------------------------------------


def _option_markup(html: str, option: QuizOption) -> str:
    """The <li> of `option` with its id, value and text taken out."""
    match = re.search(
        rf'<li><label for="[^"]+">[^<]*<input[^>]*value="{option.pk}"[^>]*>[^<]*'
        rf"{re.escape(option.text)}</label></li>",
        html,
    )
    assert match, f"option {option.text!r} not found"
    markup = match.group(0).replace(option.text, "TEXT")
    markup = re.sub(r'value="\d+"', 'value="N"', markup)
    return re.sub(r'(id|for)="[^"]+"', r'\1="ID"', markup)


def test_the_quiz_page_does_not_give_the_answers_away(agent_client, agent, quiz):
    enrol(agent, quiz.track)
    response = agent_client.get(_url(quiz))
    html = response.content.decode()
    assert response.status_code == 200
    assert "is_correct" not in html
    assert "correct" not in html.lower().replace("correct horse", "")
    for question in quiz.questions.all():
        options = list(question.options.all())
        shapes = {_option_markup(html, o) for o in options}
        # Right and wrong options render identically apart from their text, id and value.
        assert len(shapes) == 1, shapes
    # One right option: radio buttons; several: checkboxes (counted on the server).
    first, second = quiz.questions.all()
    assert f'type="radio" name="q{first.pk}"' in html
    assert f'type="checkbox" name="q{second.pk}"' in html
    assert "application/json" not in html
    assert 'type="hidden" name="q' not in html


def test_passing_through_the_page_shows_the_results_and_completes_the_step(
    agent_client, agent, quiz
):
    enrolment = enrol(agent, quiz.track)
    response = agent_client.post(_url(quiz, "quiz/"), _post_data(quiz_answers(quiz)))
    attempt = QuizAttempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/attempts/{attempt.pk}/"
    assert StepCompletion.objects.filter(enrolment=enrolment, step=quiz).exists()
    page = agent_client.get(response["Location"]).content.decode()
    assert "100%" in page
    assert "passed" in page


def test_after_submitting_the_results_say_what_was_wrong_and_what_was_right(
    agent_client, agent, quiz
):
    enrol(agent, quiz.track)
    first = quiz.questions.first()
    first.explanation = "Refunds reach the card within a working week."
    first.save()
    agent_client.post(_url(quiz, "quiz/"), _post_data(quiz_answers(quiz, correct=False)))
    attempt = QuizAttempt.objects.get()
    page = agent_client.get(f"/training/attempts/{attempt.pk}/").content.decode()
    assert "not passed yet" in page
    assert page.count('<span class="pill warn">Wrong</span>') == 2  # both questions
    assert re.search(r"5 weeks\s*<span class=\"pill warn\">Your answer: wrong</span>", page)
    assert re.search(r"5 days\s*<span class=\"pill\">Right answer you did not choose", page)
    assert "Refunds reach the card within a working week." in page


def test_an_unanswered_question_is_a_form_error_that_keeps_the_other_answers(
    agent_client, agent, quiz
):
    enrol(agent, quiz.track)
    first = quiz.questions.first()
    chosen = quiz_answers(quiz)[first.pk][0]
    response = agent_client.post(_url(quiz, "quiz/"), {f"q{first.pk}": str(chosen)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Answer this question." in html
    assert re.search(rf'value="{chosen}"[^>]*checked', html)
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"q999999": "1"}, "not in this quiz"),
        ({"OPTION": "123456789"}, "not one of this question"),
        ({"OPTION": "\x00"}, "try again"),  # refused before the view: a NUL byte
        ({"OPTION": "9" * 5000}, "not one of this question"),
    ],
)
def test_bad_answers_are_a_400_with_a_message(agent_client, agent, quiz, extra, message):
    enrol(agent, quiz.track)
    data = _post_data(quiz_answers(quiz))
    first = quiz.questions.first()
    if "OPTION" in extra:
        data[f"q{first.pk}"] = [extra["OPTION"]]
    else:
        data.update(extra)
    response = agent_client.post(_url(quiz, "quiz/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_someone_not_enrolled_is_told_to_enrol_and_nothing_is_recorded(agent_client, quiz):
    page = agent_client.get(_url(quiz)).content.decode()
    assert "Enrol to start" in page
    assert "Submit my answers" not in page
    response = agent_client.post(_url(quiz, "quiz/"), _post_data(quiz_answers(quiz)), follow=True)
    assert "Enrol in the track to complete its steps." in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_quiz_submit_refuses_get(agent_client, quiz):
    assert agent_client.get(_url(quiz, "quiz/")).status_code == 405


# --- Attempts are the learner's alone ------------------------------------------------------


def test_only_the_learner_sees_an_attempt(client, agent, manager, editor, outsider, quiz):
    attempt = learning.quiz_attempt_submit(
        enrolment=enrol(agent, quiz.track), step=quiz, answers=quiz_answers(quiz)
    )
    url = f"/training/attempts/{attempt.pk}/"
    for person in (manager, editor, outsider):  # the agent's own manager too
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(agent)
    assert client.get(url).status_code == 200


def test_the_step_page_lists_only_my_attempts(client, agent, mentor, quiz):
    mine = learning.quiz_attempt_submit(
        enrolment=enrol(agent, quiz.track), step=quiz, answers=quiz_answers(quiz, correct=False)
    )
    theirs = learning.quiz_attempt_submit(
        enrolment=enrol(mentor, quiz.track), step=quiz, answers=quiz_answers(quiz)
    )
    client.force_login(agent)
    html = client.get(_url(quiz)).content.decode()
    assert f"/training/attempts/{mine.pk}/" in html
    assert f"/training/attempts/{theirs.pk}/" not in html


@pytest.mark.parametrize("size", [2, 12])
def test_quiz_and_result_pages_query_counts_are_constant(
    client, agent, quiz, size, django_assert_max_num_queries
):
    for n in range(size):
        question = quiz.questions.create(position=10 + n, text=f"Extra {n}?")
        QuizOption.objects.create(question=question, text="Right", is_correct=True)
        QuizOption.objects.create(question=question, text="Also right", is_correct=True)
        QuizOption.objects.create(question=question, text="Wrong", is_correct=False)
    enrolment = enrol(agent, quiz.track)
    for _ in range(size):
        attempt = learning.quiz_attempt_submit(
            enrolment=enrolment, step=quiz, answers=quiz_answers(quiz, correct=False)
        )
    client.force_login(agent)
    # Quiz page: session, user, roles (3); the track, the step (2); the track page's reads
    # (enrolment, steps, readable articles, completions, skills: 5); questions, options and
    # attempts (3). Result page: the three first, the attempt, questions and options.
    with django_assert_max_num_queries(13):
        assert client.get(_url(quiz)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(f"/training/attempts/{attempt.pk}/").status_code == 200


def test_a_passed_quiz_leads_with_the_result_and_offers_to_take_it_again(agent_client, agent, quiz):
    enrolment = enrol(agent, quiz.track)
    attempt = learning.quiz_attempt_submit(
        enrolment=enrolment, step=quiz, answers=quiz_answers(quiz)
    )
    html = agent_client.get(_url(quiz)).content.decode()
    assert "You passed this quiz with 100%" in html
    assert f'href="/training/attempts/{attempt.pk}/">See your answers' in html
    # The questions wait behind a disclosure, closed: no primary "submit" in plain view.
    again = re.search(r'<details class="quiz-again">(.*?)</details>', html, re.S)
    assert again, "the form is not behind 'Take it again'"
    assert '<summary class="button secondary">Take it again</summary>' in again[1]
    assert "Submit my answers" in again[1]
    assert html.count("Submit my answers") == 1


def test_taking_a_passed_quiz_again_with_an_error_opens_the_form(agent_client, agent, quiz):
    enrolment = enrol(agent, quiz.track)
    learning.quiz_attempt_submit(enrolment=enrolment, step=quiz, answers=quiz_answers(quiz))
    response = agent_client.post(_url(quiz, "quiz/"), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<details class="quiz-again" open>' in html
    assert "Answer this question." in html


def test_a_quiz_not_passed_yet_shows_the_form_directly(agent_client, agent, quiz):
    enrol(agent, quiz.track)
    html = agent_client.get(_url(quiz)).content.decode()
    assert "quiz-again" not in html
    assert "Submit my answers" in html
