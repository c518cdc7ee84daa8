"""Every API failure answers one body: {"detail": ..., "code": ..., "fields": {...}}, with
`fields` for validation errors only, whatever the status."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.exceptions import ValidationError
from rest_framework.throttling import SimpleRateThrottle

from people.api_errors import error_body
from people.api_schema import ERROR_SCHEMA
from tests.factories import NotificationFactory


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) <= set(ERROR_SCHEMA["properties"])
    assert body["code"] == code
    assert body["detail"].strip()
    return body


def test_not_signed_in_is_a_403_with_the_body(client, db):
    body = _assert_error(client.get("/api/people/"), 403, "not_authenticated")
    assert "fields" not in body


def test_a_bad_token_is_a_401_with_the_body(client, db):
    response = client.get("/api/people/", HTTP_AUTHORIZATION="Token nope")
    _assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"


def test_a_row_you_may_not_see_is_a_404_with_the_body(agent_client, outsider):
    theirs = NotificationFactory(recipient=outsider)
    _assert_error(agent_client.get(f"/api/notifications/{theirs.pk}/"), 404, "not_found")
    _assert_error(agent_client.get("/api/people/?page=999"), 404, "not_found")


def test_a_method_the_operation_lacks_is_a_405_with_the_body(agent_client):
    _assert_error(agent_client.delete("/api/people/me/"), 405, "method_not_allowed")


def test_a_parameter_refused_is_a_400_naming_it(agent_client):
    body = _assert_error(agent_client.get("/api/people/", {"q": "a\x00b"}), 400, "invalid")
    assert list(body["fields"]) == ["q"]
    assert body["fields"]["q"]


def test_a_body_that_is_no_json_is_a_400_without_fields(agent_client):
    response = agent_client.post("/api/kudos/", "{not json", content_type="application/json")
    body = _assert_error(response, 400, "parse_error")
    assert "fields" not in body


def test_throttled_is_a_429_with_the_body_and_retry_after(agent_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/minute")
    assert [agent_client.get("/api/people/me/").status_code for _ in range(2)] == [200, 200]
    response = agent_client.get("/api/people/me/")
    _assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_the_throttle_counts_per_person(agent_client, outsider, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "1/minute")
    assert agent_client.get("/api/people/me/").status_code == 200
    assert agent_client.get("/api/people/me/").status_code == 429
    other = Client()
    other.force_login(outsider)
    assert other.get("/api/people/me/").status_code == 200


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        (
            {"title": ["Too long."], "non_field_errors": ["Not now."]},
            {"detail": "Not now.", "code": "invalid", "fields": {"title": ["Too long."]}},
        ),
        (
            # A list's items by position, a nested object's fields by their path.
            {"recipients": {0: ["No such person."]}, "target": {"id": ["Unknown."]}},
            {
                "detail": "Some fields are invalid; see `fields`.",
                "code": "invalid",
                "fields": {"recipients.0": ["No such person."], "target.id": ["Unknown."]},
            },
        ),
        (
            {"steps": [{}, {"title": ["Required."]}]},
            {
                "detail": "Some fields are invalid; see `fields`.",
                "code": "invalid",
                "fields": {"steps.1.title": ["Required."]},
            },
        ),
        (["One.", "Two."], {"detail": "One. Two.", "code": "invalid", "fields": {}}),
    ],
)
def test_validation_errors_are_flattened_to_messages_by_field(detail, expected):
    assert error_body(ValidationError(detail)) == expected
