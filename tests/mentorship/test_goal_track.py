"""A goal linked to a training track follows the mentee's progress on it and is met when the
mentee completes the track: read from training by the beat task, never before, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship import tasks
from mentorship.models import Goal
from mentorship.selectors.plans import TrackState, pairing_plan
from mentorship.services import pairings as pairing_services
from mentorship.services import plans as services
from notifications.models import Notification
from tests.factories import make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.training.builders import make_track
from training.models import Enrolment
from training.services import learning

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(mentor, agent):
    return make_pairing(program=make_program(), mentor=mentor, mentee=agent)


@pytest.fixture
def track(editor):
    """Two articles to read: one read is 50%, both complete the track."""
    articles = [
        make_article(author=editor, title=title, approved_by=editor)
        for title in ("Active listening", "Calming an angry caller")
    ]
    return make_track(owner=editor, title="Difficult calls", articles=articles)


def _linked_goal(pairing, user, track) -> Goal:
    return services.goal_add(
        pairing=pairing, user=user, data={"title": "Handle difficult calls", "track": track}
    )


def _read(enrolment: Enrolment, *steps) -> Enrolment:
    for step in steps:
        learning.article_step_read(enrolment=enrolment, step=step)
    enrolment.refresh_from_db()
    return enrolment


def _goal_notes() -> list[Notification]:
    return list(Notification.objects.filter(kind="mentorship.goal_met").order_by("recipient_id"))


def test_the_goal_is_met_when_the_mentee_completes_the_track_and_not_before(
    pairing, agent, mentor, track
):
    goal = _linked_goal(pairing, mentor, track)
    step_one, step_two = track.steps.order_by("position")

    assert services.goals_sync_from_training() == 0  # not even enrolled
    enrolment = learning.track_enrol(track=track, user=agent)
    enrolment = _read(enrolment, step_one)
    assert enrolment.status == Enrolment.Status.ACTIVE

    assert services.goals_sync_from_training() == 0
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    assert goal.met_at is None
    assert goal.progress == 50  # the managers' average follows the track
    assert not _goal_notes()

    enrolment = _read(enrolment, step_two)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert services.goals_sync_from_training() == 1
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MET
    assert goal.progress == 100
    assert goal.met_at == enrolment.completed_at


def test_syncing_twice_tells_each_of_the_pair_once(pairing, agent, mentor, track):
    _linked_goal(pairing, agent, track)
    enrolment = learning.track_enrol(track=track, user=agent)
    _read(enrolment, *track.steps.all())

    assert tasks.goals_sync() == 1
    assert tasks.goals_sync() == 0
    notes = _goal_notes()
    assert sorted(n.recipient_id for n in notes) == sorted([agent.pk, mentor.pk])
    assert "Handle difficult calls" in notes[0].message
    assert "Difficult calls" in notes[0].message


def test_the_mentor_completing_the_track_meets_nothing(pairing, agent, mentor, track):
    goal = _linked_goal(pairing, agent, track)
    enrolment = learning.track_enrol(track=track, user=mentor)
    _read(enrolment, *track.steps.all())
    assert services.goals_sync_from_training() == 0
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS


def test_a_finished_pairings_goal_stays_as_it_was(pairing, agent, mentor, track):
    goal = _linked_goal(pairing, agent, track)
    pairing_services.pairing_end(pairing=pairing, user=mentor, reason="Moved team")
    enrolment = learning.track_enrol(track=track, user=agent)
    _read(enrolment, *track.steps.all())
    assert services.goals_sync_from_training() == 0
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    assert not _goal_notes()


def test_a_dropped_goal_is_not_met_by_the_track(pairing, agent, track):
    goal = _linked_goal(pairing, agent, track)
    services.goal_update(goal=goal, user=agent, data={"status": "dropped"})
    enrolment = learning.track_enrol(track=track, user=agent)
    _read(enrolment, *track.steps.all())
    assert services.goals_sync_from_training() == 0
    goal.refresh_from_db()
    assert goal.status == Goal.Status.DROPPED


def test_linking_a_track_already_completed_meets_the_goal_at_once(pairing, agent, track):
    enrolment = learning.track_enrol(track=track, user=agent)
    enrolment = _read(enrolment, *track.steps.all())
    goal = _linked_goal(pairing, agent, track)
    assert goal.status == Goal.Status.MET
    assert goal.met_at == enrolment.completed_at
    assert goal.progress == 100


def test_a_linked_goal_shows_the_mentees_live_progress_on_the_track(pairing, agent, mentor, track):
    goal = _linked_goal(pairing, mentor, track)
    (row,) = pairing_plan(pairing=pairing, viewer=mentor).goals
    assert row.track_state == TrackState.NOT_ENROLLED
    assert row.percent == 0

    enrolment = learning.track_enrol(track=track, user=agent)
    _read(enrolment, track.steps.order_by("position").first())
    (row,) = pairing_plan(pairing=pairing, viewer=mentor).goals
    assert row.goal == goal
    assert row.track_state == TrackState.IN_PROGRESS
    assert row.percent == 50  # read live, before any sync


def test_linked_goals_progress_is_read_in_constant_queries(
    pairing, agent, mentor, editor, django_assert_max_num_queries
):
    def add_linked_goals(n: int) -> None:
        for i in range(n):
            article = make_article(
                author=editor, title=f"Article {i} {timezone.now()}", approved_by=editor
            )
            track = make_track(
                owner=editor, title=f"Track {Goal.objects.count()}", articles=[article]
            )
            learning.track_enrol(track=track, user=agent)
            _linked_goal(pairing, agent, track)

    # Goals with their tracks, the mentee's enrolments, milestones, meetings (no meetings:
    # no action items to read).
    add_linked_goals(1)
    with django_assert_max_num_queries(4):
        pairing_plan(pairing=pairing, viewer=mentor)
    add_linked_goals(4)
    with django_assert_max_num_queries(4):
        plan = pairing_plan(pairing=pairing, viewer=mentor)
    assert len(plan.goals) == 5
    assert all(row.track_state == TrackState.IN_PROGRESS for row in plan.goals)


def test_a_goal_met_by_hand_before_the_track_is_left_alone(pairing, agent, track):
    goal = _linked_goal(pairing, agent, track)
    then = timezone.now() - timedelta(days=1)
    services.goal_update(goal=goal, user=agent, data={"status": "met"}, now=then)
    enrolment = learning.track_enrol(track=track, user=agent)
    _read(enrolment, *track.steps.all())
    assert services.goals_sync_from_training() == 0
    goal.refresh_from_db()
    assert goal.met_at == then
    assert not _goal_notes()
