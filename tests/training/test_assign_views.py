"""The assign page: managers only, their own people only, a due date not in the past, and
bad input answered with a form error, never a 500, with nothing saved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import Enrolment


def _url(track) -> str:
    return reverse("training:track-assign", args=[track.slug])


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def other_manager_client(client, other_team):
    user = UserFactory(username="other-manager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    client.force_login(user)
    return client


def test_an_agent_gets_403_and_nothing_is_created(agent_client, mentor, track):
    assert agent_client.get(_url(track)).status_code == 403
    response = agent_client.post(_url(track), {"people": [mentor.pk], "due_on": _in(3)})
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_the_form_lists_the_managers_people_by_team_and_no_one_else(
    manager_client, agent, outsider, track
):
    enrol(agent, track, due_on=timezone.localdate() + timedelta(days=9))
    response = manager_client.get(_url(track))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<legend>Billing Support</legend>" in body
    assert agent.name in body
    # What they already have of it: a quieter note under the name, inside its label.
    assert re.search(
        rf'<label for="id_people_\d+"><span>{re.escape(agent.name)}</span> '
        r'<span class="muted small">On this track, due [^<]+</span></label>',
        body,
    )
    assert outsider.name not in body
    assert 'type="date"' in body


def test_a_manager_assigns_and_lands_on_the_team_page(manager_client, agent, mentor, track):
    response = manager_client.post(
        _url(track), {"people": [agent.pk, mentor.pk], "due_on": _in(10)}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('training:team')}?track={track.slug}"
    body = response.content.decode()
    assert "Assigned “Refunds basics” to 2 people, due" in body
    assert set(Enrolment.objects.values_list("user_id", flat=True)) == {agent.pk, mentor.pk}
    assert Enrolment.objects.filter(due_on=_in(10)).count() == 2


def test_assigning_a_whole_team(manager_client, team, agent, mentor, track):
    response = manager_client.post(_url(track), {"team": team.pk})
    assert response.status_code == 302
    assert f"team={team.slug}" in response.url
    assert Enrolment.objects.filter(user__in=[agent, mentor], due_on=None).count() == 2


def test_assigning_twice_keeps_one_enrolment_with_the_new_due_date(manager_client, agent, track):
    manager_client.post(_url(track), {"people": [agent.pk], "due_on": _in(5)})
    response = manager_client.post(
        _url(track), {"people": [agent.pk], "due_on": _in(12)}, follow=True
    )
    assert "Updated 1 person already on it, due" in response.content.decode()
    enrolment = Enrolment.objects.get()
    assert enrolment.due_on.isoformat() == _in(12)


def test_a_completed_enrolment_is_named_in_the_message_and_left_alone(
    manager_client, agent, mentor, track
):
    enrol(agent, track, status="completed", completed_at=timezone.now(), certificate_code="X-1")
    response = manager_client.post(
        _url(track), {"people": [agent.pk, mentor.pk], "due_on": _in(5)}, follow=True
    )
    body = response.content.decode()
    assert "Assigned “Refunds basics” to 1 person" in body
    assert f"Already completed, left as completed: {agent.name}." in body
    assert Enrolment.objects.get(user=agent).status == Enrolment.Status.COMPLETED


def test_another_teams_manager_cannot_assign_this_teams_people(
    other_manager_client, agent, team, track
):
    """Someone outside their teams is not a choice of the form: a 400 with the error beside
    the field, and nothing is created."""
    response = other_manager_client.post(_url(track), {"people": [agent.pk], "due_on": _in(3)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose people from the teams you manage." in body
    assert 'id="people_error"' in body
    response = other_manager_client.post(_url(track), {"team": team.pk})
    assert response.status_code == 400
    assert "Choose one of the teams you manage." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_due_date_in_the_past_is_an_error_beside_the_field_and_keeps_the_input(
    manager_client, agent, track
):
    yesterday = _in(-1)
    response = manager_client.post(_url(track), {"people": [agent.pk], "due_on": yesterday})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_due_on_error"' in body
    assert "The due date is in the past." in body
    assert f'value="{yesterday}"' in body
    assert re.search(rf'value="{agent.pk}" id="id_people_\d+" checked', body)
    assert not Enrolment.objects.exists()


def test_choosing_nobody_is_an_error(manager_client, track):
    response = manager_client.post(_url(track), {"due_on": _in(3)})
    assert response.status_code == 400
    assert "Choose people, a whole team, or both." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"people": ["refund\x00s"]},
        {"people": ["99999999999999999999"]},
        {"people": ["-1"]},
        {"team": "99999999999999999999"},
        {"team": "x"},
        {"due_on": "2024-02-30"},
        {"due_on": "99999999999999999999"},
        {"due_on": "x" * 100_000},
        {"due_on": "2025-01-01\x00"},
    ],
    ids=["nul", "huge-person", "negative", "huge-team", "word-team", "bad-date", "huge-date",
         "long-date", "nul-date"],
)  # fmt: skip
def test_bad_input_is_a_form_error_and_saves_nothing(manager_client, agent, track, data):
    payload = {"people": [agent.pk], "due_on": _in(3), **data}
    response = manager_client.post(_url(track), payload)
    assert response.status_code in (400, 403)
    assert not Enrolment.objects.exists()


def test_a_hidden_track_is_404(manager_client, agent, editor, other_team):
    hidden = make_track(owner=editor, title="Tech only", visibility="teams")
    hidden.teams.set([other_team])
    assert manager_client.get(_url(hidden)).status_code == 404
    assert manager_client.post(_url(hidden), {"people": [agent.pk]}).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_draft_says_to_publish_first(client, team, agent):
    owner = UserFactory(team=team, roles=[Role.MANAGER])
    team.managers.add(owner)
    draft = make_track(owner=owner, title="Work in progress", published=False)
    client.force_login(owner)
    response = client.get(_url(draft))
    assert response.status_code == 200
    assert "Publish it before assigning it" in response.content.decode()
    assert client.post(_url(draft), {"people": [agent.pk]}).status_code == 400
    assert not Enrolment.objects.exists()


def test_other_methods_are_refused(manager_client, track):
    assert manager_client.put(_url(track)).status_code == 405
    assert manager_client.delete(_url(track)).status_code == 405


def test_the_page_has_breadcrumbs_select_all_for_each_team_and_a_cancel_button(
    manager_client, track
):
    body = manager_client.get(_url(track)).content.decode()
    assert '<li><a href="/training/">Training</a></li>' in body
    assert f'<li><a href="{track.get_absolute_url()}">{track.title}</a></li>' in body
    # Select all / Clear wait hidden until the script (a static file, no inline script) runs.
    assert re.search(r'<div class="select-all" data-select-all="assign-team-\d+" hidden>', body)
    assert "js/select-all.js" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert f'<a class="button secondary" href="{track.get_absolute_url()}">Cancel</a>' in body
