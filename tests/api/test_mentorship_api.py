"""The mentorship API beyond the pairings list (tests/mentorship/test_api.py): a pairing's
meetings, with their agenda and shared notes, for the pair alone (403 for a manager who sees
the pairing, 404 for anyone else), planned through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.models import Meeting
from mentorship.services import lifecycle
from people.models import Role
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

NOTES = "Private notes about the dispute"


@pytest.fixture
def pairing(mentor, agent):
    made = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    Meeting.objects.create(pairing=made, starts_at=timezone.now() - timedelta(days=2),
                           agenda="Chargebacks", notes=NOTES)  # fmt: skip
    return made


def _plan(client, pairing, **body):
    data = {"starts_at": (timezone.now() + timedelta(days=3)).isoformat(), **body}
    return client.post(f"/api/pairings/{pairing.pk}/meetings/", data,
                       content_type="application/json")  # fmt: skip


def test_the_pair_reads_its_meetings_with_the_notes(client, pairing, agent, mentor):
    for member in (agent, mentor):
        client.force_login(member)
        rows = client.get(f"/api/pairings/{pairing.pk}/meetings/").json()["results"]
        assert [(r["agenda"], r["notes"]) for r in rows] == [("Chargebacks", NOTES)]


def test_nobody_outside_the_pair_reads_the_notes(client, pairing, manager, outsider):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    for viewer, status in ((manager, 403), (root, 403), (outsider, 404)):
        client.force_login(viewer)
        for url in (f"/api/pairings/{pairing.pk}/meetings/", "/api/pairings/",
                    f"/api/pairings/{pairing.pk}/"):  # fmt: skip
            response = client.get(url)
            assert NOTES not in response.content.decode()
        assert client.get(f"/api/pairings/{pairing.pk}/meetings/").status_code == status
        assert _plan(client, pairing).status_code == status
    assert Meeting.objects.count() == 1


def test_anonymous_callers_are_refused(client, pairing):
    assert client.get(f"/api/pairings/{pairing.pk}/meetings/").status_code in (401, 403)


def test_a_member_plans_a_meeting_and_the_other_is_told(client, pairing, agent, mentor):
    client.force_login(agent)
    response = _plan(client, pairing, agenda="Escalations", duration_minutes=45)
    assert response.status_code == 201
    assert (response.json()["agenda"], response.json()["created_by"]) == ("Escalations", "agent")
    assert mentor.notifications.filter(kind="mentorship.meeting_planned").count() == 1
    upcoming = client.get(f"/api/pairings/{pairing.pk}/meetings/?when=upcoming").json()
    assert [r["agenda"] for r in upcoming["results"]] == ["Escalations"]


@pytest.mark.parametrize(
    "body",
    [
        {"starts_at": "2001-01-01T10:00:00Z"},  # over a year ago: the service refuses it
        {"duration_minutes": 10**20},
        {"duration_minutes": 2},
        {"agenda": "a\x00b"},
        {"notes": "x" * 20_001},
        {"starts_at": "soon"},
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(client, pairing, agent, body):
    client.force_login(agent)
    response = _plan(client, pairing, **body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert Meeting.objects.count() == 1


def test_a_completed_pairings_plan_is_read_only(client, pairing, agent, mentor):
    lifecycle.pairing_complete(pairing=pairing, user=mentor)
    client.force_login(agent)
    assert _plan(client, pairing).status_code == 400
    assert client.get(f"/api/pairings/{pairing.pk}/meetings/").status_code == 200


@pytest.mark.parametrize("url", ["meetings/?when=a%00b", "meetings/?page=99999"])
def test_bad_parameters_get_a_json_4xx(client, pairing, agent, url):
    client.force_login(agent)
    response = client.get(f"/api/pairings/{pairing.pk}/{url}")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [2, 8])
def test_lists_read_in_a_constant_number_of_queries(
    client, agent, pairing, team, size, django_assert_max_num_queries
):
    make_profile(agent, capacity=10)
    for n in range(size):
        Meeting.objects.create(pairing=pairing, starts_at=timezone.now() - timedelta(days=n + 3))
        mentee = UserFactory(team=team, roles=[Role.AGENT])
        make_pairing(program=make_program(name=f"Programme {n}"), mentor=agent, mentee=mentee)
    client.force_login(agent)
    # Measured: 6 each (session, user, the pairing or the count, the page), at both sizes.
    with django_assert_max_num_queries(6):
        assert client.get("/api/pairings/").json()["count"] == size + 1
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/pairings/{pairing.pk}/meetings/").json()["count"] == size + 1
