"""Deciding on a rotation request: both teams' managers approve (one is not enough), either
may decline with a reason the participant is told, and nobody else decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse
from training.models import Rotation
from training.services.crosstraining import rotation_decide, rotation_request


@pytest.fixture
def host_manager(other_team):
    user = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


@pytest.fixture
def rotation(agent, manager, host_manager, other_team, outsider):
    start = timezone.localdate() + timedelta(days=7)
    return rotation_request(
        participant=agent,
        data={"kind": "rotation", "host_team": other_team, "host_person": outsider,
              "starts_on": start, "ends_on": start + timedelta(days=4), "goals": "Triage"},
    )  # fmt: skip


def _told(person, event: str) -> int:
    return Notification.objects.filter(
        recipient=person, dedupe_key__startswith=f"training.rotation-{event}:"
    ).count()


def test_one_managers_approval_is_not_enough(rotation, manager, host_manager, agent, outsider):
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.manager_approved_by == manager
    assert rotation.host_approved_at is None
    assert _told(agent, "approved") == 0

    rotation_decide(rotation=rotation, manager=host_manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED
    assert rotation.host_approved_by == host_manager
    assert _told(agent, "approved") == 1
    assert _told(outsider, "hosting") == 1  # the colleague who hosts is told too


def test_the_host_side_may_approve_first(rotation, manager, host_manager):
    rotation_decide(rotation=rotation, manager=host_manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED


def test_approving_twice_is_refused_and_changes_nothing(rotation, manager):
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    with pytest.raises(ValidationError, match="already approved"):
        rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED


def test_a_manager_of_both_teams_approves_both_at_once(agent, manager, other_team):
    other_team.managers.add(manager)
    start = timezone.localdate() + timedelta(days=3)
    rotation = rotation_request(
        participant=agent,
        data={"kind": "rotation", "host_team": other_team, "starts_on": start, "ends_on": start},
    )
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED
    assert rotation.manager_approved_by == manager
    assert rotation.host_approved_by == manager


def test_a_decline_needs_a_reason(rotation, host_manager):
    for reason in ("", "   \n "):
        with pytest.raises(ValidationError) as refused:
            rotation_decide(rotation=rotation, manager=host_manager, approve=False, reason=reason)
        assert "reason" in refused.value.message_dict
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED


def test_a_decline_tells_the_participant_why_even_after_one_approval(
    rotation, manager, host_manager, agent
):
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation_decide(rotation=rotation, manager=host_manager, approve=False, reason="Peak season")
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.DECLINED
    assert rotation.decline_reason == "Peak season"
    assert rotation.decided_by == host_manager
    note = Notification.objects.get(recipient=agent, dedupe_key__startswith="training.rotation-")
    assert "Peak season" in note.message
    with pytest.raises(ValidationError, match="already declined"):
        rotation_decide(rotation=rotation, manager=manager, approve=True)


def test_the_other_managers_requests_are_settled_once_decided(rotation, manager, host_manager):
    rotation_decide(rotation=rotation, manager=host_manager, approve=False, reason="Peak season")
    asked = Notification.objects.get(recipient=manager)
    assert asked.read_at is not None


def test_only_the_managers_concerned_decide(rotation, agent, outsider):
    third = UserFactory(team=TeamFactory(slug="sales"), roles=[Role.MANAGER])
    third.team.managers.add(third)
    for person in (agent, outsider, third):
        with pytest.raises(PermissionDenied):
            rotation_decide(rotation=rotation, manager=person, approve=True)
    rotation.refresh_from_db()
    assert rotation.manager_approved_at is None
    assert rotation.host_approved_at is None


def test_a_manager_cannot_approve_their_own_request(team, manager, host_manager, other_team):
    deputy = UserFactory(team=team, roles=[Role.MANAGER])
    team.managers.add(deputy)
    start = timezone.localdate() + timedelta(days=3)
    rotation = rotation_request(
        participant=manager,
        data={"kind": "rotation", "host_team": other_team, "starts_on": start, "ends_on": start},
    )
    assert rotation.manager_approved_at is None  # the other manager of the team decides
    with pytest.raises(PermissionDenied):
        rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation_decide(rotation=rotation, manager=deputy, approve=True)
    rotation.refresh_from_db()
    assert rotation.manager_approved_by == deputy


# The decision page.


def _url(rotation) -> str:
    return f"/training/rotations/{rotation.pk}/decide/"


def test_the_decision_page_is_for_the_managers_concerned(
    client, rotation, manager, agent, outsider
):
    client.force_login(manager)
    response = client.get(_url(rotation))
    assert response.status_code == 200
    assert parse(response).find("form", action=_url(rotation))
    for person in (agent, outsider):  # they see the rotation, but do not decide on it
        client.force_login(person)
        assert client.get(_url(rotation)).status_code == 403
        assert client.post(_url(rotation), {"decision": "approve"}).status_code == 403
    rotation.refresh_from_db()
    assert rotation.manager_approved_at is None


def test_a_manager_of_another_team_gets_404(client, rotation):
    third = UserFactory(team=TeamFactory(slug="sales"), roles=[Role.MANAGER])
    third.team.managers.add(third)
    client.force_login(third)
    assert client.get(_url(rotation)).status_code == 404
    assert client.post(_url(rotation), {"decision": "approve"}).status_code == 404


def test_approving_through_the_page(client, rotation, manager, host_manager):
    for person in (manager, host_manager):
        client.force_login(person)
        response = client.post(_url(rotation), {"decision": "approve", "reason": ""})
        assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED


def test_declining_without_a_reason_is_an_error_beside_it_and_changes_nothing(
    client, rotation, manager
):
    client.force_login(manager)
    response = client.post(_url(rotation), {"decision": "decline", "reason": "  "})
    assert response.status_code == 400
    errors = parse(response).find(id="id_reason_error")
    assert errors
    assert "why" in errors.text()
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.decline_reason == ""


@pytest.mark.parametrize(
    "data",
    [{}, {"decision": "maybe"}, {"decision": "decline", "reason": "x" * 5001}],
)
def test_bad_decisions_are_form_errors(client, rotation, manager, data):
    client.force_login(manager)
    assert client.post(_url(rotation), data).status_code == 400
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.manager_approved_at is None


def test_declining_through_the_page(client, rotation, manager, agent):
    client.force_login(manager)
    response = client.post(_url(rotation), {"decision": "decline", "reason": "Short-staffed"})
    assert response.status_code == 302
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.DECLINED
    client.force_login(agent)
    page = client.get(rotation.get_absolute_url()).content.decode()
    assert "Short-staffed" in page


def test_a_decided_request_sends_managers_back_to_the_page(client, rotation, manager):
    rotation_decide(rotation=rotation, manager=manager, approve=False, reason="No")
    client.force_login(manager)
    response = client.get(_url(rotation))
    assert response.status_code == 302
    assert response.url == rotation.get_absolute_url()
