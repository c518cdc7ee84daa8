"""The question's page: what it shows (urgency, status, asker, tags, category, body, answers
ranked, comments with mentions linked, the article it became), who may open it (404 when
hidden), and its query count, the same at two data sizes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kb.models import Article
from questions.models import Comment, Question, Vote
from questions.services.answers import answer_accept
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db

# Measured, the same at both sizes on SQLite: the session, the user and their roles (3); the
# question with its asker, category and article joined, score and the viewer's vote as
# subqueries (1), its tags, teams and comments (3); the answers with their authors, scores,
# the viewer's votes and edit markers (1) and their comments (1); the people mentioned in all
# the comments (1); the routes (1).
PAGE_QUERIES = 11


def _thread(question: Question, *, answers: int, per_answer: int) -> None:
    """`answers` answers, each with `per_answer` comments (mentioning their own author) and
    votes, and as many on the question itself."""
    people = [UserFactory(team=question.author.team) for _ in range(per_answer)]
    for i in range(per_answer):
        Comment.objects.create(author=people[i], question=question, body=f"@{people[i].username}")
        Vote.objects.create(
            voter=people[i], post_author=question.author, question=question, value=1
        )
    for n in range(answers):
        answer = make_answer(question=question, author=UserFactory(), body=f"Answer {n}")
        for i in range(per_answer):
            Comment.objects.create(
                author=people[i], answer=answer, body=f"Agreed, @{people[i].username}"
            )
            Vote.objects.create(
                voter=people[i], post_author=answer.author, answer=answer, value=1 - 2 * (n % 2)
            )


@pytest.mark.parametrize(("answers", "per_answer"), [(2, 2), (20, 5)])
def test_the_page_query_count_is_constant(
    client, agent, team, answers, per_answer, django_assert_max_num_queries
):
    question = make_question(author=agent, tags=["refunds", "vouchers"], teams=[team])
    _thread(question, answers=answers, per_answer=per_answer)
    client.force_login(agent)

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(question.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card answer') == answers
    assert page.count('class="mention"') == per_answer * (answers + 1)


def test_the_page_shows_the_question_and_ranks_the_accepted_answer_first(
    client, agent, mentor, editor
):
    question = make_question(
        author=agent,
        title="Refund a split payment?",
        body="Half **card**, half voucher.",
        tags=["refunds"],
        urgency=Question.Urgency.CUSTOMER_WAITING,
    )
    voted = make_answer(question=question, author=mentor, body="Most voted answer.")
    accepted = make_answer(question=question, author=editor, body="Accepted answer.")
    Vote.objects.create(voter=agent, post_author=mentor, answer=voted, value=1)
    answer_accept(answer=accepted, user=agent)
    client.force_login(mentor)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "<h1" in page
    assert "Refund a split payment?" in page
    assert "Customer waiting" in page
    assert "<strong>card</strong>" in page
    assert f"{reverse('questions:list')}?tag=refunds" in page
    assert page.index("Accepted answer.") < page.index("Most voted answer.")
    assert "Answered" in page


def test_an_outsider_gets_404_for_a_restricted_question(client, agent, team, outsider):
    question = make_question(author=agent, teams=[team])
    client.force_login(outsider)

    assert client.get(question.get_absolute_url()).status_code == 404
    assert client.get(reverse("questions:detail", args=[question.pk + 999])).status_code == 404


def test_a_closed_question_has_no_answer_form_and_no_poller(client, agent, mentor):
    question = make_question(author=agent, status=Question.Status.CLOSED)
    client.force_login(mentor)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "it takes no more answers" in page
    assert 'hx-trigger="every' not in page
    assert reverse("questions:answer", args=[question.pk]) not in page


def _promoted(question: Question, answer, *, editor, **article_fields) -> Article:
    article = make_article(
        author=answer.author, title="Refunding split payments", summary="Refund each part.",
        approved_by=editor, **article_fields,
    )  # fmt: skip
    Question.objects.filter(pk=question.pk).update(article=article, promoted_at=article.created_at)
    return article


def test_a_promoted_question_shows_the_article_and_folds_the_accepted_answer(
    client, agent, mentor, editor
):
    question = make_question(author=agent)
    answer = make_answer(question=question, author=mentor, body="Accepted text.", accepted_by=agent)
    article = _promoted(question, answer, editor=editor)
    client.force_login(mentor)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "This answer is now in the knowledge base" in page
    assert "Refunding split payments" in page
    assert "Refund each part." in page
    assert article.get_absolute_url() in page
    assert "Read the article" in page
    assert '<details class="folded-answer">' in page
    assert page.index("folded-answer") < page.index("Accepted text.")


def test_an_article_the_viewer_may_not_read_is_not_shown(
    client, agent, mentor, editor, other_team, team
):
    question = make_question(author=agent)
    answer = make_answer(question=question, author=mentor, body="Accepted text.", accepted_by=agent)
    _promoted(
        question, answer, editor=editor, visibility=Article.Visibility.TEAMS, teams=[other_team]
    )
    client.force_login(UserFactory(team=team))

    page = client.get(question.get_absolute_url()).content.decode()

    assert "This answer is now in the knowledge base" not in page
    assert "Refunding split payments" not in page
    assert "Accepted text." in page
    assert "folded-answer" not in page


def test_the_page_is_read_only(client, agent):
    question = make_question(author=agent)
    client.force_login(agent)

    assert client.post(question.get_absolute_url()).status_code == 405
