"""Reviewing practical tasks: the list of evidence a reviewer may confirm, and confirming."""

from __future__ import annotations

import pytest

from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import StepCompletion, TrackStep
from training.services import learning

URL = "/training/reviews/"


@pytest.fixture
def reviewed_track(editor, article):
    track = make_track(owner=editor, title="Reviewed", articles=[article], task=True)
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    return track


def _hand_in(user, track, evidence="I took three refund calls."):
    return learning.task_evidence_submit(
        enrolment=enrol(user, track), step=track.steps.get(kind="task"), evidence=evidence
    )


def test_reviewers_see_the_evidence_waiting_for_them(
    client, agent, manager, outsider, reviewed_track
):
    _hand_in(agent, reviewed_track)
    _hand_in(outsider, reviewed_track, evidence="Outsider's notes")
    client.force_login(manager)  # the agent's manager, not the outsider's
    html = client.get(URL).content.decode()
    assert "I took three refund calls." in html
    assert "Outsider&#x27;s notes" not in html
    # The learner's words are labelled as theirs, apart from what the task asked.
    assert html.index("What the task asked") < html.index("Their evidence")
    assert html.index("Their evidence") < html.index("I took three refund calls.")
    client.force_login(agent)  # never one's own
    html = client.get(URL).content.decode()
    assert "Nothing is waiting for your review." in html


def test_confirming_completes_the_step(client, agent, manager, reviewed_track):
    completion = _hand_in(agent, reviewed_track)
    client.force_login(manager)
    response = client.post(f"/training/reviews/{completion.pk}/confirm/", follow=True)
    assert "Confirmed" in response.content.decode()
    completion.refresh_from_db()
    assert completion.status == StepCompletion.Status.DONE
    assert completion.reviewed_by == manager
    # Confirming twice is a message, not an error.
    response = client.post(f"/training/reviews/{completion.pk}/confirm/", follow=True)
    assert "This task is not waiting for a reviewer." in response.content.decode()


def test_someone_who_may_not_confirm_gets_404(client, agent, outsider, reviewed_track):
    completion = _hand_in(agent, reviewed_track)
    other_manager = UserFactory(team=outsider.team, roles=[Role.MANAGER])
    outsider.team.managers.add(other_manager)
    for person in (outsider, other_manager, agent):
        client.force_login(person)
        assert client.post(f"/training/reviews/{completion.pk}/confirm/").status_code == 404
    completion.refresh_from_db()
    assert completion.status == StepCompletion.Status.AWAITING_REVIEW


def test_confirm_refuses_get(client, agent, editor, reviewed_track):
    completion = _hand_in(agent, reviewed_track)
    client.force_login(editor)
    assert client.get(f"/training/reviews/{completion.pk}/confirm/").status_code == 405


@pytest.mark.parametrize("size", [2, 12])
def test_reviews_query_count_is_constant(
    client, editor, team, reviewed_track, size, django_assert_max_num_queries
):
    for _ in range(size):
        _hand_in(UserFactory(team=team), reviewed_track)
    client.force_login(editor)
    # session, user, roles (3); the completions with learner, team, track and step (1).
    with django_assert_max_num_queries(4):
        html = client.get(URL).content.decode()
    assert html.count('class="card stack review-item"') == size
