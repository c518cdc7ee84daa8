"""Personal API tokens: made on the tokens page, shown once, stored hashed, revoked for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people import services
from people.models import ApiToken
from people.tokens import LAST_USED_EVERY, LIVE_TOKENS_MAX, hash_key

TOKENS = "/people/tokens/"


def _api(client, key: str, url: str = "/api/people/me/"):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


def test_making_a_token_shows_its_key_once_and_stores_only_a_hash(agent_client, agent):
    response = agent_client.post(TOKENS, {"name": "Helpdesk sidebar"})
    assert response.status_code == 200
    key = response.context["key"]
    token = ApiToken.objects.get(user=agent)
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Stored: a SHA-256 hash and the first characters, never the key.
    assert token.key_hash == hash_key(key) != key
    assert token.prefix == key[:8]
    assert not ApiToken.objects.filter(key_hash__contains=key).exists()
    # The page lists the token by name and prefix, without its key, from now on.
    page = agent_client.get(TOKENS).content.decode()
    assert "Helpdesk sidebar" in page
    assert token.prefix in page
    assert key not in page


def test_a_token_opens_the_api_as_its_owner_without_a_session(client, agent):
    _, key = services.api_token_create(user=agent, name="Script")
    response = _api(client, key)
    assert response.status_code == 200
    assert response.json()["username"] == agent.username


def test_last_use_is_recorded_at_most_once_every_few_minutes(client, agent):
    token, key = services.api_token_create(user=agent, name="Script")
    assert token.last_used_at is None
    _api(client, key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    # Within the interval a request reads the token and writes nothing.
    _api(client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - LAST_USED_EVERY)
    _api(client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - LAST_USED_EVERY


def test_a_request_within_the_interval_does_not_write(client, agent):
    _, key = services.api_token_create(user=agent, name="Script")
    _api(client, key)
    with CaptureQueriesContext(connection) as queries:
        assert _api(client, key).status_code == 200
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries)


def test_a_revoked_token_is_a_401_that_names_the_scheme(agent_client, agent):
    token, key = services.api_token_create(user=agent, name="Old laptop")
    response = agent_client.post(f"/people/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = _api(Client(), key)  # a client without the session
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"
    assert answer.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(
    "header",
    ["Token not-a-key", "Token ", "Token a b", "token \u00e9t\u00e9", "Token " + "x" * 5000],
)
def test_an_unknown_or_malformed_key_is_a_401(client, agent, header):
    response = client.get("/api/people/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail", "code"}


def test_an_inactive_persons_token_is_a_401(client, agent):
    _, key = services.api_token_create(user=agent, name="Script")
    agent.is_active = False
    agent.save()
    assert _api(client, key).status_code == 401


def test_another_persons_token_cannot_be_revoked_through_you(agent_client, outsider):
    theirs, _ = services.api_token_create(user=outsider, name="Theirs")
    assert agent_client.post(f"/people/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert "Theirs" not in agent_client.get(TOKENS).content.decode()


def test_revoking_asks_for_a_post(agent_client, agent):
    token, _ = services.api_token_create(user=agent, name="Script")
    assert agent_client.get(f"/people/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_is_a_message_not_an_error(agent_client, agent):
    token, _ = services.api_token_create(user=agent, name="Script")
    services.api_token_revoke(token=token)
    response = agent_client.post(f"/people/tokens/{token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert "already revoked" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, "at most 100 characters"),
        ("two\nlines", "single line"),
        ("nul\x00byte", "NUL character"),
    ],
)
def test_names_are_validated(agent_client, agent, name, message):
    response = agent_client.post(TOKENS, {"name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_live_name_is_unique_per_person_and_freed_by_revoking(agent_client, agent, outsider):
    token, _ = services.api_token_create(user=agent, name="Script")
    response = agent_client.post(TOKENS, {"name": "Script"})
    assert response.status_code == 400
    assert "already have a token with this name" in response.content.decode()
    services.api_token_create(user=outsider, name="Script")  # someone else's name is theirs
    services.api_token_revoke(token=token)
    assert agent_client.post(TOKENS, {"name": "Script"}).status_code == 200
    assert ApiToken.objects.filter(user=agent).count() == 2


def test_the_database_holds_one_live_name_per_person(agent):
    ApiToken.objects.create(user=agent, name="Twice", prefix="a", key_hash="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=agent, name="Twice", prefix="b", key_hash="b")


def test_the_database_refuses_a_revocation_before_creation(agent):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=agent, name="Odd", prefix="a", key_hash="a",
            created_at=now, revoked_at=now - timedelta(days=1),
        )  # fmt: skip


def test_live_tokens_are_limited(agent):
    for n in range(LIVE_TOKENS_MAX):
        services.api_token_create(user=agent, name=f"Tool {n}")
    with pytest.raises(ValidationError, match="revoke one"):
        services.api_token_create(user=agent, name="One more")


def test_the_profile_links_to_ones_own_tokens_only(agent_client, agent, outsider):
    assert TOKENS in agent_client.get(agent.get_absolute_url()).content.decode()
    assert TOKENS not in agent_client.get(outsider.get_absolute_url()).content.decode()


def test_the_tokens_page_needs_a_login(client, db):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_tokens_page_holds_its_query_count(agent_client, agent, django_assert_max_num_queries):
    for size in (1, 10):
        for n in range(size):
            services.api_token_create(user=agent, name=f"Tool {size}-{n}")
        with django_assert_max_num_queries(8):
            assert agent_client.get(TOKENS).status_code == 200
