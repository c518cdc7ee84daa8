"""The lockout page says how long in minutes, never as an ISO 8601 duration (PT15M)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest


@pytest.mark.parametrize(
    ("login_url", "minutes", "said"),
    [
        ("/accounts/login/", 15, "paused for 15 minutes"),
        ("/accounts/login/", 1, "paused for 1 minute."),
        ("/admin/login/", 15, "paused for 15 minutes"),
    ],
)
def test_the_lockout_page_says_minutes(client, agent, settings, login_url, minutes, said):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=minutes)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(login_url, {"username": "agent", "password": "wrong"})
    assert response.status_code == 429
    text = " ".join(response.content.decode().split())
    assert said in text
    assert not re.search(r"\bPT\d", text)
