"""Sign-ups and departures racing on one session: the capacity is never exceeded, the rest
wait in the order they came, and freed seats go to the first in the queue, told once.

Truly parallel on PostgreSQL, where the session row's lock is what keeps the count right
(CI runs the suite on it with DATABASE_URL set); SQLite serialises the writers, and the same
assertions must hold there too, so the test runs on both rather than skipping on one."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.training.builders import make_session
from training.models import Session, SessionSignup
from training.services import sessions as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONFIRMED = SessionSignup.Status.CONFIRMED
WAITLISTED = SessionSignup.Status.WAITLISTED


def _sign_up(session_pk: int, user) -> str:
    session = Session.objects.get(pk=session_pk)
    return services.session_signup(session=session, user=user).status


def test_twenty_simultaneous_sign_ups_never_exceed_capacity(editor, team):
    people = [UserFactory(team=team) for _ in range(20)]
    session = make_session(organiser=editor, capacity=5)

    outcomes = run_in_threads(lambda i: _sign_up(session.pk, people[i]), count=20)

    assert outcomes.count(CONFIRMED) == 5
    assert outcomes.count(WAITLISTED) == 15
    assert session.signups.confirmed().count() == 5
    queue = list(session.signups.waitlisted())
    assert len(queue) == 15
    # The queue is the order the sign-ups got the session's lock: by time and by id alike,
    # and everyone with a seat came before everyone waiting.
    assert [s.pk for s in queue] == sorted(s.pk for s in queue)
    seated = session.signups.confirmed()
    assert max(s.signed_up_at for s in seated) <= queue[0].signed_up_at
    assert max(s.pk for s in seated) < queue[0].pk


def test_simultaneous_departures_promote_the_queue_in_order_each_told_once(editor, team):
    people = [UserFactory(team=team) for _ in range(12)]
    session = make_session(organiser=editor, capacity=4)
    for person in people:
        services.session_signup(session=session, user=person)
    queue = [s.user_id for s in session.signups.waitlisted()]

    run_in_threads(
        lambda i: services.session_leave(
            session=Session.objects.get(pk=session.pk), user=people[i]
        ),
        count=4,
    )

    seated = set(session.signups.confirmed().values_list("user_id", flat=True))
    assert seated == set(queue[:4])
    assert [s.user_id for s in session.signups.waitlisted()] == queue[4:]
    told = Notification.objects.filter(kind="training.session_promoted")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(queue[:4])


def test_one_person_clicking_twenty_times_gets_one_sign_up(editor, agent):
    session = make_session(organiser=editor, capacity=5)

    outcomes = run_in_threads(lambda i: _sign_up(session.pk, agent), count=20)

    assert outcomes == [CONFIRMED] * 20
    assert session.signups.count() == 1
