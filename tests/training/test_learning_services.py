"""Taking a track through the services: enrolling (once), leaving, reading, handing in a
practical task for a reviewer, and confirming it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.models import Article
from kb.services.workflow import article_archive
from notifications.models import Notification
from people.models import Role
from tests.factories import UserFactory, make_article
from tests.training.builders import enrol, make_track
from training.models import Enrolment, StepCompletion, TrackStep
from training.services import learning
from training.services.progress import step_complete


def _step(track, kind):
    return track.steps.get(kind=kind)


# --- Enrolling and leaving ------------------------------------------------------------------


def test_enrolling_twice_is_one_enrolment(agent, track):
    first = learning.track_enrol(track=track, user=agent)
    second = learning.track_enrol(track=track, user=agent)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=agent, track=track).count() == 1


def test_a_draft_track_is_not_open_for_enrolment(agent, editor):
    draft = make_track(owner=editor, title="Not yet", published=False)
    with pytest.raises(ValidationError):
        learning.track_enrol(track=draft, user=agent)
    # Not even for its owner: drafts are previews.
    with pytest.raises(ValidationError):
        learning.track_enrol(track=draft, user=editor)
    assert not Enrolment.objects.exists()


def test_a_track_for_other_teams_refuses_an_outsider(outsider, editor, team, article):
    track = make_track(owner=editor, title="Billing only", articles=[article], visibility="teams")
    track.teams.set([team])
    with pytest.raises(ValidationError):
        learning.track_enrol(track=track, user=outsider)
    assert not Enrolment.objects.exists()


def test_leaving_keeps_progress_and_enrolling_again_takes_it_up(agent, track):
    enrolment = learning.track_enrol(track=track, user=agent)
    learning.article_step_read(enrolment=enrolment, step=_step(track, "article"))
    learning.track_withdraw(enrolment=enrolment, user=agent)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert enrolment.withdrawn_at is not None
    again = learning.track_enrol(track=track, user=agent)
    assert again.pk == enrolment.pk
    assert again.status == Enrolment.Status.ACTIVE
    assert again.withdrawn_at is None
    assert again.completions.count() == 1


def test_enrolling_again_completes_a_track_whose_steps_were_all_done(agent, editor, article):
    track = make_track(owner=editor, title="One read", articles=[article])
    enrolment = enrol(agent, track)
    step_complete(enrolment=enrolment, step=_step(track, "article"))
    enrolment.refresh_from_db()
    # A completed track cannot be left; withdraw a fresh one with the step done on it.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status="withdrawn", completed_at=None, certificate_code=None
    )
    again = learning.track_enrol(track=track, user=agent)
    assert again.status == Enrolment.Status.COMPLETED
    assert again.certificate_code


def test_only_the_learner_leaves_and_a_completed_track_stays_completed(agent, manager, track):
    enrolment = enrol(agent, track)
    with pytest.raises(PermissionDenied):
        learning.track_withdraw(enrolment=enrolment, user=manager)
    for step in track.steps.exclude(kind="quiz"):
        step_complete(enrolment=enrolment, step=step)
    step_complete(enrolment=enrolment, step=_step(track, "quiz"))
    enrolment.refresh_from_db()
    assert enrolment.is_completed
    with pytest.raises(ValidationError):
        learning.track_withdraw(enrolment=enrolment, user=agent)
    enrolment.refresh_from_db()
    assert enrolment.is_completed


def test_leaving_an_assigned_track_tells_the_manager_once(agent, manager, track):
    enrolment = enrol(agent, track, assigned_by=manager)
    learning.track_withdraw(enrolment=enrolment, user=agent)
    with pytest.raises(ValidationError):
        learning.track_withdraw(enrolment=enrolment, user=agent)
    told = Notification.objects.get(kind="training.withdrawn")
    assert told.recipient == manager
    assert agent.name in told.message


# --- Steps ---------------------------------------------------------------------------------


def test_an_article_the_learner_cannot_read_cannot_be_marked_read(agent, editor, track, article):
    enrolment = enrol(agent, track)
    article_archive(article=article, editor=editor)
    with pytest.raises(ValidationError):
        learning.article_step_read(enrolment=enrolment, step=_step(track, "article"))
    assert not StepCompletion.objects.exists()


def test_a_step_of_another_kind_or_track_is_refused(agent, editor, track, article):
    enrolment = enrol(agent, track)
    with pytest.raises(ValidationError):
        learning.article_step_read(enrolment=enrolment, step=_step(track, "task"))
    other = make_track(owner=editor, title="Other", articles=[article])
    with pytest.raises(ValidationError):
        learning.article_step_read(enrolment=enrolment, step=_step(other, "article"))
    assert not StepCompletion.objects.exists()


def test_reading_records_the_revision_read(agent, track, article):
    enrolment = enrol(agent, track)
    completion = learning.article_step_read(enrolment=enrolment, step=_step(track, "article"))
    assert completion.revision_id == Article.objects.get(pk=article.pk).published_revision_id


@pytest.mark.parametrize(
    ("evidence", "error"),
    [("", "Write what you did"), ("   ", "Write what you did"), ("x" * 5001, "5000 characters")],
)
def test_task_evidence_is_required_and_bounded(agent, track, evidence, error):
    enrolment = enrol(agent, track)
    with pytest.raises(ValidationError, match=error):
        learning.task_evidence_submit(
            enrolment=enrolment, step=_step(track, "task"), evidence=evidence
        )
    assert not StepCompletion.objects.exists()


@pytest.fixture
def reviewed_track(editor, article):
    track = make_track(owner=editor, title="Reviewed", articles=[article], task=True)
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    return track


def test_evidence_waits_for_a_reviewer_who_is_told_once(agent, manager, editor, reviewed_track):
    enrolment = enrol(agent, reviewed_track)
    task = _step(reviewed_track, "task")
    learning.task_evidence_submit(enrolment=enrolment, step=task, evidence="Took a call.")
    learning.task_evidence_submit(enrolment=enrolment, step=task, evidence="Took two calls.")
    completion = StepCompletion.objects.get()
    assert completion.status == StepCompletion.Status.AWAITING_REVIEW
    assert completion.evidence == "Took two calls."
    # The owner (editor) and the agent's manager, each once, per completion.
    told = sorted(
        Notification.objects.filter(kind="training.task_review").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == ["editor", "manager"]
    assert all(
        key.startswith(f"training.task-review:{completion.pk}:")
        for key in Notification.objects.values_list("dedupe_key", flat=True)
        if key and key.startswith("training.task-review")
    )


def test_the_learners_manager_confirms_and_the_track_completes(agent, manager, reviewed_track):
    enrolment = enrol(agent, reviewed_track)
    learning.article_step_read(enrolment=enrolment, step=_step(reviewed_track, "article"))
    completion = learning.task_evidence_submit(
        enrolment=enrolment, step=_step(reviewed_track, "task"), evidence="Did it."
    )
    enrolment.refresh_from_db()
    assert enrolment.is_active
    learning.task_confirm(completion=completion, reviewer=manager)
    enrolment.refresh_from_db()
    assert enrolment.is_completed
    # The reviewers' requests are settled: nothing waits for them any more.
    assert not Notification.objects.filter(kind="training.task_review", read_at=None).exists()


def test_only_owner_editors_and_the_learners_managers_confirm(
    agent, outsider, mentor, reviewed_track
):
    enrolment = enrol(agent, reviewed_track)
    completion = learning.task_evidence_submit(
        enrolment=enrolment, step=_step(reviewed_track, "task"), evidence="Did it."
    )
    other_manager = UserFactory(team=outsider.team, roles=[Role.MANAGER])
    outsider.team.managers.add(other_manager)
    for person in (agent, outsider, mentor, other_manager):
        assert not completion.can_be_confirmed_by(person)
        with pytest.raises(PermissionDenied):
            learning.task_confirm(completion=completion, reviewer=person)
    completion.refresh_from_db()
    assert completion.status == StepCompletion.Status.AWAITING_REVIEW


def test_without_owner_or_manager_the_kb_editors_are_asked(editor, article):
    loner = UserFactory(team=None, roles=[Role.AGENT])
    track = make_track(owner=loner, title="Own track", articles=[article], task=True)
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    enrolment = enrol(loner, track)
    learning.task_evidence_submit(enrolment=enrolment, step=_step(track, "task"), evidence="Done")
    told = Notification.objects.filter(kind="training.task_review")
    assert list(told.values_list("recipient", flat=True)) == [editor.pk]


def test_a_restricted_article_step_is_readable_by_its_team(agent, outsider, editor, team):
    restricted = make_article(
        author=editor, title="Billing secrets", visibility="teams", teams=[team], approved_by=editor
    )
    track = make_track(owner=editor, title="Mixed", articles=[restricted], task=True)
    step = _step(track, "article")
    learning.article_step_read(enrolment=enrol(agent, track), step=step)
    with pytest.raises(ValidationError):
        learning.article_step_read(enrolment=enrol(outsider, track), step=step)
