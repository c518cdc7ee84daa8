"""Every input of the catalogue and the editor, one at a time, set to each hostile value the
site-wide fuzz test uses (NUL bytes, 1 MB, huge and negative numbers, bad dates, invalid
UTF-8...) on real tracks and steps: never a 500, and a refused request changes nothing."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction

from tests.fuzz.inputs import HOSTILE
from tests.training.builders import make_session, make_track
from training.models import QuizOption, QuizQuestion, Track, TrackStep

MODELS = (Track, TrackStep, QuizQuestion, QuizOption)


class _Rollback(Exception):
    pass


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def _encode(data: dict[str, bytes]) -> str:
    return "&".join(
        f"{quote_from_bytes(k.encode())}={quote_from_bytes(v)}" for k, v in data.items()
    )


@pytest.fixture
def cases(editor, article):
    """(method, path, plausible inputs) for every view of the editor, on real rows."""
    track = make_track(owner=editor, title="Calm calls", published=False, articles=[article])
    quiz = TrackStep.objects.create(track=track, position=2, kind="quiz", pass_mark=50)
    question = QuizQuestion.objects.create(step=quiz, position=1, text="?")
    session = make_session(organiser=editor)
    base = f"/training/tracks/{track.slug}/"
    settings = {
        "title": b"Calm", "description": b"", "skills": b"empathy", "visibility": b"everyone",
        "teams": b"", "estimated_minutes": b"30",
    }  # fmt: skip
    question_data = {
        "text": b"Why?", "option_1": b"A", "correct_1": b"on", "option_2": b"B",
        "correct_2": b"", "explanation": b"",
    }  # fmt: skip
    steps = {
        "article": {"kind": b"article", "article": str(article.pk).encode(), "title": b""},
        "external": {"kind": b"external", "title": b"T", "url": b"https://example.com"},
        "task": {
            "kind": b"task",
            "title": b"T",
            "description": b"Do",
            "requires_confirmation": b"on",
        },
        "quiz": {"kind": b"quiz", "title": b"Q", "description": b"", "pass_mark": b"80"},
        "session": {"kind": b"session", "session": str(session.pk).encode()},
    }
    return [
        ("GET", "/training/", {"q": b"calm", "skill": b"empathy", "page": b"1"}),
        ("POST", "/training/tracks/new/", settings),
        ("POST", f"{base}edit/", settings),
        ("GET", f"{base}edit/", {"moved": b"1", "dir": b"up"}),
        ("POST", f"{base}publish/", {"action": b"publish"}),
        ("GET", f"{base}steps/add/", {"kind": b"task"}),
        *[("POST", f"{base}steps/add/", data) for data in steps.values()],
        ("POST", f"{base}steps/{quiz.pk}/edit/", {"title": b"Q", "pass_mark": b"70"}),
        ("POST", f"{base}steps/{quiz.pk}/move/", {"direction": b"up"}),
        ("POST", f"{base}steps/{quiz.pk}/remove/", {"confirm": b"yes"}),
        ("POST", f"{base}steps/{quiz.pk}/questions/add/", question_data),
        ("POST", f"{base}steps/{quiz.pk}/questions/{question.pk}/remove/", {"x": b""}),
    ]


def _send(client, method: str, path: str, data: dict[str, bytes], htmx: bool) -> str | None:
    """One request, rolled back afterwards; what went wrong, if anything."""
    before = _counts()
    headers = {"HX-Request": "true"} if htmx else {}
    problem = None
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.generic("GET", path, QUERY_STRING=_encode(data), headers=headers)
            else:
                response = client.generic(
                    "POST", path, _encode(data),
                    content_type="application/x-www-form-urlencoded", headers=headers,
                )  # fmt: skip
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
            elif response.status_code >= 400 and _counts() != before:
                problem = f"HTTP {response.status_code}, but rows changed"
            raise _Rollback
    except _Rollback:
        pass
    return problem


def test_no_hostile_input_gets_a_500_or_changes_anything_when_refused(client, editor, cases):
    client.force_login(editor)
    problems = []
    for method, path, plausible in cases:
        for name in plausible:
            for label, value in HOSTILE.items():
                data = {**plausible, name: value}
                for htmx in (False, True) if path.endswith("/move/") else (False,):
                    if problem := _send(client, method, path, data, htmx):
                        problems.append(f"{method} {path} {name}={label} htmx={htmx}: {problem}")
    assert problems == []
