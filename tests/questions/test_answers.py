"""Answering a question and editing an answer: who is told (once), what the first answer
changes, what is refused (closed questions, empty, long or NUL text, hidden questions), and
that an edit keeps the earlier text in the answer's history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from questions.models import BODY_MAX, Answer, Question, Revision
from questions.services.answers import answer_edit, answer_post
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(agent):
    return make_question(author=agent)


@pytest.fixture
def restricted(agent, team):
    """Shared with the agent's team only: the outsider (another team) may not read it."""
    return make_question(author=agent, title="Which refunds need a manager?", teams=[team])


def _told(kind: str) -> list[str]:
    rows = Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    return sorted(rows)


# --- Posting -------------------------------------------------------------------------------


def test_the_first_answer_marks_the_question_answered_once_and_tells_the_asker(
    question, mentor, editor
):
    first = answer_post(question=question, author=mentor, body="Refund each **part** alone.")
    question.refresh_from_db()
    answered_at = question.first_answered_at
    second = answer_post(question=question, author=editor, body="Or ask billing to do it.")
    question.refresh_from_db()

    assert answered_at == first.created_at
    assert question.first_answered_at == answered_at  # the second answer does not move it
    assert question.last_activity_at == second.created_at
    assert first.body_html == "<p>Refund each <strong>part</strong> alone.</p>"
    assert _told("questions.answer") == ["agent", "agent"]
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert {f"questions.answer:{first.pk}", f"questions.answer:{second.pk}"} <= keys


def test_the_asker_answering_their_own_question_is_not_told(question, agent):
    answer_post(question=question, author=agent, body="Found it: refund each part.")

    assert _told("questions.answer") == []
    assert Answer.objects.filter(question=question).count() == 1


def test_mentions_reach_only_people_who_may_read_the_question(restricted, mentor, outsider):
    answer_post(
        question=restricted, author=mentor, body="@outsider and @manager know this. @mentor too"
    )

    assert _told("questions.mention") == []  # the manager fixture is not in this test
    UserFactory(username="manager2", team=mentor.team)
    answer_post(question=restricted, author=mentor, body="Ask @manager2 or @outsider, @agent.")

    # The asker hears once (the answer), not twice; the outsider may not read it; the author
    # never hears about their own mention.
    assert _told("questions.mention") == ["manager2"]
    assert _told("questions.answer") == ["agent", "agent"]


@pytest.mark.parametrize("status", [Question.Status.CLOSED, Question.Status.DEFLECTED])
def test_a_closed_or_deflected_question_takes_no_answer(agent, mentor, status):
    from tests.factories import make_article

    extra = {}
    if status == Question.Status.DEFLECTED:
        extra["deflected_by_article"] = make_article(author=agent)
    question = make_question(author=agent, status=status, **extra)

    with pytest.raises(ValidationError, match="takes no more answers"):
        answer_post(question=question, author=mentor, body="Late answer.")
    assert not Answer.objects.exists()


def test_someone_who_may_not_read_the_question_cannot_answer_it(restricted, outsider):
    with pytest.raises(PermissionDenied):
        answer_post(question=restricted, author=outsider, body="I know!")
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write an answer."),
        ("   \n ", "Write an answer."),
        ("x" * (BODY_MAX + 1), "Keep an answer to 10,000 characters"),
        ("nul\x00byte", "cannot be stored"),
    ],
)
def test_empty_long_or_nul_answers_are_refused_and_nothing_is_saved(question, mentor, body, error):
    with pytest.raises(ValidationError, match=error):
        answer_post(question=question, author=mentor, body=body)
    question.refresh_from_db()
    assert not Answer.objects.exists()
    assert question.first_answered_at is None
    assert not Notification.objects.exists()


def test_script_in_an_answer_is_inert_on_the_page(client, question, mentor, agent):
    answer_post(
        question=question,
        author=mentor,
        body='<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))',
    )
    client.force_login(agent)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert "javascript:alert" not in page


# --- Posting through the page ---------------------------------------------------------------


def test_posting_an_answer_redirects_to_it(client, question, mentor):
    client.force_login(mentor)

    response = client.post(
        reverse("questions:answer", args=[question.pk]), {"body": "Refund each part."}
    )

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{question.pk}/#answer-{answer.pk}"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write an answer first."),
        ("x" * (BODY_MAX + 1), "at most 10000"),
        ("a\x00b", "NUL character"),
    ],
)
def test_a_bad_answer_comes_back_beside_the_field(client, question, mentor, body, error):
    client.force_login(mentor)

    response = client.post(reverse("questions:answer", args=[question.pk]), {"body": body})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Answer.objects.exists()


def test_a_closed_question_refuses_the_form_with_the_reason(client, agent, mentor):
    question = make_question(author=agent, status=Question.Status.CLOSED)
    client.force_login(mentor)

    response = client.post(reverse("questions:answer", args=[question.pk]), {"body": "Late."})

    assert response.status_code == 400
    assert "takes no more answers" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_outsider_posting_to_a_restricted_question_gets_404(client, restricted, outsider):
    client.force_login(outsider)

    response = client.post(reverse("questions:answer", args=[restricted.pk]), {"body": "Hi."})

    assert response.status_code == 404
    assert not Answer.objects.exists()


# --- Editing --------------------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_and_tells_only_newly_mentioned(question, mentor):
    UserFactory(username="lena", team=mentor.team)
    answer = answer_post(question=question, author=mentor, body="Ask @lena.")
    edited = answer_edit(answer=answer, editor=mentor, body="Ask @lena or **billing**.")

    assert edited.body_html == "<p>Ask @lena or <strong>billing</strong>.</p>"
    revision = Revision.objects.get()
    assert (revision.answer, revision.editor, revision.body) == (answer, mentor, "Ask @lena.")
    assert _told("questions.mention") == ["lena"]


def test_an_unchanged_text_stores_no_revision(question, mentor):
    answer = answer_post(question=question, author=mentor, body="Refund each part.")

    answer_edit(answer=answer, editor=mentor, body="  Refund each part. ")

    assert not Revision.objects.exists()


def test_only_the_author_or_an_editor_edits_an_answer(question, mentor, editor, agent):
    answer = answer_post(question=question, author=mentor, body="Refund each part.")

    with pytest.raises(PermissionDenied):
        answer_edit(answer=answer, editor=agent, body="Hijacked.")
    answer_edit(answer=answer, editor=editor, body="Refund each part, then note it.")

    answer.refresh_from_db()
    assert answer.body == "Refund each part, then note it."


def test_the_edit_page_saves_and_shows_the_history(client, question, mentor, agent):
    answer = make_answer(question=question, author=mentor, body="First text.")
    client.force_login(mentor)
    url = reverse("questions:answer-edit", args=[answer.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Second text."})
    assert response.status_code == 302
    client.force_login(agent)
    page = client.get(question.get_absolute_url()).content.decode()
    history = client.get(reverse("questions:answer-history", args=[answer.pk])).content.decode()

    assert reverse("questions:answer-history", args=[answer.pk]) in page  # the "edited" marker
    assert "First text." in history
    assert "Second text." in history


def test_someone_else_gets_403_on_the_edit_page_and_nothing_changes(
    client, question, mentor, agent
):
    answer = make_answer(question=question, author=mentor, body="First text.")
    client.force_login(agent)
    url = reverse("questions:answer-edit", args=[answer.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "Hijacked."}).status_code == 403
    answer.refresh_from_db()
    assert answer.body == "First text."


def test_a_bad_edit_comes_back_with_its_error(client, question, mentor):
    answer = make_answer(question=question, author=mentor, body="First text.")
    client.force_login(mentor)

    response = client.post(reverse("questions:answer-edit", args=[answer.pk]), {"body": " "})

    assert response.status_code == 400
    assert "Write an answer first." in response.content.decode()
    answer.refresh_from_db()
    assert answer.body == "First text."


def test_an_outsider_gets_404_on_the_edit_and_history_of_a_restricted_answer(
    client, restricted, mentor, outsider
):
    answer = make_answer(question=restricted, author=mentor)
    client.force_login(outsider)

    for name in ("questions:answer-edit", "questions:answer-history"):
        assert client.get(reverse(name, args=[answer.pk])).status_code == 404
