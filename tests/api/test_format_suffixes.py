"""Every API URL also answers with a format suffix (`/api/people/me.json`), which REST
framework's router adds to each route: an action that does not take the `format` argument
was a 500 (TypeError) there. The fuzz test walks every suffixed URL; these are the actions."""

from __future__ import annotations

import pytest

from tests.factories import NotificationFactory


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/people/me.json"),
        ("post", "/api/notifications/{pk}/read.json"),
        ("post", "/api/notifications/read-all.json"),
    ],
)
def test_an_action_answers_with_a_format_suffix(agent_client, agent, method, url):
    notification = NotificationFactory(recipient=agent)
    response = getattr(agent_client, method)(url.format(pk=notification.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "url", ["/api/people.json", "/api/people/agent.json", "/api/notifications.json"]
)
def test_lists_and_details_answer_with_a_format_suffix(agent_client, url):
    assert agent_client.get(url).status_code == 200
