"""Training for integrators (an LMS, a reporting tool): the tracks the caller may take with
their steps, the caller's own enrolments and step completion, and knowledge-sharing sessions
with sign-up, leaving and (for who runs one) calling it off. Same rules and same words as the
site: every read goes through the models' `visible_to`, every write through
`training.services`.

`ROUTES` are registered on the project's router (prefix, viewset, basename); `PATHS` are
added beside them under /api/."""

from __future__ import annotations

from training.api.sessions import SessionViewSet
from training.api.tracks import EnrolmentViewSet, TrackViewSet

ROUTES = [
    ("tracks", TrackViewSet, "track"),
    ("enrolments", EnrolmentViewSet, "enrolment"),
    ("sessions", SessionViewSet, "session"),
]
PATHS: list = []
