"""Nudges at the edges of a pairing: the mentor who has not answered a request hears once at
half the accept window (expiry itself is the expiry service's word); at the end, each member
who has given no feedback is asked once, when the end date has come or a few days after
completion. Nothing for ended, declined, expired or withdrawn pairings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mentorship.models import Pairing
from mentorship.reminders.wrapup import FEEDBACK_ASKED_WITHIN, FEEDBACK_NUDGE_AFTER
from mentorship.services import pairings as services
from notifications.models import Notification
from notifications.services import reminders_sweep
from tests.mentorship.builders import make_pairing, make_profile, make_program

WAITING = "mentorship.request_waiting"
FEEDBACK = "mentorship.feedback_due"


@pytest.fixture
def program(db):
    return make_program(accept_window_days=6)


def sent(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def sweep(now: datetime) -> None:
    reminders_sweep(now=now)
    reminders_sweep(now=now + timedelta(minutes=5))


def start_of(pairing: Pairing) -> datetime:
    return datetime.combine(pairing.started_on, datetime.min.time(), tzinfo=UTC)


# A request waiting for the mentor.


def test_the_mentor_hears_once_at_half_the_window(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    asked = pairing.request.created_at
    sweep(asked + timedelta(days=2, hours=23))
    assert sent(WAITING) == []
    sweep(asked + timedelta(days=3))
    sweep(asked + timedelta(days=5))
    assert sent(WAITING) == ["mentor"]
    note = Notification.objects.get(kind=WAITING)
    assert note.message.startswith(
        f"{agent.name} asked you to be their mentor in {program} and is waiting for your "
        "answer. Please accept or decline by "
    )
    assert note.message.endswith("(UTC), when the request expires.")
    assert note.url == pairing.get_absolute_url()


def test_a_managers_proposal_says_who_proposed_it(program, mentor, agent, manager):
    make_profile(mentor)
    pairing = services.pairing_assign(program=program, mentee=agent, mentor=mentor, manager=manager)
    sweep(pairing.request.created_at + timedelta(days=4))
    note = Notification.objects.get(kind=WAITING)
    assert note.message.startswith(
        f"{manager.name} proposed you as {agent.name}'s mentor in {program} and is waiting"
    )


def test_the_mentee_hears_nothing_from_the_nudge_and_expiry_is_not_repeated(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    sweep(pairing.request.expires_at + timedelta(days=1))
    assert sent(WAITING) == []  # expired unanswered: the expiry service tells the mentee


@pytest.mark.parametrize("answer", ["accept", "decline", "withdraw"])
def test_nothing_once_the_request_is_answered(program, mentor, agent, answer):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    if answer == "withdraw":
        services.pairing_withdraw(pairing=pairing, user=agent)
    else:
        getattr(services, f"pairing_{answer}")(pairing=pairing, mentor=mentor)
    sweep(pairing.request.created_at + timedelta(days=4))
    assert sent(WAITING) == []


def test_answering_settles_the_nudge(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    sweep(pairing.request.created_at + timedelta(days=4))
    services.pairing_accept(pairing=pairing, mentor=mentor)
    assert Notification.objects.get(kind=WAITING).read_at is not None


def test_an_inactive_mentor_gets_no_nudge(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    sweep(pairing.request.created_at + timedelta(days=4))
    assert sent(WAITING) == []


# Feedback at the end.


def test_both_are_asked_once_to_wrap_up_when_the_end_date_comes(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent)
    end = datetime.combine(pairing.ends_on, datetime.min.time(), tzinfo=UTC)
    sweep(end - timedelta(minutes=10))
    assert sent(FEEDBACK) == []
    sweep(end + timedelta(minutes=1))
    sweep(end + timedelta(days=2))
    assert sent(FEEDBACK) == ["agent", "mentor"]
    note = Notification.objects.get(kind=FEEDBACK, recipient=agent)
    assert note.message.startswith(f"Your mentoring with {mentor.name} in {program} reached its")
    assert "wrap it up, mark it completed and give your feedback" in note.message
    assert note.url == pairing.get_absolute_url()
    # Completing it afterwards does not ask again: once per pairing.
    completed = end + timedelta(days=3)
    services.pairing_complete(pairing=pairing, user=mentor, now=completed)
    sweep(completed + FEEDBACK_NUDGE_AFTER + timedelta(hours=1))
    assert sent(FEEDBACK) == ["agent", "mentor"]


def test_whoever_has_not_given_feedback_is_nudged_after_completion(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent)
    pairing = services.pairing_complete(pairing=pairing, user=mentor)
    services.feedback_give(pairing=pairing, author=mentor, rating=5)
    sweep(pairing.completed_at + timedelta(days=1))
    assert sent(FEEDBACK) == []  # just asked by the completion notice
    sweep(pairing.completed_at + FEEDBACK_NUDGE_AFTER)
    sweep(pairing.completed_at + FEEDBACK_NUDGE_AFTER + timedelta(days=5))
    assert sent(FEEDBACK) == ["agent"]
    note = Notification.objects.get(kind=FEEDBACK)
    assert note.message.startswith(f"Your mentoring with {mentor.name} in {program} was completed")
    assert "Only the programme's managers read it." in note.message


def test_nobody_is_asked_when_both_gave_feedback_or_long_after(program, mentor, agent):
    pairing = services.pairing_complete(
        pairing=make_pairing(program=program, mentor=mentor, mentee=agent), user=agent
    )
    sweep(pairing.completed_at + FEEDBACK_ASKED_WITHIN + timedelta(minutes=1))
    assert sent(FEEDBACK) == []  # history by now
    services.feedback_give(pairing=pairing, author=mentor, rating=4)
    services.feedback_give(pairing=pairing, author=agent, rating=5)
    sweep(pairing.completed_at + FEEDBACK_NUDGE_AFTER)
    assert sent(FEEDBACK) == []


def test_an_ended_pairing_asks_for_no_feedback(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent)
    services.pairing_end(pairing=pairing, user=agent, reason="Moved to another site.")
    sweep(datetime.combine(pairing.ends_on, datetime.min.time(), tzinfo=UTC) + timedelta(days=1))
    assert sent(FEEDBACK) == []


def test_people_who_left_are_not_asked_for_feedback(program, mentor, agent):
    pairing = services.pairing_complete(
        pairing=make_pairing(program=program, mentor=mentor, mentee=agent), user=mentor
    )
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    sweep(pairing.completed_at + FEEDBACK_NUDGE_AFTER)
    assert sent(FEEDBACK) == ["mentor"]
