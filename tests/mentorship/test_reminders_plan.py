"""Nudges from the plan: a milestone due this week (both members, once per milestone and due
date), an action item past its due date (its owner, once per item and due date); nothing for
done items, pairings no longer active, or people who left."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from mentorship.models import ActionItem, Meeting, Milestone
from mentorship.services import pairings as services
from notifications.models import Notification
from notifications.services import reminders_sweep
from tests.mentorship.builders import make_pairing, make_program

MILESTONE = "mentorship.milestone_due"
ACTION = "mentorship.action_overdue"
DUE = date(2030, 1, 15)


@pytest.fixture
def pairing(mentor, agent):
    return make_pairing(program=make_program(), mentor=mentor, mentee=agent)


def sent(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def sweep(now: datetime) -> None:
    reminders_sweep(now=now)
    reminders_sweep(now=now + timedelta(minutes=5))


def action(pairing, owner, *, due_on=DUE, **fields) -> ActionItem:
    meeting = Meeting.objects.create(pairing=pairing, starts_at=at(due_on) - timedelta(days=7))
    return ActionItem.objects.create(
        meeting=meeting, title="Read the refund policy", owner=owner, due_on=due_on, **fields
    )


# Milestones.


def test_both_members_hear_once_when_a_milestone_is_due_this_week(pairing):
    milestone = Milestone.objects.create(pairing=pairing, title="First review", due_on=DUE)
    sweep(at(DUE - timedelta(days=8)))
    assert sent(MILESTONE) == []
    sweep(at(DUE - timedelta(days=3)))
    sweep(at(DUE))
    assert sent(MILESTONE) == ["agent", "mentor"]
    note = Notification.objects.get(kind=MILESTONE, recipient=pairing.mentee)
    assert note.message == (
        f"Milestone “First review” of your mentoring with {pairing.mentor.name} is due in 3 days "
        "(Tue 15 Jan)."
    )
    assert note.url == pairing.get_absolute_url()
    assert milestone.done_at is None


def test_a_new_due_date_asks_again(pairing):
    milestone = Milestone.objects.create(pairing=pairing, title="First review", due_on=DUE)
    sweep(at(DUE - timedelta(days=1)))
    milestone.due_on = DUE + timedelta(days=14)
    milestone.save(update_fields=["due_on"])
    sweep(at(DUE + timedelta(days=10)))
    assert sent(MILESTONE) == ["agent", "agent", "mentor", "mentor"]


def test_nothing_for_a_milestone_done_or_past(pairing):
    Milestone.objects.create(pairing=pairing, title="Done", due_on=DUE, done_at=timezone.now())
    Milestone.objects.create(pairing=pairing, title="Past", due_on=DUE - timedelta(days=1))
    sweep(at(DUE))
    assert sent(MILESTONE) == []


def test_the_week_is_each_members_own(pairing, agent):
    agent.timezone = "Pacific/Kiritimati"  # UTC+14: already the 8th there
    agent.save(update_fields=["timezone"])
    Milestone.objects.create(pairing=pairing, title="First review", due_on=DUE)
    sweep(at(DUE - timedelta(days=8), hour=12))
    assert sent(MILESTONE) == ["agent"]


@pytest.mark.parametrize("how", ["ended", "completed"])
def test_no_plan_nudges_once_the_pairing_is_over(pairing, mentor, agent, how):
    Milestone.objects.create(pairing=pairing, title="First review", due_on=DUE)
    action(pairing, agent)
    if how == "ended":
        services.pairing_end(pairing=pairing, user=mentor, reason="Changed roles.")
    else:
        services.pairing_complete(pairing=pairing, user=mentor)
    sweep(at(DUE - timedelta(days=1)))
    sweep(at(DUE + timedelta(days=1)))
    assert sent(MILESTONE) == []
    assert sent(ACTION) == []


def test_people_who_left_hear_of_no_milestone(pairing, mentor):
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    Milestone.objects.create(pairing=pairing, title="First review", due_on=DUE)
    sweep(at(DUE))
    assert sent(MILESTONE) == ["agent"]


# Action items.


def test_the_owner_hears_once_the_day_after_an_action_item_was_due(pairing, agent):
    action(pairing, agent)
    sweep(at(DUE))
    assert sent(ACTION) == []  # due today: not late yet
    sweep(at(DUE + timedelta(days=1), hour=0))
    sweep(at(DUE + timedelta(days=9)))
    assert sent(ACTION) == ["agent"]
    note = Notification.objects.get(kind=ACTION)
    assert note.message == (
        f"Your action item “Read the refund policy” from your mentoring with "
        f"{pairing.mentor.name} was due on Tue 15 Jan. Do it and tick it off, or agree a new "
        "date."
    )
    assert note.url == pairing.get_absolute_url()


def test_a_new_due_date_makes_a_new_reminder(pairing, mentor):
    item = action(pairing, mentor)
    sweep(at(DUE + timedelta(days=1)))
    item.due_on = DUE + timedelta(days=7)
    item.save(update_fields=["due_on"])
    sweep(at(DUE + timedelta(days=2)))
    assert sent(ACTION) == ["mentor"]
    sweep(at(DUE + timedelta(days=8)))
    assert sent(ACTION) == ["mentor", "mentor"]


def test_nothing_for_done_or_undated_items(pairing, agent):
    action(pairing, agent, done=True, done_at=timezone.now())
    meeting = Meeting.objects.create(pairing=pairing, starts_at=at(DUE))
    ActionItem.objects.create(meeting=meeting, title="Someday", owner=agent)
    sweep(at(DUE + timedelta(days=3)))
    assert sent(ACTION) == []


def test_an_owner_who_left_hears_nothing(pairing, agent):
    action(pairing, agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    sweep(at(DUE + timedelta(days=3)))
    assert sent(ACTION) == []
