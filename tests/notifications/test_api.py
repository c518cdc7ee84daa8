"""The notifications and people API: own data only, JSON errors for anonymous clients."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.factories import NotificationFactory


@pytest.fixture
def mine(agent):
    return NotificationFactory.create_batch(2, recipient=agent)


def test_anonymous_gets_a_json_403(client, db):
    response = client.get("/api/notifications/")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_lists_and_marks_own_notifications(agent_client, mine, outsider):
    hidden = NotificationFactory(recipient=outsider)
    listed = agent_client.get("/api/notifications/").json()
    assert {n["id"] for n in listed["results"]} == {n.pk for n in mine}
    assert agent_client.get(f"/api/notifications/{hidden.pk}/").status_code == 404
    assert agent_client.post(f"/api/notifications/{hidden.pk}/read/").status_code == 404
    response = agent_client.post(f"/api/notifications/{mine[0].pk}/read/")
    assert response.json()["read_at"]
    assert agent_client.get("/api/notifications/?unread=true").json()["count"] == 1
    assert agent_client.post("/api/notifications/read-all/").json() == {"marked_read": 1}
    assert Notification.objects.get(pk=hidden.pk).read_at is None


def test_people_api_searches_and_knows_me(agent_client, agent):
    assert agent_client.get("/api/people/me/").json()["username"] == agent.username
    found = agent_client.get("/api/people/?q=refunds").json()["results"]
    assert [p["username"] for p in found] == [agent.username]
    assert found[0]["skills"] == ["refunds"]


def test_schema_is_served_to_signed_in_users(agent_client):
    response = agent_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/notifications/" in response.content
