"""Managers assigning one track to one team at the same moment, while its people enrol
themselves (truly parallel on PostgreSQL): no error, one enrolment per person, and each
person told once per due date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.training.builders import make_track
from training.models import Enrolment, Track
from training.services.assignments import track_assign

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_assignments_and_self_enrolments_make_one_enrolment_each(team, editor):
    managers = [UserFactory(team=team, roles=[Role.MANAGER]) for _ in range(4)]
    team.managers.add(*managers)
    people = [UserFactory(team=team, roles=[Role.AGENT]) for _ in range(4)]
    track = make_track(owner=editor, title="Calm calls", task=True)
    due = timezone.localdate() + timedelta(days=10)

    def act(i: int) -> str:
        fresh = Track.objects.get(pk=track.pk)
        if i < len(managers):
            track_assign(track=fresh, manager=managers[i], team=team, due_on=due)
            return "assigned"
        try:  # a learner enrolling themselves, as the catalogue does
            with transaction.atomic():
                Enrolment.objects.create(user=people[i - len(managers)], track=fresh)
        except IntegrityError:
            return "already"
        return "enrolled"

    outcomes = run_in_threads(act, count=len(managers) + len(people))
    assert outcomes[: len(managers)] == ["assigned"] * len(managers)

    members = {p.pk for p in (*managers, *people, editor)}
    rows = list(Enrolment.objects.filter(track=track).values_list("user_id", "due_on"))
    assert sorted(user for user, _ in rows) == sorted(members)
    assert {due_on for _, due_on in rows} == {due}
    for person in people:
        keys = Notification.objects.filter(recipient=person, kind="training.assigned")
        assert keys.count() == 1
