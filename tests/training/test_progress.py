"""Steps done in any order complete the track once every step that counts is done."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kb.services.workflow import article_archive
from tests.training.builders import enrol
from training.models import Enrolment
from training.services.progress import enrolment_settle, step_complete, steps_for_learner


def _steps(track):
    return {step.kind: step for step in track.steps.all()}


def test_steps_done_out_of_order_complete_the_track_with_a_certificate(agent, track):
    enrolment = enrol(agent, track)
    steps = _steps(track)
    step_complete(enrolment=enrolment, step=steps["task"], evidence="Took a call.")
    step_complete(enrolment=enrolment, step=steps["quiz"])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.certificate_code is None
    step_complete(enrolment=enrolment, step=steps["article"])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.certificate_code


def test_a_task_waiting_for_its_reviewer_keeps_the_track_open(agent, track):
    enrolment = enrol(agent, track)
    steps = _steps(track)
    step_complete(enrolment=enrolment, step=steps["article"])
    step_complete(enrolment=enrolment, step=steps["quiz"])
    step_complete(enrolment=enrolment, step=steps["task"], awaiting_review=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_an_article_the_learner_cannot_read_is_skipped_not_a_wall(agent, editor, track, article):
    article_archive(article=article, editor=editor)
    _counted, skipped = steps_for_learner(track=track, user=agent)
    assert [s.kind for s in skipped] == ["article"]
    enrolment = enrol(agent, track)
    steps = _steps(track)
    step_complete(enrolment=enrolment, step=steps["quiz"])
    step_complete(enrolment=enrolment, step=steps["task"])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_withdrawn_learner_cannot_complete_steps(agent, track):
    enrolment = enrol(agent, track, status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(ValidationError):
        step_complete(enrolment=enrolment, step=_steps(track)["article"])


def test_an_empty_track_never_completes(agent, editor):
    from tests.training.builders import make_track

    enrolment = enrol(agent, make_track(owner=editor, title="Empty"))
    assert enrolment_settle(enrolment=enrolment).status == Enrolment.Status.ACTIVE


def test_a_session_attended_before_enrolling_counts_on_enrolment(agent, editor, article):
    from tests.training.builders import make_session, make_track
    from training.models import SessionSignup
    from training.services.learning import track_enrol

    session = make_session(organiser=editor, days=-2)
    SessionSignup.objects.create(session=session, user=agent, status="confirmed", attended=True)
    track = make_track(owner=editor, title="Attend only", sessions=[session])
    enrolment = track_enrol(track=track, user=agent)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
