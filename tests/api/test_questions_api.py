"""`/api/questions/` and `/api/answers/`: questions and answers through the API, with the
pages' visibility rule (a question for another team is a 404, and so is an answer to it),
asking, answering, voting and accepting through the questions services, and bad input
answered with a 4xx that changes nothing."""

from __future__ import annotations

import pytest

from kb.models import Category
from notifications.models import Notification
from questions.models import Answer, Question, Route, Vote
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question

URL = "/api/questions/"


@pytest.fixture
def threads(db, agent, editor, outsider, other_team):
    """A question by the editor that everyone reads, answered by the outsider; one the
    outsider limited to their team; the agent's own question, answered by the editor; and a
    deflected one of the agent's."""
    billing = Category.objects.create(name="Billing", slug="billing")
    topic = Category.objects.create(name="Refunds", slug="refunds", parent=billing)
    article = make_article(author=editor, approved_by=editor, tags=["refunds"])
    public = make_question(author=editor, title="How do I refund a voucher?", category=topic,
                           tags=["refunds"])  # fmt: skip
    hidden = make_question(author=outsider, title="Which server runs the refunds?",
                           teams=[other_team])  # fmt: skip
    mine = make_question(author=agent, title="Can a refund go to another card?", category=billing)
    deflected = make_question(
        author=agent, title="Where is the refund policy?", status=Question.Status.DEFLECTED,
        deflected_by_article=article,
    )  # fmt: skip
    return {
        "public": public,
        "hidden": hidden,
        "mine": mine,
        "deflected": deflected,
        "public_answer": make_answer(question=public, author=outsider),
        "hidden_answer": make_answer(question=hidden, author=outsider),
        "mine_answer": make_answer(question=mine, author=editor, body="No: the original card."),
    }


def _as(client, user):
    client.force_login(user)
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _of(threads, *names) -> set[int]:
    return {threads[name].pk for name in names}


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("agent", {"public", "mine"}),
        ("outsider", {"public", "mine", "hidden"}),
        ("editor", {"public", "mine", "hidden"}),
    ],
)
def test_the_list_holds_the_questions_each_person_may_read(client, threads, request, who, listed):
    assert _ids(_as(client, request.getfixturevalue(who)).get(URL)) == _of(threads, *listed)


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [("agent", "public", 200), ("agent", "hidden", 404), ("outsider", "hidden", 200),
     ("editor", "hidden", 200)],
)  # fmt: skip
def test_one_question_opens_exactly_as_its_page_does(client, threads, request, who, name, status):
    client = _as(client, request.getfixturevalue(who))
    assert client.get(f"{URL}{threads[name].pk}/").status_code == status
    assert client.get(threads[name].get_absolute_url()).status_code == status
    answer = threads[f"{name}_answer"]
    assert client.get(f"/api/answers/{answer.pk}/").status_code == status


def test_anonymous_callers_are_refused(client, threads):
    assert client.get(URL).status_code in (401, 403)
    assert client.post(URL, {"title": "Anybody there at all?"}).status_code in (401, 403)
    assert client.get(f"/api/answers/{threads['public_answer'].pk}/").status_code in (401, 403)


def test_the_detail_lists_answers_accepted_first(agent_client, agent, editor, threads):
    question = threads["mine"]
    later = make_answer(question=question, author=UserFactory(), body="Try the voucher way.")
    Vote.objects.create(voter=agent, post_author=later.author, answer=later, value=1)
    make_answer(question=question, author=UserFactory(), body="Ask billing.", accepted_by=agent)
    body = agent_client.get(f"{URL}{question.pk}/").json()
    assert [a["body_markdown"] for a in body["answers"]] == [
        "Ask billing.",
        "Try the voucher way.",
        "No: the original card.",
    ]
    assert body["answers"][0]["accepted"] is True
    assert body["answers"][1]["my_vote"] == 1
    assert body["can_accept_answers"] is True
    assert body["category"] == "billing"


# --- filters and ordering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "listed"),
    [
        ({"status": "open"}, {"public", "mine"}),
        ({"status": "deflected"}, {"deflected"}),
        ({"mine": "true"}, {"mine", "deflected"}),  # deflected ones are in the asker's own list
        ({"category": "billing"}, {"public", "mine"}),  # a top-level one includes its topics
        ({"category": "refunds"}, {"public"}),
        ({"category": "no-such-one"}, set()),
        ({"tag": "refunds"}, {"public"}),
        ({"tag": "no-such-tag"}, set()),
        ({"for_me": "true"}, {"public"}),
    ],
)
def test_filters_narrow_the_list(agent_client, agent, threads, params, listed):
    Route.objects.create(question=threads["public"], person=agent, reason="knows refunds")
    assert _ids(agent_client.get(URL, params)) == _of(threads, *listed)


def test_ordering_by_score(agent_client, outsider, threads):
    Vote.objects.create(voter=outsider, post_author=threads["mine"].author,
                        question=threads["mine"], value=1)  # fmt: skip
    rows = agent_client.get(URL, {"ordering": "-score"}).json()["results"]
    assert [row["id"] for row in rows] == [threads["mine"].pk, threads["public"].pk]
    assert rows[0]["score"] == 1


@pytest.mark.parametrize(
    "query", ["status=nonsense", "tag=a%00b", "category=" + "x" * 5000, "category=%00"]
)
def test_malformed_filters_are_a_400(agent_client, threads, query):
    response = agent_client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}99999999999999999999/",
        f"{URL}-1/",
        f"{URL}a%00b/",
        f"{URL}?page=99999999999999999999",
        "/api/answers/99999999999999999999/",
        "/api/answers/1.5/",
    ],
)
def test_nul_bytes_and_huge_numbers_are_a_json_404(agent_client, threads, url):
    response = agent_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- asking -----------------------------------------------------------------------------------


def test_asking_goes_through_the_service(agent_client, agent, editor, threads, team):
    data = {
        "title": "How long does a refund take to arrive?",
        "body": "The customer asks @editor too.",
        "tags": ["refunds"],
        "category": "refunds",
        "visibility": "teams",
        "teams": [team.slug],
        "urgency": "customer_waiting",
    }
    response = agent_client.post(URL, data, content_type="application/json")
    assert response.status_code == 201, response.content
    question = Question.objects.get(pk=response.json()["id"])
    assert (question.author, question.category.slug) == (agent, "refunds")
    assert [t.slug for t in question.tags.all()] == ["refunds"]
    assert [t.slug for t in question.teams.all()] == [team.slug]
    assert Notification.objects.filter(recipient=editor, kind="questions.mention").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Too short"},
        {"title": "A long enough title\x00here"},
        {"title": "x" * 201},
        {"title": "A question with a made-up tag", "tags": ["not-a-kb-tag"]},
        {"title": "A question with a made-up category", "category": "nowhere"},
        {"title": "A question with a broken category", "category": "a\x00b"},
        {"title": "A question limited to no team", "visibility": "teams"},
        {"title": "A question for a team that is not", "visibility": "teams", "teams": ["x"]},
        {"title": "A question far too detailed", "body": "x" * 10_001},
        {"title": "A question with too many tags", "tags": [f"t{n}" for n in range(11)]},
        {"title": "A question of an urgency unknown", "urgency": "yesterday"},
    ],
)
def test_a_bad_question_is_a_400_and_stores_nothing(agent_client, threads, data):
    before = Question.objects.count()
    response = agent_client.post(URL, data, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()
    assert Question.objects.count() == before


# --- answering, voting, accepting -------------------------------------------------------------


def test_answering_goes_through_the_service(agent_client, agent, editor, threads):
    question = threads["public"]
    response = agent_client.post(f"{URL}{question.pk}/answers/", {"body": "Refund it as cash."})
    assert response.status_code == 201
    assert Answer.objects.filter(question=question, author=agent).exists()
    assert Notification.objects.filter(recipient=editor, kind="questions.answer").exists()


@pytest.mark.parametrize("body", ["", "a\x00b", "x" * 10_001])
def test_a_bad_answer_is_a_400(agent_client, threads, body):
    question = threads["public"]
    url = f"{URL}{question.pk}/answers/"
    response = agent_client.post(url, {"body": body}, content_type="application/json")
    assert response.status_code == 400
    assert not Answer.objects.filter(question=question, author__username="agent").exists()


def test_a_closed_question_takes_no_answer(agent_client, threads):
    question = threads["deflected"]
    response = agent_client.post(f"{URL}{question.pk}/answers/", {"body": "Late answer"})
    assert response.status_code == 400
    assert "closed" in str(response.json())


def test_nobody_writes_on_a_question_they_may_not_read(agent_client, threads):
    question, answer = threads["hidden"], threads["hidden_answer"]
    assert agent_client.post(f"{URL}{question.pk}/answers/", {"body": "Hi"}).status_code == 404
    assert agent_client.post(f"{URL}{question.pk}/vote/", {"value": 1}).status_code == 404
    assert agent_client.post(f"/api/answers/{answer.pk}/vote/", {"value": 1}).status_code == 404
    assert agent_client.post(f"/api/answers/{answer.pk}/accept/").status_code == 404
    assert not Vote.objects.exists()


def test_votes_go_through_the_service(agent_client, agent, threads):
    question, answer = threads["public"], threads["public_answer"]
    response = agent_client.post(f"{URL}{question.pk}/vote/", {"value": 1})
    assert response.json() == {"score": 1}
    response = agent_client.post(f"/api/answers/{answer.pk}/vote/", {"value": -1})
    assert response.json() == {"score": -1}
    # The same vote again takes it back.
    assert agent_client.post(f"{URL}{question.pk}/vote/", {"value": 1}).json() == {"score": 0}


@pytest.mark.parametrize("value", [0, 2, "up", "", 10**20])
def test_a_bad_vote_is_a_400(agent_client, threads, value):
    url = f"{URL}{threads['public'].pk}/vote/"
    response = agent_client.post(url, {"value": value}, content_type="application/json")
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_nobody_votes_on_their_own_post(agent_client, threads):
    response = agent_client.post(f"{URL}{threads['mine'].pk}/vote/", {"value": 1})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_the_asker_accepts_an_answer(agent_client, threads):
    answer = threads["mine_answer"]
    response = agent_client.post(f"/api/answers/{answer.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["accepted"] is True
    assert Question.objects.get(pk=answer.question_id).status == Question.Status.ANSWERED
    response = agent_client.post(
        f"/api/answers/{answer.pk}/accept/", {"accept": False}, content_type="application/json"
    )
    assert response.json()["accepted"] is False


def test_only_the_asker_or_an_editor_accepts(client, agent, editor, threads):
    answer = threads["public_answer"]  # the editor's question
    assert _as(client, agent).post(f"/api/answers/{answer.pk}/accept/").status_code == 403
    assert not Answer.objects.accepted().exists()
    mine = threads["mine_answer"]  # the agent's question: an editor may accept there too
    assert _as(client, editor).post(f"/api/answers/{mine.pk}/accept/").status_code == 200


# --- query counts -----------------------------------------------------------------------------

LIST_QUERIES = 6
DETAIL_QUERIES = 9


@pytest.mark.parametrize("size", [3, 25])
def test_list_and_detail_query_counts_are_constant(
    client, agent, editor, size, django_assert_max_num_queries
):
    make_article(author=editor, approved_by=editor, tags=["refunds", "vouchers"])
    questions = [
        make_question(author=editor, title=f"Refund question number {n}",
                      tags=["refunds", "vouchers"])
        for n in range(size)
    ]  # fmt: skip
    for n in range(size):
        make_answer(question=questions[0], author=UserFactory(), body=f"Answer {n}")
    client.force_login(agent)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(URL, {"ordering": "-score"})
    assert response.json()["count"] == size
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"{URL}{questions[0].pk}/")
    assert len(response.json()["answers"]) == size


# --- search -----------------------------------------------------------------------------------


def test_the_search_api_finds_questions_as_the_search_page_does(
    agent_client, editor, outsider, other_team, search_index
):
    from searchkit import pipeline

    article = make_article(author=editor, approved_by=editor, title="Voucher refunds")
    shared = make_question(author=editor, title="How do I refund a voucher twice?")
    hidden = make_question(author=outsider, title="Voucher refunds on our servers?",
                           teams=[other_team])  # fmt: skip
    pipeline.sync("kb.article", article.pk)
    for question in (shared, hidden):
        pipeline.sync("questions.question", question.pk)
    both = agent_client.get("/api/search/", {"q": "voucher"}).json()
    assert {(r["kind"], r["id"]) for r in both["results"]} == {
        ("article", article.pk),
        ("question", shared.pk),
    }
    only = agent_client.get("/api/search/", {"q": "voucher", "type": "question"}).json()
    assert [(r["kind"], r["id"], r["status"]) for r in only["results"]] == [
        ("question", shared.pk, "open")
    ]
    assert only["count"] == 1
