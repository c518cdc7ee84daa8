"""Signing up, the waitlist, leaving (which promotes the next person, told once), cancelling a
session (everyone told once) and the capacity rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from tests.training.builders import make_session
from training.models import Session, SessionSignup
from training.services import sessions as services

CONFIRMED = SessionSignup.Status.CONFIRMED
WAITLISTED = SessionSignup.Status.WAITLISTED


@pytest.fixture
def people(team):
    return [UserFactory(username=f"person{i}", team=team) for i in range(5)]


def _statuses(session: Session) -> list[tuple[str, str]]:
    return [(s.user.username, s.status) for s in session.signups.active().select_related("user")]


def test_it_gives_seats_then_waitlists_in_order(editor, people):
    session = make_session(organiser=editor, capacity=2)
    for person in people[:4]:
        services.session_signup(session=session, user=person)
    assert _statuses(session) == [
        ("person0", CONFIRMED),
        ("person1", CONFIRMED),
        ("person2", WAITLISTED),
        ("person3", WAITLISTED),
    ]


def test_signing_up_twice_changes_nothing(editor, agent):
    session = make_session(organiser=editor, capacity=1)
    first = services.session_signup(session=session, user=agent)
    second = services.session_signup(session=session, user=agent)
    assert first.pk == second.pk
    assert second.signed_up_at == first.signed_up_at
    assert session.signups.count() == 1


def test_leaving_promotes_the_first_waitlisted_and_tells_them_once(editor, people):
    session = make_session(organiser=editor, capacity=1)
    for person in people[:3]:
        services.session_signup(session=session, user=person)
    services.session_leave(session=session, user=people[0])
    assert _statuses(session) == [("person1", CONFIRMED), ("person2", WAITLISTED)]
    promoted = Notification.objects.filter(kind="training.session_promoted")
    assert [n.recipient for n in promoted] == [people[1]]
    assert "seat freed up" in promoted.get().message
    # Another seat freeing up later promotes the next person, not the same one again.
    services.session_leave(session=session, user=people[1])
    assert _statuses(session) == [("person2", CONFIRMED)]
    assert sorted(n.recipient.username for n in promoted.all()) == ["person1", "person2"]


def test_leaving_the_waitlist_promotes_nobody(editor, people):
    session = make_session(organiser=editor, capacity=1)
    for person in people[:3]:
        services.session_signup(session=session, user=person)
    services.session_leave(session=session, user=people[1])
    assert _statuses(session) == [("person0", CONFIRMED), ("person2", WAITLISTED)]
    assert not Notification.objects.filter(kind="training.session_promoted").exists()


def test_signing_up_again_after_leaving_joins_the_back_of_the_queue(editor, people):
    session = make_session(organiser=editor, capacity=1)
    for person in people[:3]:
        services.session_signup(session=session, user=person)
    services.session_leave(session=session, user=people[1])
    again = services.session_signup(session=session, user=people[1])
    assert again.status == WAITLISTED
    assert again.cancelled_at is None
    assert _statuses(session) == [
        ("person0", CONFIRMED),
        ("person2", WAITLISTED),
        ("person1", WAITLISTED),
    ]


def test_promotion_after_rejoining_is_told_again(editor, people):
    session = make_session(organiser=editor, capacity=1)
    services.session_signup(session=session, user=people[0])
    services.session_signup(session=session, user=people[1])
    services.session_leave(session=session, user=people[0])  # people[1] promoted: told
    services.session_leave(session=session, user=people[1])
    services.session_signup(session=session, user=people[0])  # a seat: nobody waits
    services.session_signup(session=session, user=people[1])  # waitlisted again
    services.session_leave(session=session, user=people[0])  # promoted again: told again
    told = Notification.objects.filter(kind="training.session_promoted", recipient=people[1])
    assert told.count() == 2


@pytest.mark.parametrize("days", [-1, 0])
def test_no_sign_ups_once_it_started(editor, agent, days):
    session = make_session(organiser=editor, days=days)
    if days == 0:
        Session.objects.filter(pk=session.pk).update(
            starts_at=timezone.now() - timedelta(minutes=5),
            ends_at=timezone.now() + timedelta(minutes=55),
        )
    with pytest.raises(ValidationError, match="already started"):
        services.session_signup(session=session, user=agent)
    assert not session.signups.exists()


def test_no_sign_ups_for_a_cancelled_session(editor, agent):
    session = make_session(organiser=editor)
    services.session_cancel(session=session, user=editor)
    with pytest.raises(ValidationError, match="cancelled"):
        services.session_signup(session=session, user=agent)
    assert not session.signups.exists()


def test_outsider_cannot_sign_up_for_a_team_session(editor, outsider, team):
    session = make_session(organiser=editor, visibility="teams")
    session.teams.set([team])
    with pytest.raises(PermissionDenied):
        services.session_signup(session=session, user=outsider)
    assert not session.signups.exists()


def test_leaving_without_a_sign_up_is_refused(editor, agent):
    session = make_session(organiser=editor)
    with pytest.raises(ValidationError, match="not signed up"):
        services.session_leave(session=session, user=agent)


def test_cancelling_tells_everyone_signed_up_or_waiting_once(editor, people):
    session = make_session(organiser=editor, capacity=2)
    for person in people[:4]:
        services.session_signup(session=session, user=person)
    services.session_leave(session=session, user=people[3])  # left: not told
    services.session_cancel(session=session, user=editor, reason="The presenter is ill.")
    session.refresh_from_db()
    assert session.is_cancelled
    told = Notification.objects.filter(kind="training.session_cancelled")
    assert sorted(n.recipient.username for n in told) == ["person0", "person1", "person2"]
    assert all("The presenter is ill." in n.message for n in told)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=session, user=editor)
    assert told.count() == 3


def test_only_the_people_running_it_may_cancel(editor, agent):
    session = make_session(organiser=editor, presenters=[editor])
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, user=agent)
    session.refresh_from_db()
    assert not session.is_cancelled


def test_capacity_cannot_go_below_the_seats_taken(editor, people):
    session = make_session(organiser=editor, capacity=3)
    for person in people[:3]:
        services.session_signup(session=session, user=person)
    with pytest.raises(ValidationError) as refusal:
        services.session_update(session=session, user=editor, data={"capacity": 2})
    assert "3 people already have a seat" in str(refusal.value.message_dict["capacity"])
    session.refresh_from_db()
    assert session.capacity == 3


def test_raising_capacity_promotes_the_waitlist(editor, people):
    session = make_session(organiser=editor, capacity=1)
    for person in people[:3]:
        services.session_signup(session=session, user=person)
    services.session_update(session=session, user=editor, data={"capacity": 2})
    assert _statuses(session) == [
        ("person0", CONFIRMED),
        ("person1", CONFIRMED),
        ("person2", WAITLISTED),
    ]
    assert Notification.objects.filter(kind="training.session_promoted").count() == 1


def test_moving_a_session_tells_the_people_signed_up_once(editor, people):
    session = make_session(organiser=editor)
    services.session_signup(session=session, user=people[0])
    later = session.starts_at + timedelta(days=1)
    data = {"starts_at": later, "ends_at": later + timedelta(hours=1)}
    services.session_update(session=session, user=editor, data=data)
    services.session_update(session=session, user=editor, data={"title": "Renamed"})
    changed = Notification.objects.filter(kind="training.session_changed")
    assert [n.recipient for n in changed] == [people[0]]
