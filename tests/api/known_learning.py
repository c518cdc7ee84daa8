"""Rows for the API schema run (`api_data`): real path-parameter values, by name, for this
area's operations, so generated requests reach rows instead of 404s: a published track the
agent takes (with a read, an external and a quiz step), the agent's enrolment, a session the
agent signed up for and one they organise, and the mentoring pairing of `api_data` (its id
is listed there already) with a meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mentorship.models import Meeting, Pairing
from tests.factories import make_article
from tests.training.builders import enrol, make_session, make_track
from training.models import TrackStep
from training.services.sessions import session_signup


def add(*, agent, editor, outsider) -> dict[str, list[Any]]:
    article = make_article(author=editor, approved_by=editor, title="Partial refunds")
    track = make_track(owner=editor, title="Refunds for beginners", articles=[article], quiz=True)
    TrackStep.objects.create(
        track=track, position=9, kind="external", url="https://example.com/refunds"
    )
    enrolment = enrol(agent, track)
    talk = make_session(organiser=editor, title="Chargeback clinic")
    session_signup(session=talk, user=agent)
    own = make_session(organiser=agent, title="Agent's roundtable", kind="roundtable")
    for pairing in Pairing.objects.filter(mentee=agent):
        Meeting.objects.create(pairing=pairing, starts_at=timezone.now() - timedelta(days=1))
    return {
        "slug": [track.slug, talk.slug, own.slug],
        "id": [enrolment.pk],
        "step": list(track.steps.values_list("pk", flat=True)),
    }
