"""A pairing's lifecycle through its services: requested or assigned, answered by the mentor
within the window, withdrawn, extended, completed or ended early, and rated at the end.
Every refusal says why and leaves what was stored as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorship.models import Milestone, Pairing, PairingFeedback, Participation
from mentorship.services import pairings as services
from notifications.models import Notification
from people.models import Role
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(other_team):
    boss = UserFactory(username="progman", team=other_team)
    return make_program(
        managers=[boss], milestones=[("First goals agreed", 14), ("Halfway", 42)], cadence_days=14
    )


@pytest.fixture
def open_mentor(mentor):
    make_profile(mentor, capacity=2)
    return mentor


def _told(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_request_is_a_proposal_the_mentor_is_asked_to_answer_by_the_deadline(
    program, open_mentor, agent
):
    pairing = services.pairing_request(
        program=program, mentee=agent, mentor=open_mentor, message="Help me with refunds."
    )

    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.source == Pairing.Source.REQUEST
    assert pairing.started_on is None
    request = pairing.request
    assert request.requested_by == agent
    assert request.message == "Help me with refunds."
    assert request.expires_at - request.created_at == timedelta(days=7)
    assert Participation.objects.filter(program=program, mentee=agent).exists()
    (note,) = _told(open_mentor, "mentorship.request")
    assert "asks you to be their mentor" in note.message
    assert note.url == pairing.get_absolute_url()


def test_a_manager_assigns_a_mentor_to_someone_of_their_team(program, open_mentor, agent, manager):
    pairing = services.pairing_assign(
        program=program, mentee=agent, mentor=open_mentor, manager=manager
    )

    assert pairing.source == Pairing.Source.MANAGER
    assert pairing.request.requested_by == manager
    assert Participation.objects.get(program=program, mentee=agent).added_by == manager
    (note,) = _told(open_mentor, "mentorship.request")
    assert f"{manager.name} proposes you" in note.message


def test_a_manager_of_another_team_cannot_assign(program, open_mentor, agent, other_team):
    stranger = UserFactory(team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(stranger)

    with pytest.raises(PermissionDenied):
        services.pairing_assign(program=program, mentee=agent, mentor=open_mentor, manager=stranger)
    assert not Pairing.objects.exists()


def test_the_mentor_cannot_be_the_mentee(program, open_mentor, manager):
    with pytest.raises(ValidationError) as refused:
        services.pairing_assign(
            program=program, mentee=open_mentor, mentor=open_mentor, manager=manager
        )

    assert "two different people" in _refusal(refused.value)
    assert not Pairing.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("profile", ["none", "closed"])
def test_a_request_to_someone_not_open_to_mentoring_is_refused(program, mentor, agent, profile):
    if profile == "closed":
        make_profile(mentor, open_to_mentor=False)

    with pytest.raises(ValidationError) as refused:
        services.pairing_request(program=program, mentee=agent, mentor=mentor)

    assert "not open to mentoring" in _refusal(refused.value)
    assert not Pairing.objects.exists()
    assert not Participation.objects.exists()


def test_a_closed_programme_takes_no_request_or_assignment(program, open_mentor, agent, manager):
    program.is_open = False
    program.save()

    with pytest.raises(ValidationError) as refused:
        services.pairing_request(program=program, mentee=agent, mentor=open_mentor)
    assert "closed" in _refusal(refused.value)
    with pytest.raises(ValidationError):
        services.pairing_assign(program=program, mentee=agent, mentor=open_mentor, manager=manager)
    assert not Pairing.objects.exists()


def test_a_mentor_at_capacity_is_refused_with_the_reason(program, mentor, agent, editor):
    make_profile(mentor, capacity=1)
    make_pairing(program=program, mentor=mentor, mentee=editor)

    with pytest.raises(ValidationError) as refused:
        services.pairing_request(program=program, mentee=agent, mentor=mentor)

    assert "At capacity: 1 of 1 mentees." in _refusal(refused.value)
    assert Pairing.objects.count() == 1


def test_one_mentor_per_mentee_per_programme_at_a_time(program, open_mentor, agent, team):
    other = UserFactory(team=team)
    make_profile(other)
    services.pairing_request(program=program, mentee=agent, mentor=open_mentor)

    with pytest.raises(ValidationError) as refused:
        services.pairing_request(program=program, mentee=agent, mentor=other)

    assert "waiting for" in _refusal(refused.value)
    assert Pairing.objects.count() == 1


def test_accepting_starts_the_pairing_with_its_dates_and_milestones(
    program, open_mentor, agent, manager
):
    pairing = services.pairing_assign(
        program=program, mentee=agent, mentor=open_mentor, manager=manager
    )

    pairing = services.pairing_accept(pairing=pairing, mentor=open_mentor)

    today = timezone.localdate()
    assert pairing.status == Pairing.Status.ACTIVE
    assert pairing.started_on == today
    assert pairing.ends_on == today + timedelta(weeks=program.duration_weeks)
    assert pairing.request.responded_at is not None
    dues = list(Milestone.objects.filter(pairing=pairing).values_list("title", "due_on"))
    assert dues == [
        ("First goals agreed", today + timedelta(days=14)),
        ("Halfway", today + timedelta(days=42)),
    ]
    assert len(_told(agent, "mentorship.accepted")) == 1
    assert len(_told(manager, "mentorship.accepted")) == 1
    # The mentor's "please answer" is settled: nothing is left to answer.
    assert Notification.objects.get(kind="mentorship.request").read_at is not None


def test_only_the_proposed_mentor_answers(program, open_mentor, agent, manager):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent, active=False)

    for someone in (agent, manager):
        with pytest.raises(PermissionDenied):
            services.pairing_accept(pairing=pairing, mentor=someone)
        with pytest.raises(PermissionDenied):
            services.pairing_decline(pairing=pairing, mentor=someone)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED


def test_accepting_after_the_window_is_refused(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent, active=False)
    late = pairing.request.expires_at + timedelta(seconds=1)

    with pytest.raises(ValidationError) as refused:
        services.pairing_accept(pairing=pairing, mentor=open_mentor, now=late)

    assert "expired" in _refusal(refused.value)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.started_on is None
    assert not Milestone.objects.exists()


def test_an_answered_request_cannot_be_answered_again(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    with pytest.raises(ValidationError) as refused:
        services.pairing_decline(pairing=pairing, mentor=open_mentor, reason="Changed my mind")

    assert "already answered" in _refusal(refused.value)
    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ACTIVE


def test_declining_with_a_reason_tells_the_mentee_and_the_manager_why(
    program, open_mentor, agent, manager
):
    pairing = services.pairing_assign(
        program=program, mentee=agent, mentor=open_mentor, manager=manager
    )

    services.pairing_decline(pairing=pairing, mentor=open_mentor, reason="  Too busy this quarter ")

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.DECLINED
    assert pairing.request.decline_reason == "Too busy this quarter"
    for person in (agent, manager):
        (note,) = _told(person, "mentorship.declined")
        assert "Too busy this quarter" in note.message
        assert note.url == services.suggestions_url(pairing)
    assert note.url == f"/mentorship/programmes/{program.slug}/suggestions/{agent.username}/"


def test_declining_without_a_reason_is_fine(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent, active=False)

    services.pairing_decline(pairing=pairing, mentor=open_mentor)

    (note,) = _told(agent, "mentorship.declined")
    assert "They said" not in note.message


def test_a_decline_reason_too_long_is_refused_and_nothing_changes(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent, active=False)

    with pytest.raises(ValidationError):
        services.pairing_decline(pairing=pairing, mentor=open_mentor, reason="x" * 2001)

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.PROPOSED
    assert pairing.request.responded_at is None
    assert not _told(agent, "mentorship.declined")


def test_the_mentee_withdraws_a_waiting_request_and_the_mentor_is_told(
    program, mentor, agent, team
):
    make_profile(mentor, capacity=1)
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)

    services.pairing_withdraw(pairing=pairing, user=agent)

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.WITHDRAWN
    assert len(_told(mentor, "mentorship.withdrawn")) == 1
    # The slot is free again, and the mentee may ask someone (or the same mentor) again.
    again = services.pairing_request(program=program, mentee=agent, mentor=mentor)
    assert again.is_proposed


def test_the_mentee_s_manager_may_withdraw_but_not_the_mentor(program, open_mentor, agent, manager):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent, active=False)

    with pytest.raises(PermissionDenied):
        services.pairing_withdraw(pairing=pairing, user=open_mentor)
    services.pairing_withdraw(pairing=pairing, user=manager)

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.WITHDRAWN


def test_an_accepted_pairing_cannot_be_withdrawn(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    with pytest.raises(ValidationError):
        services.pairing_withdraw(pairing=pairing, user=agent)
    pairing.refresh_from_db()
    assert pairing.is_active


def test_ending_early_needs_a_reason(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    with pytest.raises(ValidationError) as refused:
        services.pairing_end(pairing=pairing, user=agent, reason="   ")

    assert "Say why" in _refusal(refused.value)
    pairing.refresh_from_db()
    assert pairing.is_active
    assert pairing.end_reason == ""


def test_ending_early_keeps_the_reason_and_tells_the_other_side(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    services.pairing_end(pairing=pairing, user=agent, reason="I moved to another team.")

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert pairing.end_reason == "I moved to another team."
    assert pairing.ended_by == agent
    assert len(_told(open_mentor, "mentorship.ended")) == 1
    assert not _told(agent, "mentorship.ended")


def test_a_programme_manager_may_end_a_pairing_but_a_colleague_may_not(
    program, open_mentor, agent, editor
):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    with pytest.raises(PermissionDenied):
        services.pairing_end(pairing=pairing, user=editor, reason="Because")
    services.pairing_end(pairing=pairing, user=program.managers.get(), reason="Programme closes")

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.ENDED
    assert len(_told(agent, "mentorship.ended")) == 1
    assert len(_told(open_mentor, "mentorship.ended")) == 1


def test_extending_moves_the_end_later(program, open_mentor, agent, manager):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)
    later = pairing.ends_on + timedelta(weeks=4)

    services.pairing_extend(pairing=pairing, user=manager, ends_on=later)

    pairing.refresh_from_db()
    assert pairing.ends_on == later
    assert len(_told(agent, "mentorship.extended")) == 1
    assert len(_told(open_mentor, "mentorship.extended")) == 1


@pytest.mark.parametrize(
    ("days", "says"),
    [(0, "after the current end"), (-10, "after the current end"), (800, "two years")],
)
def test_extending_must_move_later_and_stay_within_two_years(
    program, open_mentor, agent, days, says
):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)
    end = pairing.ends_on
    target = (pairing.started_on if days == 800 else end) + timedelta(days=days)

    with pytest.raises(ValidationError) as refused:
        services.pairing_extend(pairing=pairing, user=agent, ends_on=target)

    assert says in _refusal(refused.value)
    pairing.refresh_from_db()
    assert pairing.ends_on == end


def test_extending_to_a_day_already_past_is_refused(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)
    start = pairing.started_on - timedelta(days=200)
    Pairing.objects.filter(pk=pairing.pk).update(
        started_on=start, ends_on=start + timedelta(days=84)
    )
    pairing.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.pairing_extend(pairing=pairing, user=agent, ends_on=start + timedelta(days=100))

    assert "passed" in _refusal(refused.value)


def test_completing_asks_the_other_side_for_feedback(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    services.pairing_complete(pairing=pairing, user=open_mentor)

    pairing.refresh_from_db()
    assert pairing.status == Pairing.Status.COMPLETED
    assert pairing.completed_at is not None
    (note,) = _told(agent, "mentorship.completed")
    assert "How did it go?" in note.message


@pytest.mark.parametrize("action", ["end", "extend", "complete"])
def test_only_an_active_pairing_changes(program, open_mentor, agent, action):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)
    services.pairing_complete(pairing=pairing, user=agent)

    change = {
        "end": lambda: services.pairing_end(pairing=pairing, user=agent, reason="Late"),
        "extend": lambda: services.pairing_extend(
            pairing=pairing, user=agent, ends_on=pairing.ends_on + timedelta(days=7)
        ),
        "complete": lambda: services.pairing_complete(pairing=pairing, user=agent),
    }[action]

    with pytest.raises(ValidationError) as refused:
        change()

    assert "only an active one" in _refusal(refused.value)


def _completed(program, mentor, mentee) -> Pairing:
    pairing = make_pairing(program=program, mentor=mentor, mentee=mentee)
    return services.pairing_complete(pairing=pairing, user=mentee)


def test_each_member_gives_feedback_once(program, open_mentor, agent):
    pairing = _completed(program, open_mentor, agent)

    services.feedback_give(pairing=pairing, author=agent, rating=5, comments=" Great help ")
    services.feedback_give(pairing=pairing, author=open_mentor, rating=4)
    with pytest.raises(ValidationError) as refused:
        services.feedback_give(pairing=pairing, author=agent, rating=1, comments="Changed")

    assert "already gave feedback" in _refusal(refused.value)
    stored = dict(PairingFeedback.objects.values_list("author__username", "rating"))
    assert stored == {agent.username: 5, open_mentor.username: 4}
    assert PairingFeedback.objects.get(author=agent).comments == "Great help"


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_a_rating_is_from_1_to_5(program, open_mentor, agent, rating):
    pairing = _completed(program, open_mentor, agent)

    with pytest.raises(ValidationError):
        services.feedback_give(pairing=pairing, author=agent, rating=rating)
    assert not PairingFeedback.objects.exists()


def test_only_the_pair_gives_feedback(program, open_mentor, agent, manager):
    pairing = _completed(program, open_mentor, agent)

    for someone in (manager, program.managers.get()):
        with pytest.raises(PermissionDenied):
            services.feedback_give(pairing=pairing, author=someone, rating=3)
    assert not PairingFeedback.objects.exists()


def test_feedback_waits_for_completion(program, open_mentor, agent):
    pairing = make_pairing(program=program, mentor=open_mentor, mentee=agent)

    with pytest.raises(ValidationError) as refused:
        services.feedback_give(pairing=pairing, author=agent, rating=4)

    assert "once the pairing is completed" in _refusal(refused.value)
    services.pairing_end(pairing=pairing, user=agent, reason="Moved on")
    with pytest.raises(ValidationError):
        services.feedback_give(pairing=pairing, author=agent, rating=4)
    assert not PairingFeedback.objects.exists()


def test_a_cohort_approval_skips_pairs_that_no_longer_hold(program, mentor, agent, editor):
    make_profile(mentor, capacity=1)
    boss = program.managers.get()

    made, refused = services.cohort_approve(
        program=program, manager=boss, pairs=[(agent, mentor, 80), (editor, mentor, 70)]
    )

    assert [p.mentee for p in made] == [agent]
    assert made[0].source == Pairing.Source.COHORT
    assert made[0].score == 80
    assert len(refused) == 1
    assert "At capacity" in refused[0]
    assert Pairing.objects.count() == 1
