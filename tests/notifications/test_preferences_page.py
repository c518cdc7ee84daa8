"""The preferences page: one choice per kind group and when the digest comes; bad input is a
form error that changes nothing; reachable from the notifications list."""

from __future__ import annotations

import pytest

from notifications.models import Delivery, NotificationPreference
from tests.notifications.builders import prefer

pytestmark = pytest.mark.django_db

URL = "/notifications/preferences/"
GROUPS = ("kb", "search", "questions", "training", "mentorship", "recognition", "people")


def _form(**changes) -> dict:
    data = {name: Delivery.IMMEDIATELY for name in GROUPS}
    data |= {"digest_frequency": "daily", "digest_weekday": "0", "digest_hour": "8"}
    return data | changes


def test_the_page_shows_the_defaults_for_someone_who_never_chose(agent_client):
    response = agent_client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["kb"].value() == Delivery.IMMEDIATELY
    assert form["digest_hour"].value() == 8
    assert b'<label for="id_recognition">' in response.content


def test_saving_stores_each_choice(agent_client, agent):
    response = agent_client.post(
        URL,
        _form(kb="digest", training="in_app", digest_frequency="weekly", digest_weekday="4",
              digest_hour="17"),
    )  # fmt: skip
    assert response.status_code == 302
    stored = NotificationPreference.objects.get(user=agent)
    assert (stored.kb, stored.training, stored.search) == ("digest", "in_app", "immediately")
    assert (stored.digest_frequency, stored.digest_weekday, stored.digest_hour) == ("weekly", 4, 17)


@pytest.mark.parametrize(
    "bad",
    [
        {"kb": "sometimes"},
        {"kb": ""},
        {"digest_hour": "24"},
        {"digest_hour": "-1"},
        {"digest_hour": "9" * 40},
        {"digest_weekday": "7"},
        {"digest_frequency": "hourly"},
        {"mentorship": "digest\x00"},
        {"search": "x" * 100_000},
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(agent_client, agent, bad):
    prefer(agent, digest=("kb",))
    response = agent_client.post(URL, _form(search="in_app") | bad)
    assert response.status_code == 400
    if not any(
        "\x00" in value for value in bad.values()
    ):  # NUL bytes are refused before any view runs
        assert response.context["form"].errors
    stored = NotificationPreference.objects.get(user=agent)
    assert (stored.kb, stored.search) == (Delivery.DIGEST, Delivery.IMMEDIATELY)


def test_each_person_changes_only_their_own_preferences(agent_client, agent, mentor):
    prefer(mentor, digest=("kb",))
    agent_client.post(URL, _form(kb="in_app", user=str(mentor.pk)))
    assert NotificationPreference.objects.get(user=mentor).kb == Delivery.DIGEST
    assert NotificationPreference.objects.get(user=agent).kb == Delivery.IN_APP


def test_the_notifications_list_links_the_preferences(agent_client):
    assert URL.encode() in agent_client.get("/notifications/").content


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
