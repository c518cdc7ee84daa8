"""After a rotation: the participant writes what they learned (from the last day on), the
host confirms it, and it is shared once as a draft lesson learned in kb's review queue.
Before it starts, the participant may cancel it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kb.models import Article
from notifications.models import Notification
from people.models import Role
from tests.factories import UserFactory
from tests.search.pages import parse
from training.models import Rotation
from training.services.crosstraining import (
    rotation_cancel,
    rotation_confirm,
    rotation_decide,
    rotation_reflect,
    rotation_request,
    rotation_share,
)


@pytest.fixture
def host_manager(other_team):
    user = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


def _approved(agent, manager, host_manager, other_team, host_person=None, *, ended=0):
    """An approved rotation that ended `ended` days ago (0: today is its last day)."""
    start = timezone.localdate() + timedelta(days=5)
    rotation = rotation_request(
        participant=agent,
        data={"kind": "rotation", "host_team": other_team, "host_person": host_person,
              "starts_on": start, "ends_on": start + timedelta(days=2), "goals": "Triage"},
    )  # fmt: skip
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation_decide(rotation=rotation, manager=host_manager, approve=True)
    last = timezone.localdate() - timedelta(days=ended)
    Rotation.objects.filter(pk=rotation.pk).update(starts_on=last - timedelta(days=2), ends_on=last)
    rotation.refresh_from_db()
    return rotation


@pytest.fixture
def rotation(agent, manager, host_manager, other_team, outsider):
    return _approved(agent, manager, host_manager, other_team, outsider, ended=1)


def test_the_participant_writes_and_the_host_person_confirms(rotation, agent, outsider):
    rotation_reflect(rotation=rotation, user=agent, reflection="  Tag tickets before triage.  ")
    rotation.refresh_from_db()
    assert rotation.reflection == "Tag tickets before triage."
    assert rotation.reflected_at is not None
    assert Notification.objects.filter(
        recipient=outsider, dedupe_key__startswith="training.rotation-reflected:"
    ).exists()
    rotation_confirm(rotation=rotation, host=outsider)
    rotation.refresh_from_db()
    assert rotation.host_confirmed_by == outsider
    with pytest.raises(ValidationError, match="already confirmed"):
        rotation_reflect(rotation=rotation, user=agent, reflection="Rewritten")


def test_the_last_day_is_the_first_day_to_reflect(agent, manager, host_manager, other_team):
    today = _approved(agent, manager, host_manager, other_team, ended=0)
    rotation_reflect(rotation=today, user=agent, reflection="Learned a lot.")
    Rotation.objects.filter(pk=today.pk).update(
        starts_on=timezone.localdate() + timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=31),
        reflection="",
    )
    today.refresh_from_db()
    with pytest.raises(ValidationError, match="last day"):
        rotation_reflect(rotation=today, user=agent, reflection="Too early")


def test_only_the_participant_reflects(rotation, manager, host_manager, outsider):
    for person in (manager, host_manager, outsider):
        with pytest.raises(PermissionDenied):
            rotation_reflect(rotation=rotation, user=person, reflection="Not mine to write")
    rotation.refresh_from_db()
    assert rotation.reflection == ""


def test_an_empty_reflection_is_refused(rotation, agent):
    with pytest.raises(ValidationError) as refused:
        rotation_reflect(rotation=rotation, user=agent, reflection=" \n ")
    assert "reflection" in refused.value.message_dict


def test_without_a_host_person_a_host_team_manager_confirms(
    agent, manager, host_manager, other_team
):
    rotation = _approved(agent, manager, host_manager, other_team, ended=2)
    with pytest.raises(ValidationError, match="no reflection"):
        rotation_confirm(rotation=rotation, host=host_manager)
    rotation_reflect(rotation=rotation, user=agent, reflection="Learned a lot.")
    with pytest.raises(PermissionDenied):
        rotation_confirm(rotation=rotation, host=manager)  # the participant's own manager
    with pytest.raises(PermissionDenied):
        rotation_confirm(rotation=rotation, host=agent)
    rotation_confirm(rotation=rotation, host=host_manager)
    rotation.refresh_from_db()
    assert rotation.host_confirmed_by == host_manager


def test_sharing_makes_a_draft_in_kbs_review_queue_by_the_participant(
    rotation, agent, outsider, editor
):
    rotation_reflect(rotation=rotation, user=agent, reflection="Tag tickets before triage.")
    with pytest.raises(ValidationError, match="confirmed"):
        rotation_share(rotation=rotation, user=agent)
    rotation_confirm(rotation=rotation, host=outsider)
    with pytest.raises(PermissionDenied):
        rotation_share(rotation=rotation, user=outsider)
    article = rotation_share(rotation=rotation, user=agent)
    rotation.refresh_from_db()
    assert rotation.article == article
    assert article.author == agent
    assert article.type == Article.Type.BEST_PRACTICE
    assert Article.objects.awaiting_review().filter(pk=article.pk).exists()
    assert "Tag tickets before triage." in article.latest_revision.body
    assert rotation.get_absolute_url() in article.latest_revision.body
    assert Notification.objects.filter(recipient=editor, kind="kb.review").exists()
    with pytest.raises(ValidationError, match="already shared"):
        rotation_share(rotation=rotation, user=agent)
    assert Article.objects.filter(author=agent).count() == 1


def test_the_pages_walk_through_reflect_confirm_and_share(client, rotation, agent, outsider):
    client.force_login(agent)
    page = parse(client.get(rotation.get_absolute_url()))
    assert page.find("form", action=f"/training/rotations/{rotation.pk}/reflect/")
    response = client.post(f"/training/rotations/{rotation.pk}/reflect/", {"reflection": ""})
    assert response.status_code == 400
    assert parse(response).find(id="id_reflection_error")
    response = client.post(
        f"/training/rotations/{rotation.pk}/reflect/", {"reflection": "Tag tickets first."}
    )
    assert response.status_code == 302
    assert client.post(f"/training/rotations/{rotation.pk}/confirm/").status_code == 403
    assert client.post(f"/training/rotations/{rotation.pk}/share/").status_code == 302
    rotation.refresh_from_db()
    assert rotation.article is None  # refused with a message: not confirmed yet

    client.force_login(outsider)
    assert (
        client.post(f"/training/rotations/{rotation.pk}/reflect/", {"reflection": "x"}).status_code
        == 403
    )
    assert client.post(f"/training/rotations/{rotation.pk}/share/").status_code == 403
    assert client.post(f"/training/rotations/{rotation.pk}/confirm/").status_code == 302
    client.force_login(agent)
    assert client.post(f"/training/rotations/{rotation.pk}/share/").status_code == 302
    rotation.refresh_from_db()
    assert rotation.article.author == agent
    page = client.get(rotation.get_absolute_url()).content.decode()
    assert rotation.article.get_absolute_url() in page


@pytest.mark.parametrize("method", ["get", "put"])
def test_actions_refuse_other_methods(client, rotation, agent, method):
    client.force_login(agent)
    for action in ("cancel", "confirm", "share"):
        response = getattr(client, method)(f"/training/rotations/{rotation.pk}/{action}/")
        assert response.status_code == 405


def test_the_participant_cancels_before_the_first_day(
    agent, manager, host_manager, other_team, outsider
):
    start = timezone.localdate() + timedelta(days=5)
    rotation = rotation_request(
        participant=agent,
        data={"kind": "shadowing", "host_person": outsider, "starts_on": start, "goals": ""},
    )
    with pytest.raises(PermissionDenied):
        rotation_cancel(rotation=rotation, user=manager)
    rotation_cancel(rotation=rotation, user=agent)
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.CANCELLED
    for person in (manager, host_manager):
        assert Notification.objects.filter(
            recipient=person, dedupe_key__startswith="training.rotation-cancelled:"
        ).exists()
    with pytest.raises(ValidationError):
        rotation_cancel(rotation=rotation, user=agent)


def test_a_started_rotation_cannot_be_cancelled(client, rotation, agent):
    with pytest.raises(ValidationError):
        rotation_cancel(rotation=rotation, user=agent)
    client.force_login(agent)
    client.post(f"/training/rotations/{rotation.pk}/cancel/")
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED
