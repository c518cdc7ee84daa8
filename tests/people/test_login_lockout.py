"""Failed-login lockout (django-axes) locks a (username, address) pair, never everyone."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _attempt(client, username, password, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


@pytest.fixture
def failed_five_times(client, agent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, "agent", "wrong password", REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200  # the form again, with an error
        assert b"Please enter a correct username and password" in response.content
    # The attempt that reaches the limit is answered with the lockout page.
    assert _attempt(client, "agent", "wrong", REMOTE_ADDR="10.0.0.1").status_code == 429
    return client


def test_correct_password_is_refused_once_locked(failed_five_times):
    response = _attempt(failed_five_times, "agent", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in failed_five_times.session


def test_same_person_from_another_address_can_still_log_in(failed_five_times, client):
    response = _attempt(client, "agent", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_other_people_behind_the_same_address_are_not_locked_out(failed_five_times, mentor):
    response = _attempt(failed_five_times, "mentor", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, agent, settings):
    # Rotating a spoofed X-Forwarded-For must not reset the count.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "agent", "nope", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}")
    response = _attempt(client, "agent", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429


def test_the_lockout_page_says_how_long_and_sends_retry_after(failed_five_times, settings):
    response = _attempt(failed_five_times, "agent", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "paused for 15 minutes" in " ".join(response.content.decode().split())


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_address_counts_separately(client, agent, settings):
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    # nginx's $proxy_add_x_forwarded_for: the address it saw, appended to what the client sent.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "agent", "nope", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    locked = _attempt(client, "agent", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    other = _attempt(client, "agent", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302
