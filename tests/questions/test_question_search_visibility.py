"""What search never shows of questions to who may not read them: a team-only question on
the search page (results, heading count, filters, markup), in autocomplete, and through the
result link; its team, its asker and editors do find it."""

from __future__ import annotations

import pytest

from questions.models import Question
from searchkit import pipeline
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question
from tests.search.pages import facets_text, heading, result_titles, suggestion_titles

pytestmark = pytest.mark.django_db

SECRET = "Escalating a merchant dispute"
PUBLIC = "Escalating a late parcel"


@pytest.fixture
def questions(agent, mentor, team, search_index) -> dict[str, Question]:
    secret = make_question(
        author=agent,
        title=SECRET,
        body="The merchant disputes the chargeback.",
        teams=[team],
        tags=["disputes-internal"],
    )
    make_answer(question=secret, author=mentor, body="Call the zebra desk.", accepted_by=agent)
    public = make_question(author=agent, title=PUBLIC, body="The parcel is two weeks late.")
    pipeline.rebuild()
    return {"secret": secret, "public": public}


def _as(client, request, who):
    client.force_login(request.getfixturevalue(who))
    return client


def test_an_outsider_never_sees_a_team_only_question(client, outsider, questions, team):
    client.force_login(outsider)
    response = client.get("/search/", {"q": "escalating"})
    assert result_titles(response) == [PUBLIC]
    assert heading(response) == "1 result for “escalating”"
    shown = facets_text(response)
    assert "disputes-internal" not in shown
    assert team.name not in shown
    raw = response.content.decode()
    assert SECRET not in raw
    assert "zebra" not in raw


@pytest.mark.parametrize("q", ["merchant", "zebra desk", "chargeback"])
def test_an_outsider_finds_nothing_by_its_words_or_its_answers(client, outsider, questions, q):
    client.force_login(outsider)
    response = client.get("/search/", {"q": q})
    assert result_titles(response) == []
    assert heading(response).startswith("0 results")


def test_autocomplete_never_offers_it_to_an_outsider(client, outsider, questions):
    client.force_login(outsider)
    assert suggestion_titles(client.get("/search/suggest/", {"q": "escal"})) == [PUBLIC]
    assert suggestion_titles(client.get("/search/suggest/", {"q": "merch"})) == []


@pytest.mark.parametrize("who", ["mentor", "agent", "editor"])
def test_its_team_its_asker_and_editors_find_it(client, request, questions, who):
    _as(client, request, who)
    response = client.get("/search/", {"q": "escalating"})
    assert set(result_titles(response)) == {SECRET, PUBLIC}
    assert heading(response) == "2 results for “escalating”"
    assert result_titles(client.get("/search/", {"q": "zebra"})) == [SECRET]
    assert set(suggestion_titles(client.get("/search/suggest/", {"q": "escal"}))) == {
        SECRET,
        PUBLIC,
    }


def test_a_stale_document_never_shows_what_the_database_hides(client, outsider, questions):
    # Made team-only after indexing, before any update ran: the database has the last word.
    public = questions["public"]
    public.visibility = Question.Visibility.TEAMS
    public.save(update_fields=["visibility"])
    public.teams.set([UserFactory().team])
    client.force_login(outsider)
    assert result_titles(client.get("/search/", {"q": "parcel"})) == []
    assert suggestion_titles(client.get("/search/suggest/", {"q": "parc"})) == []


def test_the_result_shows_question_status_answers_and_asker(client, mentor, agent, questions):
    client.force_login(mentor)
    response = client.get("/search/", {"q": "merchant"})
    item = response.content.decode()
    assert "Accepted answer" in item
    assert "1 answer" in item
    assert agent.name in item
    assert ">Question<" in item


# Measured, the same at both sizes: session, user, roles, synonym groups, the page's
# questions with their counts and accepted-answer flag (one query), their tags (one), the
# log, one label query for the tag filter.
SEARCH_QUERIES = 8


@pytest.mark.parametrize("size", [2, 20])
def test_the_search_page_reads_a_constant_number_of_queries_for_questions(
    client, agent, mentor, size, search_index, django_assert_max_num_queries
):
    for n in range(size):
        question = make_question(
            author=agent, title=f"Warranty claim number {n:02}", tags=[f"warranty-{n}"]
        )
        make_answer(question=question, author=mentor, accepted_by=agent if n % 2 else None)
    pipeline.rebuild()
    client.force_login(agent)
    with django_assert_max_num_queries(SEARCH_QUERIES):
        response = client.get("/search/", {"q": "warranty"})
    assert len(result_titles(response)) == min(size, 10)
