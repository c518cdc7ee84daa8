"""Training fixtures: a published article to read, and a track using it with a quiz and a
practical task, owned by the editor."""

from __future__ import annotations

import pytest

from tests.factories import make_article
from tests.training.builders import make_track


@pytest.fixture
def article(editor):
    return make_article(author=editor, title="Active listening", approved_by=editor)


@pytest.fixture
def track(editor, article):
    return make_track(owner=editor, articles=[article], quiz=True, task=True)
