"""Requests the mentor leaves unanswered: past the programme's window the sweep marks them
expired and tells the mentee once, with their next suggestions; and an overdue request stops
holding the mentor's slot and the mentee's place at once, before any sweep has run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from mentorship import tasks
from mentorship.models import MentorRequest, Pairing
from mentorship.services import pairings as services
from notifications.models import Notification
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program(accept_window_days=5)


def _overdue(pairing: Pairing, *, by: timedelta = timedelta(hours=1)) -> Pairing:
    """Move the request back in time so its window closed `by` ago."""
    request = pairing.request
    shift = request.expires_at - request.created_at + by
    MentorRequest.objects.filter(pk=request.pk).update(
        created_at=request.created_at - shift, expires_at=request.expires_at - shift
    )
    pairing.refresh_from_db()
    return pairing


def test_the_sweep_expires_overdue_requests_and_tells_the_mentee_once(program, mentor, agent):
    pairing = _overdue(make_pairing(program=program, mentor=mentor, mentee=agent, active=False))

    assert services.requests_expire() == 1
    assert services.requests_expire() == 0

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.EXPIRED
    (note,) = Notification.objects.filter(recipient=agent, kind="mentorship.expired")
    assert "did not answer in time" in note.message
    assert note.url == f"/mentorship/programmes/{program.slug}/suggestions/{agent.username}/"
    assert note.url == services.suggestions_url(pairing)
    # The mentor's "please answer" is settled: there is nothing left to answer.
    assert Notification.objects.get(kind="mentorship.request").read_at is not None


def test_the_manager_who_proposed_it_is_told_too(program, mentor, agent, manager):
    make_profile(mentor)
    pairing = services.pairing_assign(program=program, mentee=agent, mentor=mentor, manager=manager)
    _overdue(pairing)

    services.requests_expire()
    services.requests_expire()

    told = Notification.objects.filter(kind="mentorship.expired")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["agent", "manager"]


def test_open_and_answered_requests_are_left_alone(program, mentor, agent, editor, team):
    make_profile(mentor, capacity=3)
    waiting = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    accepted = make_pairing(program=program, mentor=mentor, mentee=editor)
    declined = make_pairing(
        program=program, mentor=mentor, mentee=UserFactory(team=team), active=False
    )
    services.pairing_decline(pairing=declined, mentor=mentor)
    for pairing in (accepted, declined):
        _overdue(pairing)

    assert services.requests_expire() == 0

    statuses = dict(Pairing.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: "proposed", accepted.pk: "active", declined.pk: "declined"}
    assert not Notification.objects.filter(kind="mentorship.expired").exists()


def test_the_window_closes_exactly_at_the_deadline(program, mentor, agent):
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    deadline = pairing.request.expires_at

    assert services.requests_expire(now=deadline - timedelta(seconds=1)) == 0
    assert services.requests_expire(now=deadline) == 1


def test_the_periodic_task_runs_the_sweep(program, mentor, agent):
    _overdue(make_pairing(program=program, mentor=mentor, mentee=agent, active=False))

    assert tasks.requests_expire() == 1  # the beat task, run in this process
    assert Pairing.objects.get().status == Pairing.Status.EXPIRED


def test_an_overdue_request_no_longer_holds_the_mentor_s_slot_before_the_sweep(
    program, mentor, agent, editor
):
    make_profile(mentor, capacity=1)
    first = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    with pytest.raises(ValidationError, match="At capacity"):
        services.pairing_request(program=program, mentee=editor, mentor=mentor)

    _overdue(first)
    second = services.pairing_request(program=program, mentee=editor, mentor=mentor)

    assert second.is_proposed
    first.refresh_from_db()
    assert first.is_proposed  # not swept yet: it simply stopped counting


def test_the_mentee_may_ask_someone_else_before_the_sweep(program, mentor, agent, team):
    other = UserFactory(team=team)
    make_profile(other)
    first = _overdue(make_pairing(program=program, mentor=mentor, mentee=agent, active=False))

    second = services.pairing_request(program=program, mentee=agent, mentor=other)

    assert second.is_proposed
    first.refresh_from_db()
    assert first.status == Pairing.Status.EXPIRED
    # Marked on the way, and told once: the sweep finds nothing more to do.
    assert services.requests_expire() == 0
    assert Notification.objects.filter(recipient=agent, kind="mentorship.expired").count() == 1


def test_an_overdue_request_cannot_be_accepted_or_withdrawn(program, mentor, agent):
    pairing = _overdue(make_pairing(program=program, mentor=mentor, mentee=agent, active=False))

    with pytest.raises(ValidationError, match="expired"):
        services.pairing_accept(pairing=pairing, mentor=mentor)
    with pytest.raises(ValidationError, match="expired"):
        services.pairing_withdraw(pairing=pairing, user=agent)
    pairing.refresh_from_db()
    assert pairing.is_proposed
