"""The day-before reminder: everyone with a seat, exactly once however often the sweep runs
(or if it missed a run); again if the session moves; never for the waitlist, for people who
left, or for a cancelled session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import reminders_sweep
from tests.factories import UserFactory
from tests.training.builders import make_session
from training.services import sessions as services

KIND = "training.session_reminder"


def _reminded(now) -> list[str]:
    reminders_sweep(now=now)
    return sorted(
        Notification.objects.filter(kind=KIND).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def session(editor):
    start = timezone.now() + timedelta(hours=30)
    return make_session(organiser=editor, starts_at=start, capacity=1)


def test_everyone_with_a_seat_is_reminded_once_the_day_before(session, agent, team):
    waiting = UserFactory(username="waiting", team=team)
    services.session_signup(session=session, user=agent)
    services.session_signup(session=session, user=waiting)
    now = timezone.now()
    assert _reminded(now) == []  # 30 hours ahead: not yet
    day_before = session.starts_at - timedelta(hours=23)
    assert _reminded(day_before) == ["agent"]
    # The sweep runs every few minutes: still once.
    for minutes in (5, 10, 600):
        assert _reminded(day_before + timedelta(minutes=minutes)) == ["agent"]


def test_a_missed_sweep_still_reminds_before_the_start(session, agent):
    services.session_signup(session=session, user=agent)
    assert _reminded(session.starts_at - timedelta(hours=2)) == ["agent"]


def test_nothing_once_it_started(session, agent):
    services.session_signup(session=session, user=agent)
    assert _reminded(session.starts_at + timedelta(minutes=1)) == []


def test_no_reminder_for_people_who_left_or_a_cancelled_session(session, editor, agent, team):
    services.session_signup(session=session, user=agent)
    services.session_leave(session=session, user=agent)
    assert _reminded(session.starts_at - timedelta(hours=10)) == []
    other = make_session(organiser=editor, title="Called off", starts_at=session.starts_at)
    services.session_signup(session=other, user=UserFactory(username="someone", team=team))
    services.session_cancel(session=other, user=editor)
    assert _reminded(session.starts_at - timedelta(hours=10)) == []


def test_a_moved_session_reminds_again(session, agent, editor):
    services.session_signup(session=session, user=agent)
    assert _reminded(session.starts_at - timedelta(hours=10)) == ["agent"]
    later = session.starts_at + timedelta(days=2)
    services.session_update(
        session=session,
        user=editor,
        data={"starts_at": later, "ends_at": later + timedelta(hours=1)},
    )
    assert _reminded(later - timedelta(hours=10)) == ["agent", "agent"]


def test_the_reminder_reads_on_the_recipients_clock(editor, agent):
    agent.timezone = "America/New_York"
    agent.save()
    start = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
    session = make_session(organiser=editor, title="Refunds", starts_at=start, location="Room 2")
    session.signups.create(user=agent, status="confirmed")
    reminders_sweep(now=start - timedelta(hours=20))
    message = Notification.objects.get(kind=KIND).message
    assert (
        message == "Reminder: “Refunds” starts Tue 4 Mar 2031, 10:00 (America/New_York), in Room 2."
    )
