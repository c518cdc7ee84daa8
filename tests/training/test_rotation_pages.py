"""The rotation pages: the list (mine, colleagues coming to me, and for managers each
team's upcoming rotations and the requests waiting for them), the detail page with what the
viewer may do, 404 for anyone who may not see a rotation, and pinned query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse
from training.models import Rotation
from training.services.crosstraining import rotation_decide, rotation_request

SIZES = [2, 8]
# Measured at both sizes, on SQLite and PostgreSQL: the session, the user and their roles (3),
# then their rotations counted and one page of them, the ones they host, the teams they
# manage and those teams' upcoming rotations (5).
LIST_QUERIES = 8
# The session, the user and their roles (3), the rotation with its people, the viewer's
# managed teams, and the managers still to approve, per team (2).
DETAIL_QUERIES = 7


@pytest.fixture
def host_manager(other_team):
    user = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


def _request(participant, host_team, offset: int, **data):
    start = timezone.localdate() + timedelta(days=offset)
    data = {"kind": "rotation", "host_team": host_team, "starts_on": start,
            "ends_on": start + timedelta(days=1), "goals": "Learn", **data}  # fmt: skip
    return rotation_request(participant=participant, data=data)


def test_the_list_shows_my_rotations_and_the_request_button(
    agent_client, agent, manager, host_manager, other_team
):
    _request(agent, other_team, 5)
    response = agent_client.get("/training/rotations/")
    page = parse(response)
    assert response.status_code == 200
    assert page.find("a", href="/training/rotations/new/")
    mine = page.find("section", aria_labelledby="mine-h")
    assert "Technical Support" in mine.text()
    assert "Waiting for approval" in mine.text()
    assert not page.find("section", aria_labelledby="awaiting-h")


def test_a_manager_sees_incoming_and_outgoing_per_team_and_what_waits_for_them(
    client, agent, outsider, manager, host_manager, team, other_team
):
    going_out = _request(agent, other_team, 5)
    coming_in = _request(outsider, team, 9)
    rotation_decide(rotation=coming_in, manager=host_manager, approve=True)
    past = _request(agent, other_team, 20)
    Rotation.objects.filter(pk=past.pk).update(
        starts_on=timezone.localdate() - timedelta(days=9),
        ends_on=timezone.localdate() - timedelta(days=8),
    )
    client.force_login(manager)
    page = parse(client.get("/training/rotations/"))
    awaiting = page.find("section", aria_labelledby="awaiting-h").text()
    assert agent.name in awaiting
    assert outsider.name in awaiting
    section = page.find("section", aria_labelledby=f"team-{team.pk}-h")
    tables = section.find_all("table")
    assert [a.attrs["href"] for a in tables[0].find_all("a") if "rotations" in a.attrs["href"]] == [
        coming_in.get_absolute_url()
    ]
    assert [a.attrs["href"] for a in tables[1].find_all("a") if "rotations" in a.attrs["href"]] == [
        going_out.get_absolute_url()  # the past one is not upcoming
    ]


def test_an_approval_given_leaves_the_waiting_list(
    client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    client.force_login(manager)
    page = parse(client.get("/training/rotations/"))
    assert not page.find("section", aria_labelledby="awaiting-h")


def test_the_host_person_sees_who_is_coming(client, agent, outsider, manager, host_manager):
    _request(agent, None, 4, kind="shadowing", host_person=outsider, ends_on=None)
    client.force_login(outsider)
    page = parse(client.get("/training/rotations/"))
    assert agent.name in page.find("section", aria_labelledby="hosting-h").text()


def test_the_detail_page_shows_state_and_the_viewers_actions(
    client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    url = rotation.get_absolute_url()
    client.force_login(agent)
    page = parse(client.get(url))
    assert "Waiting" in page.find("section", aria_labelledby="approvals-h").text()
    assert manager.name in page.find("section", aria_labelledby="approvals-h").text()
    assert page.find("form", action=f"/training/rotations/{rotation.pk}/cancel/")
    assert not page.find("form", action=f"/training/rotations/{rotation.pk}/decide/")
    client.force_login(host_manager)
    page = parse(client.get(url))
    assert page.find("form", action=f"/training/rotations/{rotation.pk}/decide/")
    assert not page.find("form", action=f"/training/rotations/{rotation.pk}/cancel/")


def test_outsiders_get_404_for_others_rotations(client, agent, manager, host_manager, other_team):
    rotation = _request(agent, other_team, 5)
    stranger = UserFactory(team=TeamFactory(slug="sales"), roles=[Role.AGENT])
    colleague = UserFactory(team=agent.team, roles=[Role.AGENT])  # same team, not a manager
    for person in (stranger, colleague):
        client.force_login(person)
        assert client.get(rotation.get_absolute_url()).status_code == 404
        for action in ("decide", "reflect"):
            assert client.get(f"/training/rotations/{rotation.pk}/{action}/").status_code == 404
        for action in ("decide", "cancel", "reflect", "confirm", "share"):
            url = f"/training/rotations/{rotation.pk}/{action}/"
            assert client.post(url, {"decision": "approve"}).status_code == 404
        assert (
            rotation.get_absolute_url() not in client.get("/training/rotations/").content.decode()
        )
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.manager_approved_at is None


def test_a_missing_rotation_is_404(agent_client):
    assert agent_client.get("/training/rotations/999999/").status_code == 404


@pytest.mark.parametrize("size", SIZES)
def test_the_list_query_count_is_constant(
    client, team, other_team, manager, host_manager, size, django_assert_max_num_queries
):
    third = TeamFactory(slug="sales", name="Sales")
    third_manager = UserFactory(team=third, roles=[Role.MANAGER])
    third.managers.add(third_manager)
    other_team.managers.add(manager)  # manages two teams: two sections
    for i in range(size):
        ours = UserFactory(team=team, roles=[Role.AGENT])
        theirs = UserFactory(team=third, roles=[Role.AGENT])
        _request(ours, third, 3 + i, host_person=third_manager)
        _request(theirs, team, 3 + i, host_person=ours)
        _request(theirs, other_team, 20 + i)
        _request(manager, third, 40 + 3 * i)
        _request(theirs, None, 60 + i, kind="shadowing", host_person=manager, ends_on=None)
    client.force_login(manager)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/training/rotations/")
    assert response.status_code == 200
    page = parse(response)
    assert len(page.find("section", aria_labelledby="mine-h").find_all("tr")) == size + 1
    assert len(page.find("section", aria_labelledby="hosting-h").find_all("tr")) == size + 1


@pytest.mark.parametrize("size", SIZES)
def test_the_detail_query_count_is_constant(
    client, agent, manager, host_manager, other_team, size, django_assert_max_num_queries
):
    for _ in range(size):
        extra = UserFactory(team=other_team, roles=[Role.MANAGER])
        other_team.managers.add(extra)
    rotation = _request(agent, other_team, 5)
    client.force_login(host_manager)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(rotation.get_absolute_url())
    assert response.status_code == 200
