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
# manage, those teams' upcoming rotations and the managers whose approval is awaited (6).
LIST_QUERIES = 9
# The session, the user and their roles (3), the rotation with its people, the viewer's
# managed teams, and the managers still to approve.
DETAIL_QUERIES = 6


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
    assert f"Waiting for {manager.name} and {host_manager.name}" in mine.text()
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
    assert (
        f"Waiting for {manager.name}" in page.find("section", aria_labelledby="approvals-h").text()
    )
    assert page.find("form", action=f"/training/rotations/{rotation.pk}/cancel/")
    assert not page.find("form", action=f"/training/rotations/{rotation.pk}/decide/")
    client.force_login(host_manager)
    page = parse(client.get(url))
    assert page.find("form", action=f"/training/rotations/{rotation.pk}/decide/")
    assert not page.find("form", action=f"/training/rotations/{rotation.pk}/cancel/")


def _text(element) -> str:
    return " ".join(element.text().split())


def test_the_awaited_manager_reads_waiting_for_you_and_gets_a_review_button(
    client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    client.force_login(host_manager)
    page = parse(client.get("/training/rotations/"))
    awaiting = page.find("section", aria_labelledby="awaiting-h")
    assert f"Waiting for {manager.name} and you" in _text(awaiting)
    review = awaiting.find("a", href=f"/training/rotations/{rotation.pk}/decide/")
    assert _text(review).startswith("Review")
    detail = parse(client.get(rotation.get_absolute_url()))
    approvals = _text(detail.find("section", aria_labelledby="approvals-h"))
    assert f"Waiting for {manager.name}" in approvals
    assert "Waiting for you" in approvals
    assert host_manager.name not in approvals


def test_a_manager_who_approved_sees_when_and_no_form(
    client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    client.force_login(manager)
    page = parse(client.get(rotation.get_absolute_url()))
    approvals = _text(page.find("section", aria_labelledby="approvals-h"))
    assert f"You approved on {timezone.localdate():%-d %b %Y}" in approvals
    assert f"Waiting for {host_manager.name}" in approvals
    assert not page.find("form", action=f"/training/rotations/{rotation.pk}/decide/")
    response = client.get(f"/training/rotations/{rotation.pk}/decide/")
    assert response.status_code == 302
    # A decline sent anyway is not taken: the form was not offered.
    response = client.post(
        f"/training/rotations/{rotation.pk}/decide/", {"decision": "decline", "reason": "No"}
    )
    assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED


def test_the_decision_is_two_buttons_and_the_facts_come_first(
    client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    client.force_login(manager)
    page = parse(client.get(rotation.get_absolute_url()))
    action = f"/training/rotations/{rotation.pk}/decide/"
    approve, decline = page.find_all("form", action=action)
    assert approve.find("input", name="decision", value="approve")
    assert _text(approve.find("button")).startswith("Approve")
    details = page.find("details", class_="decision-decline")
    assert _text(details.find("summary")) == "Decline…"
    assert decline.find("input", name="decision", value="decline")
    assert decline.find("textarea", name="reason")
    assert not page.find("input", type="radio")
    html = client.get(rotation.get_absolute_url()).content.decode()
    assert html.index('aria-label="Details"') < html.index(f'action="{action}"')
    assert html.index('id="goals-h"') < html.index(f'action="{action}"')


def test_a_refused_decline_opens_the_reason_box(client, agent, manager, host_manager, other_team):
    rotation = _request(agent, other_team, 5)
    client.force_login(manager)
    response = client.post(f"/training/rotations/{rotation.pk}/decide/", {"decision": "decline"})
    assert response.status_code == 400
    details = parse(response).find("details", class_="decision-decline")
    assert "open" in details.attrs
    assert details.find(id="id_reason_error")


def test_past_rotations_say_completed_or_reflection_due(
    client, agent, manager, host_manager, other_team, outsider
):
    def ended(offset: int, host_person=None):
        rotation = _request(agent, other_team, offset, host_person=host_person)
        rotation_decide(rotation=rotation, manager=manager, approve=True)
        rotation_decide(rotation=rotation, manager=host_manager, approve=True)
        Rotation.objects.filter(pk=rotation.pk).update(
            starts_on=timezone.localdate() - timedelta(days=offset + 1),
            ends_on=timezone.localdate() - timedelta(days=offset),
        )
        return rotation

    done = ended(20, host_person=outsider)
    Rotation.objects.filter(pk=done.pk).update(
        reflection="Macros", host_confirmed_at=timezone.now(), host_confirmed_by=outsider
    )
    ended(10)
    written = ended(4)
    Rotation.objects.filter(pk=written.pk).update(reflection="Tags")
    client.force_login(agent)
    rows = (
        parse(client.get("/training/rotations/"))
        .find("section", aria_labelledby="mine-h")
        .find_all("tr")[1:]
    )
    assert [_text(row.find_all("td")[-1]) for row in rows] == [
        "Waiting for the host to confirm",
        "Reflection due",
        "Completed",
    ]
    page = parse(client.get(done.get_absolute_url()))
    assert _text(page.find("div", class_="page-head")).endswith("Completed")


def test_empty_lists_are_a_sentence_not_an_empty_table(client, manager, team):
    client.force_login(manager)
    page = parse(client.get("/training/rotations/"))
    mine = page.find("section", aria_labelledby="mine-h")
    assert not mine.find("table")
    assert "You have not asked for a rotation yet." in _text(mine)
    section = page.find("section", aria_labelledby=f"team-{team.pk}-h")
    assert not section.find("table")
    assert "Nobody is coming in." in _text(section)
    assert "Nobody is going out." in _text(section)


def test_the_pages_say_rotations_and_shadowing(
    agent_client, agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team, 5)
    for url in ("/training/rotations/", "/training/rotations/new/", rotation.get_absolute_url(),
                "/training/external/"):  # fmt: skip
        html = agent_client.get(url).content.decode()
        assert "Cross-training" not in html
        assert "Rotations and shadowing" in html
    page = parse(agent_client.get("/training/rotations/"))
    assert _text(page.find("h1")) == "Rotations and shadowing"


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
