"""The question list's database queries stay the same for 3 questions as for 30 (with tags,
answers, votes, routes, categories and promoted articles), on every tab and with filters, so
an N+1 (a query per row, per tag, per answer) shows up as a failure."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kb.models import Category
from questions.models import Question, Route, Vote
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question
from tests.search.pages import parse

SIZES = [3, 30]

# Measured, the same at both sizes on SQLite and PostgreSQL: the session, the user and their
# roles (3); the figures (1); the page's count, its rows and their tags (3); the filter form's
# tag and category choices (2). A filter by tag or category adds its lookup (1 each).
LIST_LIMIT = 9
FILTERED_LIMIT = 11
# KB editors also see this month's deflections: the totals, the articles that answered
# most, and those articles' rows (3).
EDITOR_EXTRA = 3

QUERIES = [
    "",
    "tab=newest",
    "tab=votes",
    "tab=mine",
    "tab=for-me",
    "tab=newest&page=2",
    "tab=newest&status=answered",
    "tab=votes&tag=refunds&category=billing&status=open",
]


def _fill(size: int, *, viewer, team, editor):
    billing = Category.objects.create(name="Billing", slug="billing")
    topic = Category.objects.create(name="Refunds", slug="refunds", parent=billing)
    article = make_article(author=editor, title="Refund a split payment", approved_by=editor)
    voters = [UserFactory(team=team) for _ in range(3)]
    for i in range(size):
        asker = viewer if i % 3 == 0 else voters[i % 3]
        question = make_question(
            author=asker,
            title=f"How do I handle case number {i}?",
            tags=["refunds", f"topic-{i}"],
            category=topic if i % 2 else billing,
            urgency="customer_waiting" if i % 4 == 0 else "normal",
            teams=[team] if i % 5 == 0 else (),
        )
        for voter in voters:
            if voter != asker:
                Vote.objects.create(voter=voter, post_author=asker, question=question, value=1)
        if i % 2:
            make_answer(question=question, author=editor, accepted_by=asker if i % 4 == 1 else None)
        if i % 4 == 1:
            Question.objects.filter(pk=question.pk).update(
                article=article, promoted_at=timezone.now()
            )
        Route.objects.create(question=question, person=viewer, reason="skill: refunds")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", QUERIES)
def test_the_list_query_count_is_constant(
    client, agent, team, editor, size, query, django_assert_max_num_queries
):
    _fill(size, viewer=agent, team=team, editor=editor)
    client.force_login(agent)
    limit = FILTERED_LIMIT if ("tag=" in query or "category=" in query) else LIST_LIMIT
    with django_assert_max_num_queries(limit):
        response = client.get(f"/questions/?{query}")
    assert response.status_code == 200
    assert 'class="question-row"' in response.content.decode()


def _deflections(size: int, *, asker, editor):
    """`size` questions answered by existing content this month: most by one of up to seven
    articles (more than the section names), every fourth by another question."""
    articles = [
        make_article(author=editor, title=f"Deflecting article {n}", approved_by=editor)
        for n in range(min(size, 7))
    ]
    answered = make_question(author=asker, title="The question that answered others")
    for i in range(size):
        source = (
            {"deflected_by_question": answered}
            if i % 4 == 3
            else {"deflected_by_article": articles[i % len(articles)]}
        )
        make_question(
            author=asker, title=f"Deflected case number {i}", status="deflected", **source
        )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", ["", "tab=newest&page=2", QUERIES[-1]])
def test_the_editors_list_query_count_is_constant(
    client, agent, team, editor, size, query, django_assert_max_num_queries
):
    _fill(size, viewer=editor, team=team, editor=editor)
    _deflections(size, asker=agent, editor=editor)
    client.force_login(editor)
    limit = (FILTERED_LIMIT if "tag=" in query else LIST_LIMIT) + EDITOR_EXTRA
    with django_assert_max_num_queries(limit):
        response = client.get(f"/questions/?{query}")
    assert response.status_code == 200
    assert 'class="question-row"' in response.content.decode()
    section = parse(response).find("section", class_="question-deflections")
    assert len(section.find("ol").find_all("a")) == min(size, 5)
