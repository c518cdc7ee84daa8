"""Managers pairing at the same moment: a mentor's last slot goes to exactly one mentee and
the others are told the mentor is at capacity; a mentee assigned twice at once gets one
mentor; a request answered and withdrawn at once ends one way only.

Truly parallel on PostgreSQL, where the lock on the mentor's profile (and the pairing's row
for answers) is what keeps the count right (CI runs the suite on it with DATABASE_URL set);
SQLite serialises the writers, and the same assertions must hold there too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mentorship.models import Milestone, Pairing, Program
from mentorship.services import pairings as services
from notifications.models import Notification
from people.models import Role
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ASSIGNED = "assigned"


def _managers(team, count: int) -> list:
    people = [UserFactory(team=team, roles=[Role.MANAGER]) for _ in range(count)]
    team.managers.add(*people)
    return people


def _assign(program_pk: int, mentee, mentor, manager) -> str:
    """One manager's assignment, as the assign page makes it: the outcome, or the refusal."""
    try:
        services.pairing_assign(
            program=Program.objects.get(pk=program_pk),
            mentee=mentee,
            mentor=mentor,
            manager=manager,
        )
    except ValidationError as refused:
        return " ".join(refused.messages)
    return ASSIGNED


def test_two_managers_taking_a_mentor_s_last_slot_at_once_make_one_pairing(mentor, team):
    make_profile(mentor, capacity=1)
    program = make_program()
    managers = _managers(team, 2)
    mentees = [UserFactory(team=team) for _ in range(2)]

    outcomes = run_in_threads(
        lambda i: _assign(program.pk, mentees[i], mentor, managers[i]), count=2
    )

    assert outcomes.count(ASSIGNED) == 1
    (refusal,) = [o for o in outcomes if o != ASSIGNED]
    assert "At capacity: 1 of 1 mentees." in refusal
    assert Pairing.objects.count() == 1
    assert Notification.objects.filter(recipient=mentor, kind="mentorship.request").count() == 1


def test_many_managers_at_once_never_exceed_a_mentor_s_capacity(mentor, team):
    make_profile(mentor, capacity=3)
    program = make_program()
    managers = _managers(team, 8)
    mentees = [UserFactory(team=team) for _ in range(8)]

    outcomes = run_in_threads(
        lambda i: _assign(program.pk, mentees[i], mentor, managers[i]), count=8
    )

    assert outcomes.count(ASSIGNED) == 3
    assert all("At capacity: 3 of 3 mentees." in o for o in outcomes if o != ASSIGNED)
    assert Pairing.objects.filter(mentor=mentor).live().count() == 3


def test_one_mentee_assigned_by_two_managers_at_once_gets_one_mentor(agent, team):
    program = make_program()
    managers = _managers(team, 2)
    mentors = [UserFactory(team=team) for _ in range(2)]
    for person in mentors:
        make_profile(person, capacity=2)

    outcomes = run_in_threads(
        lambda i: _assign(program.pk, agent, mentors[i], managers[i]), count=2
    )

    assert outcomes.count(ASSIGNED) == 1
    assert Pairing.objects.filter(mentee=agent).count() == 1
    assert Pairing.objects.get(mentee=agent).request is not None


def test_one_mentee_assigned_the_same_mentor_twice_at_once_gets_one_pairing(mentor, agent, team):
    make_profile(mentor, capacity=2)
    program = make_program()
    managers = _managers(team, 4)

    outcomes = run_in_threads(lambda i: _assign(program.pk, agent, mentor, managers[i]), count=4)

    assert outcomes.count(ASSIGNED) == 1
    assert Pairing.objects.count() == 1
    assert Notification.objects.filter(recipient=mentor, kind="mentorship.request").count() == 1


def test_a_request_accepted_and_withdrawn_at_once_ends_one_way_only(mentor, agent, other_team):
    program = make_program(milestones=[("Kick-off", 7)])
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)

    def act(i: int) -> str:
        fresh = Pairing.objects.get(pk=pairing.pk)
        try:
            if i == 0:
                services.pairing_accept(pairing=fresh, mentor=mentor)
            else:
                services.pairing_withdraw(pairing=fresh, user=agent)
        except ValidationError:
            return "refused"
        return "done"

    outcomes = run_in_threads(act, count=2)

    assert sorted(outcomes) == ["done", "refused"]
    pairing.refresh_from_db()
    if pairing.is_active:
        assert Milestone.objects.filter(pairing=pairing).count() == 1
    else:
        assert pairing.status == Pairing.Status.WITHDRAWN
        assert not Milestone.objects.exists()
