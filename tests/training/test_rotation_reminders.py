"""Nudges after a rotation: the participant is asked for their reflection once the last day
has come, and the host reminded once if it waits a week for their confirmation. Each once,
however often the sweep runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import reminders_sweep
from people.models import Role
from tests.factories import UserFactory
from training.models import Rotation
from training.services.crosstraining import (
    rotation_confirm,
    rotation_decide,
    rotation_reflect,
    rotation_request,
)


@pytest.fixture
def rotation(agent, manager, other_team, outsider):
    host_manager = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(host_manager)
    start = timezone.localdate() + timedelta(days=5)
    rotation = rotation_request(
        participant=agent,
        data={"kind": "rotation", "host_team": other_team, "host_person": outsider,
              "starts_on": start, "ends_on": start + timedelta(days=2), "goals": "Triage"},
    )  # fmt: skip
    rotation_decide(rotation=rotation, manager=manager, approve=True)
    rotation_decide(rotation=rotation, manager=host_manager, approve=True)
    return rotation


def _sent(kind, user) -> int:
    return Notification.objects.filter(kind=kind, recipient=user).count()


def _end(rotation, *, days_ago: int) -> None:
    last = timezone.localdate() - timedelta(days=days_ago)
    Rotation.objects.filter(pk=rotation.pk).update(starts_on=last - timedelta(days=2), ends_on=last)
    rotation.refresh_from_db()


def test_the_participant_is_asked_for_a_reflection_once_from_the_last_day(rotation, agent):
    reminders_sweep()
    assert _sent("training.rotation_reflection", agent) == 0  # not over yet
    _end(rotation, days_ago=0)
    reminders_sweep()
    reminders_sweep()
    assert _sent("training.rotation_reflection", agent) == 1


def test_nobody_is_asked_once_the_reflection_is_written(rotation, agent):
    _end(rotation, days_ago=1)
    rotation_reflect(rotation=rotation, user=agent, reflection="Tag tickets before triage.")
    reminders_sweep()
    assert _sent("training.rotation_reflection", agent) == 0


def test_the_host_is_reminded_once_after_a_week_without_confirming(rotation, agent, outsider):
    _end(rotation, days_ago=10)
    rotation_reflect(rotation=rotation, user=agent, reflection="Tag tickets before triage.")
    reminders_sweep()
    assert _sent("training.rotation_confirmation", outsider) == 0  # told already, just now
    later = timezone.now() + timedelta(days=8)
    reminders_sweep(now=later)
    reminders_sweep(now=later)
    assert _sent("training.rotation_confirmation", outsider) == 1


def test_a_confirmed_reflection_needs_no_reminder(rotation, agent, outsider):
    _end(rotation, days_ago=10)
    rotation_reflect(rotation=rotation, user=agent, reflection="Tag tickets before triage.")
    rotation_confirm(rotation=rotation, host=outsider)
    reminders_sweep(now=timezone.now() + timedelta(days=8))
    assert _sent("training.rotation_confirmation", outsider) == 0
