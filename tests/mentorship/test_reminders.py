"""Nudges about meeting: the day before a meeting (both, by each one's own calendar, again
when it moves); a pair that logged no meeting for a cadence plus the grace period (both);
a pair at risk after two cadences (the mentee's managers). Each once however often the
sweep runs, and never for pairings that are not active or people who left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from mentorship.models import Meeting, Pairing
from mentorship.services import pairings as services
from notifications.models import Notification
from notifications.services import reminders_sweep
from people.models import Role
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_program

TOMORROW = "mentorship.meeting_tomorrow"
NO_MEETING = "mentorship.no_meeting"
AT_RISK = "mentorship.at_risk"


@pytest.fixture
def program(db):
    return make_program(cadence_days=14)


@pytest.fixture
def pairing(program, mentor, agent):
    return make_pairing(program=program, mentor=mentor, mentee=agent)


def sent(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def sweep(now: datetime, times: int = 2) -> None:
    """The beat runs every few minutes: sweeping twice shows "once"."""
    for _ in range(times):
        reminders_sweep(now=now)


def meet(pairing: Pairing, starts_at: datetime) -> Meeting:
    return Meeting.objects.create(pairing=pairing, starts_at=starts_at, created_by=pairing.mentee)


def start_of(pairing: Pairing) -> datetime:
    """Midnight UTC of the start: the last contact of a pair that has not met."""
    return datetime.combine(pairing.started_on, datetime.min.time(), tzinfo=UTC)


# Meeting tomorrow.


def test_both_members_hear_once_the_day_before_a_meeting(pairing):
    today_9 = timezone.now().astimezone(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    meet(pairing, today_9 + timedelta(days=1, hours=1))
    sweep(today_9 - timedelta(days=1))
    assert sent(TOMORROW) == []  # two days ahead
    sweep(today_9)
    sweep(today_9 + timedelta(hours=14, minutes=59))
    assert sent(TOMORROW) == ["agent", "mentor"]
    note = Notification.objects.get(kind=TOMORROW, recipient=pairing.mentor)
    assert note.message == (
        f"Your mentoring meeting with {pairing.mentee.name} is tomorrow at 10:00 (UTC)."
    )
    assert note.url == pairing.get_absolute_url()


def test_the_time_reads_on_the_recipients_clock(pairing, agent):
    agent.timezone = "Europe/Paris"
    agent.save(update_fields=["timezone"])
    meet(pairing, datetime(2030, 1, 15, 9, 0, tzinfo=UTC))
    sweep(datetime(2030, 1, 14, 12, 0, tzinfo=UTC))
    note = Notification.objects.get(kind=TOMORROW, recipient=agent)
    assert note.message == (
        f"Your mentoring meeting with {pairing.mentor.name} is tomorrow at 10:00 (Europe/Paris)."
    )


def test_tomorrow_is_each_members_own(pairing, agent, mentor):
    agent.timezone = "Pacific/Auckland"  # UTC+13 in March
    agent.save(update_fields=["timezone"])
    mentor.timezone = "America/Los_Angeles"  # UTC-8 in early March
    mentor.save(update_fields=["timezone"])
    now = datetime(2030, 3, 4, 20, 0, tzinfo=UTC)  # 5 Mar 09:00 in Auckland, 4 Mar 12:00 in LA
    meet(pairing, datetime(2030, 3, 5, 5, 0, tzinfo=UTC))  # today for both
    sweep(now)
    assert sent(TOMORROW) == []
    meet(pairing, datetime(2030, 3, 6, 9, 0, tzinfo=UTC))  # 6 Mar 22:00 / 6 Mar 01:00
    sweep(now)
    assert sent(TOMORROW) == ["agent"]
    meet(pairing, datetime(2030, 3, 5, 22, 0, tzinfo=UTC))  # 6 Mar 11:00 / 5 Mar 14:00
    sweep(now)
    assert sent(TOMORROW) == ["agent", "agent", "mentor"]


def test_a_moved_meeting_reminds_again(pairing):
    first = datetime(2030, 1, 15, 10, 0, tzinfo=UTC)
    meeting = meet(pairing, first)
    sweep(first - timedelta(hours=20))
    assert sent(TOMORROW) == ["agent", "mentor"]
    meeting.starts_at = first + timedelta(days=3)
    meeting.save(update_fields=["starts_at"])
    sweep(first - timedelta(hours=20))  # the old day before: nothing new
    sweep(meeting.starts_at - timedelta(hours=20))
    assert sent(TOMORROW) == ["agent", "agent", "mentor", "mentor"]


@pytest.mark.parametrize("how", ["ended", "completed"])
def test_no_meeting_reminder_once_the_pairing_is_over(pairing, mentor, how):
    meeting = meet(pairing, datetime(2030, 1, 15, 10, 0, tzinfo=UTC))
    if how == "ended":
        services.pairing_end(pairing=pairing, user=mentor, reason="Changed roles.")
    else:
        services.pairing_complete(pairing=pairing, user=mentor)
    sweep(meeting.starts_at - timedelta(hours=20))
    assert sent(TOMORROW) == []


def test_people_who_left_hear_nothing(pairing, agent):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    meeting = meet(pairing, datetime(2030, 1, 15, 10, 0, tzinfo=UTC))
    sweep(meeting.starts_at - timedelta(hours=20))
    assert sent(TOMORROW) == ["mentor"]


# No meeting logged.


def test_a_pair_that_has_not_met_is_nudged_once_after_a_cadence_and_the_grace(pairing):
    start = start_of(pairing)
    sweep(start + timedelta(days=17))  # 14 days' cadence + 3 days' grace: not past it yet
    assert sent(NO_MEETING) == []
    sweep(start + timedelta(days=17, minutes=1))
    sweep(start + timedelta(days=20))
    assert sent(NO_MEETING) == ["agent", "mentor"]
    note = Notification.objects.get(kind=NO_MEETING, recipient=pairing.mentee)
    assert note.message.startswith(
        f"No mentoring meeting with {pairing.mentor.name} logged since you started on "
    )
    assert "meets every 14 days" in note.message
    assert note.url == pairing.get_absolute_url()


def test_each_meeting_held_starts_the_count_again(pairing):
    start = start_of(pairing)
    meet(pairing, start + timedelta(days=5, hours=10))
    sweep(start + timedelta(days=18))  # 13 days after the meeting
    assert sent(NO_MEETING) == []
    sweep(start + timedelta(days=23))
    assert sent(NO_MEETING) == ["agent", "mentor"]
    meet(pairing, start + timedelta(days=24, hours=10))
    sweep(start + timedelta(days=30))
    assert sent(NO_MEETING) == ["agent", "mentor"]
    sweep(start + timedelta(days=42))
    assert sent(NO_MEETING) == ["agent", "agent", "mentor", "mentor"]


def test_a_planned_meeting_holds_the_nudge(pairing):
    start = start_of(pairing)
    meet(pairing, start + timedelta(days=20, hours=10))
    sweep(start + timedelta(days=19))
    assert sent(NO_MEETING) == []


@pytest.fixture
def managers(team, other_team, manager):
    """A second manager of the mentee's team, one who left, and another team's manager."""
    second = UserFactory(username="second", team=team, roles=[Role.MANAGER])
    gone = UserFactory(username="gone", team=team, roles=[Role.MANAGER], is_active=False)
    team.managers.add(second, gone)
    elsewhere = UserFactory(username="elsewhere", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(elsewhere)


def test_the_mentees_managers_hear_once_when_the_pair_is_at_risk(pairing, managers):
    start = start_of(pairing)
    sweep(start + timedelta(days=20))
    assert sent(AT_RISK) == []  # nudged, not yet at risk
    sweep(start + timedelta(days=28))
    assert sent(AT_RISK) == []  # exactly two cadences: not over yet
    sweep(start + timedelta(days=28, minutes=1))
    sweep(start + timedelta(days=35))
    assert sent(AT_RISK) == ["manager", "second"]
    note = Notification.objects.get(kind=AT_RISK, recipient__username="manager")
    assert note.message.startswith(
        f"{pairing.mentee.name} and their mentor {pairing.mentor.name} have not logged a "
        "meeting since they started on "
    )
    assert note.url == pairing.get_absolute_url()


def test_escalation_is_once_per_last_contact(pairing, managers):
    start = start_of(pairing)
    sweep(start + timedelta(days=29))
    meet(pairing, start + timedelta(days=30))
    sweep(start + timedelta(days=40))  # they met: fine again
    assert sent(AT_RISK) == ["manager", "second"]
    sweep(start + timedelta(days=59))  # two cadences since that meeting
    assert sent(AT_RISK) == ["manager", "manager", "second", "second"]


def test_a_manager_in_the_pair_is_not_told_about_themselves(program, manager, mentor):
    pairing = make_pairing(program=program, mentor=mentor, mentee=manager)
    sweep(start_of(pairing) + timedelta(days=30))
    assert sent(AT_RISK) == []


@pytest.mark.parametrize("how", ["ended", "completed"])
def test_no_cadence_nudges_once_the_pairing_is_over(pairing, mentor, managers, how):
    if how == "ended":
        services.pairing_end(pairing=pairing, user=mentor, reason="Changed roles.")
    else:
        services.pairing_complete(pairing=pairing, user=mentor)
    sweep(start_of(pairing) + timedelta(days=30))
    assert sent(NO_MEETING) == []
    assert sent(AT_RISK) == []


def test_no_cadence_nudges_for_a_proposal(program, mentor, agent, managers):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    sweep(pairing.created_at + timedelta(days=6))
    assert sent(NO_MEETING) == []
    assert sent(AT_RISK) == []


def test_no_cadence_nudges_once_the_end_date_has_come(pairing, managers):
    Pairing.objects.filter(pk=pairing.pk).update(ends_on=pairing.started_on + timedelta(days=30))
    sweep(start_of(pairing) + timedelta(days=31))
    assert sent(NO_MEETING) == []
    assert sent(AT_RISK) == []


def test_people_who_left_get_no_cadence_nudge(pairing, mentor):
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    sweep(start_of(pairing) + timedelta(days=20))
    assert sent(NO_MEETING) == ["agent"]
