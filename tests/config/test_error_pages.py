"""Huddle's own 403, 404 and 500 pages: helpful text, no stack trace, no half-saved work."""

from __future__ import annotations

from django.test import RequestFactory
from django.views.defaults import server_error


def test_unknown_page_gets_the_friendly_404(agent_client):
    response = agent_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_forbidden_action_gets_the_403_with_its_reason(agent_client, manager):
    response = agent_client.get(f"/people/u/{manager.username}/edit/")
    assert response.status_code == 403
    assert "You can only edit your own profile." in response.content.decode()


def test_server_error_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
