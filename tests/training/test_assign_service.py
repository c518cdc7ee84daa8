"""track_assign: managers assign published tracks to the people of the teams they manage,
with a due date that is not in the past; one enrolment per person and track."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import Enrolment, StepCompletion
from training.services import assignments
from training.services.assignments import track_assign


def _in(days: int):
    return timezone.localdate() + timedelta(days=days)


def _assigned(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind="training.assigned").values_list(
            "message", flat=True
        )
    )


@pytest.fixture
def other_manager(other_team):
    user = UserFactory(username="other-manager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


def test_a_manager_assigns_a_person_of_their_team_with_a_due_date(manager, agent, track):
    [enrolment] = track_assign(track=track, manager=manager, users=[agent], due_on=_in(14))

    enrolment.refresh_from_db()
    assert enrolment.user == agent
    assert enrolment.assigned_by == manager
    assert enrolment.due_on == _in(14)
    assert enrolment.status == Enrolment.Status.ACTIVE
    [message] = _assigned(agent)
    assert "assigned you the track “Refunds basics”, due" in message


def test_only_managers_assign(agent, mentor, track):
    with pytest.raises(PermissionDenied):
        track_assign(track=track, manager=agent, users=[mentor])
    assert not Enrolment.objects.exists()


def test_another_teams_manager_cannot_assign_to_this_team(other_manager, agent, team, track):
    with pytest.raises(PermissionDenied):
        track_assign(track=track, manager=other_manager, users=[agent], due_on=_in(3))
    with pytest.raises(PermissionDenied):
        track_assign(track=track, manager=other_manager, team=team)
    assert not Enrolment.objects.exists()
    assert not Notification.objects.filter(kind="training.assigned").exists()


def test_one_outsider_among_the_people_refuses_the_whole_assignment(
    manager, agent, outsider, track
):
    with pytest.raises(PermissionDenied, match="not in a team you manage"):
        track_assign(track=track, manager=manager, users=[agent, outsider])
    assert not Enrolment.objects.exists()


def test_a_due_date_in_the_past_is_refused_and_nothing_is_saved(manager, agent, track):
    with pytest.raises(ValidationError) as refused:
        track_assign(track=track, manager=manager, users=[agent], due_on=_in(-1))
    assert "due_on" in refused.value.error_dict
    assert not Enrolment.objects.exists()


def test_a_due_date_today_is_fine_and_years_ahead_is_a_typo(manager, agent, track):
    track_assign(track=track, manager=manager, users=[agent], due_on=_in(0))
    with pytest.raises(ValidationError) as refused:
        track_assign(track=track, manager=manager, users=[agent], due_on=_in(5000))
    assert "due_on" in refused.value.error_dict
    assert Enrolment.objects.get().due_on == _in(0)


def test_assigning_twice_keeps_one_enrolment_and_updates_the_due_date(manager, agent, track):
    first = track_assign(track=track, manager=manager, users=[agent], due_on=_in(7))
    again = track_assign(track=track, manager=manager, users=[agent], due_on=_in(7))
    later = track_assign(track=track, manager=manager, users=[agent], due_on=_in(21))

    assert Enrolment.objects.count() == 1
    assert first[0].pk == again[0].pk == later[0].pk
    assert [e.assign_outcome for e in (*first, *again, *later)] == [
        assignments.ASSIGNED,
        assignments.UNCHANGED,
        assignments.UPDATED,
    ]
    assert Enrolment.objects.get().due_on == _in(21)
    # Told of the assignment and of the new date; the repeat with the same date is no news.
    messages = _assigned(agent)
    assert len(messages) == 2
    assert any("set the due date" in m for m in messages)


def test_reassigning_without_a_due_date_removes_it(manager, agent, track):
    track_assign(track=track, manager=manager, users=[agent], due_on=_in(7))
    track_assign(track=track, manager=manager, users=[agent])
    assert Enrolment.objects.get().due_on is None
    assert any("removed the due date" in m for m in _assigned(agent))


def test_a_co_manager_reassigning_becomes_who_assigned_it(manager, team, agent, track):
    co_manager = UserFactory(team=team, roles=[Role.MANAGER])
    team.managers.add(co_manager)
    track_assign(track=track, manager=manager, users=[agent], due_on=_in(7))
    [enrolment] = track_assign(track=track, manager=co_manager, users=[agent], due_on=_in(7))
    assert enrolment.assign_outcome == assignments.UPDATED
    assert Enrolment.objects.get().assigned_by == co_manager


def test_a_self_enrolled_learner_keeps_their_progress(manager, agent, track):
    enrolment = enrol(agent, track)
    step = track.steps.first()
    StepCompletion.objects.create(enrolment=enrolment, step=step)
    track_assign(track=track, manager=manager, users=[agent], due_on=_in(5))
    enrolment.refresh_from_db()
    assert enrolment.assigned_by == manager
    assert enrolment.due_on == _in(5)
    assert enrolment.completions.count() == 1


def test_a_withdrawn_enrolment_is_active_again(manager, agent, track):
    enrol(agent, track, status="withdrawn", withdrawn_at=timezone.now())
    [enrolment] = track_assign(track=track, manager=manager, users=[agent], due_on=_in(5))
    assert enrolment.assign_outcome == assignments.REACTIVATED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.withdrawn_at is None
    assert any("again" in m for m in _assigned(agent))


def test_a_completed_enrolment_stays_completed_and_untold(manager, agent, track):
    done_at = timezone.now() - timedelta(days=3)
    enrol(agent, track, status="completed", completed_at=done_at, certificate_code="AAAA-BBBB-CC")
    [enrolment] = track_assign(track=track, manager=manager, users=[agent], due_on=_in(5))
    assert enrolment.assign_outcome == assignments.ALREADY_COMPLETED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.due_on is None
    assert enrolment.completed_at == done_at
    assert _assigned(agent) == []


def test_assigning_a_team_enrols_its_active_members(manager, team, agent, mentor, editor, track):
    gone = UserFactory(team=team, is_active=False)
    enrolments = track_assign(track=track, manager=manager, team=team, due_on=_in(10))

    enrolled = set(Enrolment.objects.values_list("user_id", flat=True))
    assert enrolled == {agent.pk, mentor.pk, editor.pk, manager.pk}
    assert gone.pk not in enrolled
    assert {e.user_id for e in enrolments} == enrolled
    # Everyone is told once; a manager assigning their own team does not tell themselves.
    assert len(_assigned(agent)) == len(_assigned(mentor)) == 1
    assert _assigned(manager) == []


def test_people_and_a_team_together_enrol_each_person_once(manager, team, agent, track):
    track_assign(track=track, manager=manager, users=[agent], team=team)
    assert Enrolment.objects.filter(user=agent).count() == 1
    assert len(_assigned(agent)) == 1


def test_an_inactive_person_is_refused(manager, team, track):
    gone = UserFactory(team=team, is_active=False)
    with pytest.raises(ValidationError, match="can no longer sign in"):
        track_assign(track=track, manager=manager, users=[gone])
    assert not Enrolment.objects.exists()


def test_nobody_chosen_is_refused(manager, track):
    with pytest.raises(ValidationError) as refused:
        track_assign(track=track, manager=manager)
    assert "users" in refused.value.error_dict


def test_a_draft_track_cannot_be_assigned(manager, agent, editor):
    draft = make_track(owner=editor, title="Not yet", published=False)
    with pytest.raises(ValidationError, match="published"):
        track_assign(track=draft, manager=manager, users=[agent])
    assert not Enrolment.objects.exists()


def test_a_track_the_manager_cannot_open_cannot_be_assigned(manager, agent, editor, other_team):
    hidden = make_track(owner=editor, title="Tech only", visibility="teams")
    hidden.teams.set([other_team])
    with pytest.raises(ValidationError):
        track_assign(track=hidden, manager=manager, users=[agent])
    assert not Enrolment.objects.exists()


def test_a_person_who_cannot_open_the_track_is_refused(manager, team, other_team, agent, editor):
    """The manager manages both teams and sees a track made for one; the other team's
    people cannot open it, so it is not assigned to them."""
    other_team.managers.add(manager)
    stranger = UserFactory(team=other_team, roles=[Role.AGENT])
    billing_only = make_track(owner=editor, title="Billing only", visibility="teams")
    billing_only.teams.set([team])

    with pytest.raises(ValidationError, match="cannot open it"):
        track_assign(track=billing_only, manager=manager, users=[agent, stranger])
    assert not Enrolment.objects.exists()
    [enrolment] = track_assign(track=billing_only, manager=manager, users=[agent])
    assert enrolment.user == agent


def test_an_enrolment_made_meanwhile_is_updated_not_duplicated(manager, agent, track):
    """The race: the learner enrols themselves between the lookup and the insert; the
    insert's clash is caught and the row they made is updated instead."""
    enrol(agent, track)
    enrolment, change = assignments._create(
        track=track, person=agent, manager=manager, due_on=_in(4)
    )
    assert change.outcome == assignments.UPDATED
    assert Enrolment.objects.count() == 1
    enrolment.refresh_from_db()
    assert (enrolment.assigned_by, enrolment.due_on) == (manager, _in(4))
