"""Bringing a question to its likely experts: a round of routes with reasons, each person
told once (also when called again), the next experts in the next round, nothing once the
question has an answer or is closed; the panel the asker and editors see."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from notifications.models import Notification
from people.models import Role
from questions.models import Question, Route
from questions.services.routing import question_route
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


def person(name: str, team, skills=("refunds",), **fields):
    fields.setdefault("roles", [Role.AGENT])
    username = name.lower().replace(" ", "")
    return UserFactory(
        username=username, display_name=name, team=team, skills=list(skills), **fields
    )


@pytest.fixture
def experts(team):
    """Five people who list refunds among their skills, in name order."""
    return [person(f"{name} Expert", team) for name in ("Ann", "Ben", "Cat", "Dan", "Eve")]


@pytest.fixture
def question(agent):
    return make_question(author=agent, title="Refund a split payment?", tags=["refunds"])


def told(kind: str = "questions.route"):
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id"))


def test_a_round_brings_the_question_to_the_first_experts(question, experts, settings):
    settings.QUESTIONS_EXPERTS_PER_ROUND = 3
    routes = question_route(question=question)
    assert [r.person for r in routes] == experts[:3]
    assert {(r.kind, r.round, r.reason) for r in routes} == {
        ("expert", 1, "lists refunds among their skills")
    }
    notes = told()
    assert [n.recipient for n in notes] == experts[:3]
    first = notes[0]
    assert first.message == (
        "You may know this: “Refund a split payment?” — you list refunds among your skills"
    )
    assert first.url == question.get_absolute_url()
    assert first.dedupe_key == f"questions.route:{question.pk}:{experts[0].pk}"


def test_routing_twice_tells_each_person_once(question, experts):
    question_route(question=question)
    assert question_route(question=question) == []
    assert Route.objects.filter(question=question).count() == 3
    assert len(told()) == 3


def test_the_next_round_brings_it_to_the_next_experts(question, experts, settings):
    settings.QUESTIONS_EXPERTS_PER_ROUND = 2
    question_route(question=question)
    second = question_route(question=question, round=2)
    assert [(r.person, r.round) for r in second] == [(experts[2], 2), (experts[3], 2)]
    assert question_route(question=question, round=2) == []
    assert len(told()) == 4


def test_a_customer_waiting_says_so_first(agent, experts):
    urgent = make_question(
        author=agent, title="Refund while on the phone", tags=["refunds"],
        urgency=Question.Urgency.CUSTOMER_WAITING,
    )  # fmt: skip
    question_route(question=urgent)
    assert all(n.message.startswith("Customer waiting: You may know this:") for n in told())


@pytest.mark.parametrize(
    "state",
    [
        {"status": Question.Status.CLOSED},
        {"status": Question.Status.ANSWERED},
    ],
)
def test_nothing_for_a_question_no_longer_open(agent, experts, state):
    done = make_question(author=agent, title="Refund question, done", tags=["refunds"], **state)
    assert question_route(question=done) == []
    assert told() == []


def test_nothing_once_someone_answered(question, experts, mentor):
    make_answer(question=question, author=mentor)
    assert question_route(question=question) == []
    assert told() == []


def test_nothing_when_nobody_knows(agent):
    lonely = make_question(author=agent, title="Something nobody here knows", tags=["exotic"])
    assert question_route(question=lonely) == []
    assert told() == []


def test_a_team_only_question_is_never_brought_to_outsiders(agent, team, outsider):
    outsider.skills.set(["refunds"])
    colleague = person("Col League", team)
    private = make_question(author=agent, title="Refund, team only", tags=["refunds"], teams=[team])
    assert [r.person for r in question_route(question=private)] == [colleague]
    assert not Notification.objects.filter(recipient=outsider).exists()


def _panel(question, viewer) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    routes = list(question.routes.select_related("person"))
    return render_to_string(
        "questions/includes/routing_panel.html",
        {"question": question, "routes": routes, "user": viewer},
        request=request,
    )


def test_the_panel_names_who_was_asked_and_why_for_the_asker_and_editors(
    question, experts, agent, editor, manager
):
    question_route(question=question)
    Route.objects.create(question=question, person=manager, kind="team_lead", reason="lead")
    mine = _panel(question, agent)
    assert "Brought to" in mine
    assert experts[0].name in mine
    assert "lists refunds among their skills" in mine
    assert "Escalated to your team lead" in mine
    assert manager.name in mine
    assert "Escalated to the asker\N{RIGHT SINGLE QUOTATION MARK}s team lead" in _panel(
        question, editor
    )
    assert _panel(question, experts[0]).strip() == ""


def test_the_panel_is_empty_without_routes(question, agent):
    assert _panel(question, agent).strip() == ""


def test_the_panel_escapes_names(question, agent, team):
    UserFactory(username="bold", display_name="<b>Bold</b> Name", team=team, skills=["refunds"])
    question_route(question=question)
    html = _panel(question, agent)
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_the_question_page_shows_the_panel_to_the_asker_only(client, question, experts, agent):
    question_route(question=question)
    client.force_login(agent)
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert "Who was asked" in page.content.decode()
    client.force_login(experts[0])
    assert "Who was asked" not in client.get(question.get_absolute_url()).content.decode()
