"""A pairing's plan through its services: goals, milestones, meetings and action items are
written by the mentor and the mentee only, while the pairing is active; every refusal says why
and leaves what was stored as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorship.models import ActionItem, Goal, Meeting, Milestone
from mentorship.services import pairings as pairing_services
from mentorship.services import plans as services
from notifications.models import Notification
from tests.mentorship.builders import make_pairing, make_program
from tests.training.builders import make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program(milestones=[("First goals agreed", 14), ("Halfway", 42)])


@pytest.fixture
def pairing(program, mentor, agent):
    return make_pairing(program=program, mentor=mentor, mentee=agent)


def _meeting(pairing, user, *, days: float = 3, **data) -> Meeting:
    data = {"starts_at": timezone.now() + timedelta(days=days), "duration_minutes": 45, **data}
    return services.meeting_add(pairing=pairing, user=user, data=data)


def _told(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


# --- Goals ---------------------------------------------------------------------------------


def test_either_of_the_pair_adds_a_goal_in_progress(pairing, agent, mentor):
    goal = services.goal_add(
        pairing=pairing,
        user=agent,
        data={"title": "Handle refund escalations", "progress": 20, "status": "in_progress"},
    )
    assert goal.pairing == pairing
    assert goal.progress == 20
    assert goal.met_at is None
    other = services.goal_add(pairing=pairing, user=mentor, data={"title": "Shadow two calls"})
    assert other.status == Goal.Status.IN_PROGRESS
    assert other.progress == 0


def test_marking_a_goal_met_sets_all_of_it_and_the_day(pairing, agent):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    now = timezone.now()
    goal = services.goal_update(
        goal=goal, user=agent, data={"status": "met", "progress": 40}, now=now
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MET
    assert goal.progress == 100
    assert goal.met_at == now


def test_saving_a_met_goal_again_keeps_the_day_it_was_met(pairing, agent):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    first = timezone.now() - timedelta(days=3)
    services.goal_update(goal=goal, user=agent, data={"status": "met"}, now=first)
    goal = services.goal_update(goal=goal, user=agent, data={"description": "Done in March."})
    assert goal.met_at == first


def test_reopening_a_met_goal_clears_the_day(pairing, agent):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    services.goal_update(goal=goal, user=agent, data={"status": "met"})
    goal = services.goal_update(
        goal=goal, user=agent, data={"status": "in_progress", "progress": 80}
    )
    assert goal.met_at is None
    assert goal.progress == 80


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "Line one\nline two"}, "title"),
        ({"title": "Ok", "progress": 101}, "progress"),
        ({"title": "Ok", "status": "abandoned"}, "status"),
        ({"title": "Ok", "due_on": date(1, 1, 1)}, "due_on"),
        ({"title": "Ok", "due_on": date(9999, 12, 31)}, "due_on"),
    ],
)
def test_a_bad_goal_is_refused_beside_its_field(pairing, agent, data, field):
    with pytest.raises(ValidationError) as refused:
        services.goal_add(pairing=pairing, user=agent, data=data)
    assert field in refused.value.message_dict
    assert not Goal.objects.exists()


def test_only_the_pair_writes_goals(pairing, manager, outsider):
    for person in (manager, outsider):
        with pytest.raises(PermissionDenied):
            services.goal_add(pairing=pairing, user=person, data={"title": "Not mine"})
    assert not Goal.objects.exists()


def test_a_completed_pairing_takes_no_new_goal_and_keeps_its_goals(pairing, agent, mentor):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    with pytest.raises(ValidationError, match="completed: its plan is read-only"):
        services.goal_add(pairing=pairing, user=agent, data={"title": "Too late"})
    with pytest.raises(ValidationError, match="read-only"):
        services.goal_update(goal=goal, user=agent, data={"title": "Renamed"})
    goal.refresh_from_db()
    assert goal.title == "Lead a call"
    assert Goal.objects.count() == 1


def test_a_goal_links_only_a_published_track_the_mentee_may_take(
    pairing, agent, editor, other_team
):
    draft = make_track(owner=editor, title="Unfinished", published=False)
    elsewhere = make_track(owner=editor, title="Tech only", visibility="teams")
    elsewhere.teams.set([other_team])
    for track in (draft, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.goal_add(pairing=pairing, user=agent, data={"title": "X", "track": track})
        assert "track" in refused.value.message_dict
    assert not Goal.objects.exists()


# --- Milestones ----------------------------------------------------------------------------


def test_a_milestone_is_marked_done_and_undone_by_either_of_the_pair(pairing, agent, mentor):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    first = timezone.now()
    services.milestone_mark(milestone=milestone, user=agent, done=True, now=first)
    # Marking it again (a double click) keeps the first date.
    services.milestone_mark(milestone=milestone, user=mentor, done=True)
    milestone.refresh_from_db()
    assert milestone.done_at == first
    services.milestone_mark(milestone=milestone, user=mentor, done=False)
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_milestones_of_a_finished_pairing_stay_as_they_were(pairing, agent, mentor):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    pairing_services.pairing_end(pairing=pairing, user=mentor, reason="Moved team")
    with pytest.raises(ValidationError, match="ended early: its plan is read-only"):
        services.milestone_mark(milestone=milestone, user=agent, done=True)
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_a_manager_cannot_tick_the_pairs_milestones(pairing, manager):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    with pytest.raises(PermissionDenied):
        services.milestone_mark(milestone=milestone, user=manager, done=True)


# --- Meetings ------------------------------------------------------------------------------


def test_planning_a_meeting_tells_the_other_once(pairing, agent, mentor):
    meeting = _meeting(pairing, agent, agenda="Refund escalations")
    assert meeting.created_by == agent
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=45)
    (note,) = _told(mentor, "mentorship.meeting_planned")
    assert "planned a mentoring meeting" in note.message
    assert not _told(agent, "mentorship.meeting_planned")
    services.meeting_update(meeting=meeting, user=agent, data={"agenda": "Also: tone"})
    assert len(_told(mentor, "mentorship.meeting_planned")) == 1


def test_moving_a_meeting_tells_the_other(pairing, agent, mentor):
    meeting = _meeting(pairing, agent)
    services.meeting_update(
        meeting=meeting, user=mentor, data={"starts_at": meeting.starts_at + timedelta(days=1)}
    )
    (moved,) = _told(agent, "mentorship.meeting_planned")
    assert "moved your mentoring meeting" in moved.message


def test_logging_a_meeting_held_tells_nobody(pairing, agent, mentor):
    _meeting(pairing, agent, days=-2, notes="We talked about tone.")
    assert not _told(mentor, "mentorship.meeting_planned")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"starts_at": timezone.now() - timedelta(days=400)}, "starts_at"),
        ({"starts_at": timezone.now() + timedelta(days=400)}, "starts_at"),
        ({"starts_at": None}, "starts_at"),
    ],
)
def test_a_bad_meeting_is_refused_and_nothing_is_saved(pairing, agent, data, field):
    with pytest.raises(ValidationError) as refused:
        _meeting(pairing, agent, **data)
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_notes_of_an_old_meeting_stay_editable(pairing, agent):
    meeting = _meeting(pairing, agent, days=-300)
    later = timezone.now() + timedelta(days=100)
    meeting = services.meeting_update(
        meeting=meeting, user=agent, data={"notes": "Written up late."}, now=later
    )
    assert meeting.notes == "Written up late."
    assert meeting.updated_at == later


def test_moving_a_meeting_years_away_is_refused(pairing, agent):
    meeting = _meeting(pairing, agent)
    start = meeting.starts_at
    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            meeting=meeting, user=agent, data={"starts_at": start + timedelta(days=3 * 365)}
        )
    assert "starts_at" in refused.value.message_dict
    meeting.refresh_from_db()
    assert meeting.starts_at == start


def test_only_the_pair_of_an_active_pairing_plans_meetings(pairing, agent, mentor, manager):
    with pytest.raises(PermissionDenied):
        _meeting(pairing, manager)
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    with pytest.raises(ValidationError, match="read-only"):
        _meeting(pairing, agent)
    assert not Meeting.objects.exists()


# --- Action items --------------------------------------------------------------------------


def test_an_action_item_given_to_the_other_tells_them(pairing, agent, mentor):
    meeting = _meeting(pairing, agent, days=-1)
    item = services.action_item_add(
        meeting=meeting,
        user=mentor,
        data={"title": "Read the refunds article", "owner": agent, "due_on": date.today()},
    )
    assert item.owner == agent
    (note,) = _told(agent, "mentorship.action_given")
    assert "Read the refunds article" in note.message
    services.action_item_add(meeting=meeting, user=agent, data={"title": "Mine", "owner": agent})
    assert len(_told(agent, "mentorship.action_given")) == 1


def test_an_action_item_owned_outside_the_pair_is_refused(pairing, agent, manager):
    meeting = _meeting(pairing, agent, days=-1)
    with pytest.raises(ValidationError) as refused:
        services.action_item_add(meeting=meeting, user=agent, data={"title": "X", "owner": manager})
    assert "owner" in refused.value.message_dict
    assert not ActionItem.objects.exists()


def test_an_action_item_due_years_away_is_refused(pairing, agent):
    meeting = _meeting(pairing, agent, days=-1)
    due = date.today() + timedelta(days=3 * 365)
    with pytest.raises(ValidationError) as refused:
        services.action_item_add(
            meeting=meeting, user=agent, data={"title": "X", "owner": agent, "due_on": due}
        )
    assert "due_on" in refused.value.message_dict
    assert not ActionItem.objects.exists()


def test_either_of_the_pair_ticks_an_action_item_done_and_open(pairing, agent, mentor):
    meeting = _meeting(pairing, agent, days=-1)
    item = services.action_item_add(
        meeting=meeting, user=agent, data={"title": "Write it up", "owner": agent}
    )
    item = services.action_item_mark(item=item, user=mentor, done=True)
    assert item.done
    assert item.done_at is not None
    item = services.action_item_mark(item=item, user=agent, done=False)
    assert not item.done
    assert item.done_at is None


def test_action_items_of_a_finished_pairing_stay_as_they_were(pairing, agent, mentor):
    meeting = _meeting(pairing, agent, days=-1)
    item = services.action_item_add(
        meeting=meeting, user=agent, data={"title": "Write it up", "owner": agent}
    )
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    with pytest.raises(ValidationError, match="read-only"):
        services.action_item_mark(item=item, user=agent, done=True)
    with pytest.raises(ValidationError, match="read-only"):
        services.action_item_add(meeting=meeting, user=agent, data={"title": "Y", "owner": agent})
    item.refresh_from_db()
    assert not item.done
    assert ActionItem.objects.count() == 1
