"""The digest's unsubscribe link: works without signing in, for its own person only; an
altered or foreign token is refused and changes nothing."""

from __future__ import annotations

import pytest
from django.core import signing

from notifications.digests import UNSUBSCRIBE_SALT, unsubscribe_token
from notifications.models import Delivery, NotificationPreference
from tests.notifications.builders import prefer

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return f"/notifications/unsubscribe/{token}/"


def _choices(user) -> tuple[str, str, str]:
    stored = NotificationPreference.objects.get(user=user)
    return stored.kb, stored.training, stored.mentorship


def test_the_link_turns_the_digest_off_without_signing_in(client, agent):
    prefer(agent, digest=("kb", "training"), in_app=("mentorship",))
    url = _url(unsubscribe_token(agent))

    asked = client.get(url)
    assert asked.status_code == 200
    assert b"Stop the digest?" in asked.content
    assert _choices(agent) == ("digest", "digest", "in_app")  # asking changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert b"Your digest is off" in done.content
    assert b"/notifications/preferences/" in done.content
    # Digest-only kinds stay in the app; the other choices are untouched.
    assert _choices(agent) == (Delivery.IN_APP, Delivery.IN_APP, Delivery.IN_APP)
    assert NotificationPreference.objects.get(user=agent).search == Delivery.IMMEDIATELY


def test_an_altered_token_is_refused_and_changes_nothing(client, agent, mentor):
    prefer(mentor, digest=("kb",))
    token = unsubscribe_token(agent)
    # The mentor's id with the agent's timestamp and signature.
    signed = token.partition(":")[2]
    forged = signing.dumps(mentor.pk, salt=UNSUBSCRIBE_SALT).partition(":")[0] + ":" + signed
    other_salt = signing.dumps(mentor.pk, salt="somewhere.else")
    for bad in (forged, other_salt, token[:-2] + "xx", "1", "x" * 5000, "\x00"):
        response = client.post(_url(bad))
        assert response.status_code in (400, 404), bad
    assert _choices(mentor)[0] == Delivery.DIGEST


def test_someone_signed_in_cannot_use_another_person_s_link(agent_client, mentor):
    prefer(mentor, digest=("kb",))
    url = _url(unsubscribe_token(mentor))
    assert agent_client.get(url).status_code == 404
    assert agent_client.post(url).status_code == 404
    assert _choices(mentor)[0] == Delivery.DIGEST


def test_one_s_own_link_works_when_signed_in(agent_client, agent):
    prefer(agent, digest=("kb",))
    assert agent_client.post(_url(unsubscribe_token(agent))).status_code == 200
    assert _choices(agent)[0] == Delivery.IN_APP


def test_the_link_of_someone_who_left_is_a_404(client, agent):
    prefer(agent, digest=("kb",))
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert client.post(_url(unsubscribe_token(agent))).status_code == 404
    assert _choices(agent)[0] == Delivery.DIGEST
