"""Every mentorship nudge reads what is due in a constant number of queries, however many
pairings there are: one for its rows with the people a message names, and for the
escalation one more for the mentee's team managers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from mentorship.models import ActionItem, Meeting, Milestone
from mentorship.reminders.wrapup import FEEDBACK_NUDGE_AFTER
from mentorship.services import pairings as services
from notifications.engine import reminder_sources
from people.models import Role
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

SIZES = [1, 4]
QUERIES = {
    "mentorship.meeting_tomorrow": 1,
    "mentorship.no_meeting": 1,
    "mentorship.at_risk": 2,
    "mentorship.milestone_due": 1,
    "mentorship.action_overdue": 1,
    "mentorship.request_waiting": 1,
    "mentorship.feedback_due": 1,
}


def _start(pairing) -> datetime:
    return datetime.combine(pairing.started_on, datetime.min.time(), tzinfo=UTC)


def _world(name: str, size: int) -> datetime:
    """`size` pairings, each owing the nudge `name`, on teams of their own with a manager
    each; returns when to sweep."""
    program = make_program(cadence_days=7, milestones=[("First review", 3)])
    now = timezone.now()
    when = now
    for _ in range(size):
        mentee = UserFactory(roles=[Role.AGENT])
        boss = UserFactory(team=mentee.team, roles=[Role.MANAGER])
        mentee.team.managers.add(boss)
        mentor = UserFactory(roles=[Role.AGENT, Role.MENTOR])
        make_profile(mentor)
        active = name != "mentorship.request_waiting"
        pairing = make_pairing(program=program, mentor=mentor, mentee=mentee, active=active)
        if name == "mentorship.meeting_tomorrow":
            Meeting.objects.create(pairing=pairing, starts_at=now + timedelta(days=1))
        elif name == "mentorship.no_meeting":
            when = _start(pairing) + timedelta(days=11)
        elif name == "mentorship.at_risk":
            when = _start(pairing) + timedelta(days=15)
        elif name == "mentorship.action_overdue":
            meeting = Meeting.objects.create(pairing=pairing, starts_at=now - timedelta(days=5))
            ActionItem.objects.create(
                meeting=meeting, title="Shadow a call", owner=mentee, due_on=pairing.started_on
            )
            when = now + timedelta(days=2)
        elif name == "mentorship.request_waiting":
            when = now + timedelta(days=5)
        elif name == "mentorship.feedback_due":
            services.pairing_complete(pairing=pairing, user=mentor)
            when = now + FEEDBACK_NUDGE_AFTER + timedelta(hours=1)
    assert Milestone.objects.exists() or name == "mentorship.request_waiting"
    return when


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_source_reads_in_constant_queries(name, size, db, django_assert_max_num_queries):
    now = _world(name, size)
    source = reminder_sources()[name]
    with django_assert_max_num_queries(QUERIES[name]):
        reminders = list(source(now))
    # The pair, or the one person it concerns (the item's owner, the mentor, the manager).
    one = ("mentorship.action_overdue", "mentorship.request_waiting", "mentorship.at_risk")
    per_pairing = 1 if name in one else 2
    assert len(reminders) == size * per_pairing


def test_every_mentorship_source_is_counted():
    assert {n for n in reminder_sources() if n.startswith("mentorship.")} == set(QUERIES)
