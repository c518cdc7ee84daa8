"""Comments on questions and answers: plain text of 1 to 1,000 characters, @mentions linked on
the page and notified once (to people who may read the question), posted in place with htmx,
never a 404 leak or a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from questions.models import COMMENT_MAX, Comment
from questions.services.answers import comment_add
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def question(agent, team):
    return make_question(author=agent, teams=[team])


@pytest.fixture
def answer(question, mentor):
    return make_answer(question=question, author=mentor)


def _mentioned() -> list[str]:
    rows = Notification.objects.filter(kind="questions.mention")
    return sorted(rows.values_list("recipient__username", flat=True))


def test_a_comment_tells_each_mentioned_reader_once(question, answer, agent, mentor, outsider):
    comment = comment_add(
        author=agent, answer=answer, body="Thanks @mentor @mentor, and @outsider, and @agent"
    )

    question.refresh_from_db()
    assert question.last_activity_at == comment.created_at
    # The outsider may not read the question; the author does not hear of their own mention.
    assert _mentioned() == ["mentor"]
    assert (
        Notification.objects.get().dedupe_key
        == f"questions.mention:comment{comment.pk}:{mentor.pk}"
    )


def test_a_comment_on_the_question_itself(question, mentor):
    comment = comment_add(author=mentor, question=question, body="Which card type?")

    assert (comment.question, comment.answer) == (question, None)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a comment."),
        (" \n ", "Write a comment."),
        ("x" * (COMMENT_MAX + 1), "Keep a comment to 1,000 characters"),
        ("a\x00b", "cannot be stored"),
    ],
)
def test_bad_comments_are_refused_and_nothing_is_saved(question, mentor, body, error):
    with pytest.raises(ValidationError, match=error):
        comment_add(author=mentor, question=question, body=body)
    assert not Comment.objects.exists()


def test_someone_who_may_not_read_the_question_cannot_comment(question, outsider):
    with pytest.raises(PermissionDenied):
        comment_add(author=outsider, question=question, body="Hello")
    assert not Comment.objects.exists()


def test_exactly_one_post(question, answer, mentor):
    with pytest.raises(ValueError, match="exactly one"):
        comment_add(author=mentor, question=question, answer=answer, body="Both")
    with pytest.raises(ValueError, match="exactly one"):
        comment_add(author=mentor, body="Neither")


# --- On the page ----------------------------------------------------------------------------


def test_an_htmx_comment_comes_back_in_place_with_mentions_linked(client, answer, agent):
    client.force_login(agent)

    response = client.post(
        reverse("questions:answer-comment", args=[answer.pk]),
        {"body": "Thanks @mentor <script>alert(1)</script>"},
        **HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section")
    assert f'id="comments-answer-{answer.pk}"' in page
    assert '<a class="mention" href="/people/u/mentor/"' in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Comment posted." in page


def test_a_plain_comment_redirects_to_it(client, question, mentor):
    client.force_login(mentor)

    response = client.post(
        reverse("questions:question-comment", args=[question.pk]), {"body": "Which card?"}
    )

    comment = Comment.objects.get()
    assert response["Location"] == f"/questions/{question.pk}/#comment-{comment.pk}"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write a comment first."),
        ("x" * (COMMENT_MAX + 1), "at most 1000 characters"),
        ("Ask @nobody-here", "No one here is called @nobody-here"),
    ],
)
def test_a_bad_comment_comes_back_beside_the_field(client, question, answer, mentor, body, error):
    client.force_login(mentor)
    url = reverse("questions:answer-comment", args=[answer.pk])

    htmx = client.post(url, {"body": body}, **HTMX)
    plain = client.post(url, {"body": body})

    assert htmx.status_code == plain.status_code == 400
    assert error in htmx.content.decode()
    # Without JavaScript: the whole page again, this answer's comment form open with the error.
    page = plain.content.decode()
    assert error in page
    assert f'id="comment-answer-{answer.pk}-body_error"' in page
    assert not Comment.objects.exists()


def test_an_outsider_gets_404_commenting_on_a_restricted_post(client, question, answer, outsider):
    client.force_login(outsider)

    for url in (
        reverse("questions:question-comment", args=[question.pk]),
        reverse("questions:answer-comment", args=[answer.pk]),
    ):
        assert client.post(url, {"body": "Hello"}).status_code == 404
    assert not Comment.objects.exists()
