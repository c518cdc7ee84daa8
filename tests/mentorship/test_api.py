"""The pairings API: the pairings `Pairing.objects.visible_to` allows, with the health managers
see (meetings, goals met), never the plan's words, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.models import Goal, Meeting, PairingFeedback
from mentorship.services import pairings
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

FIELDS = {
    "id", "programme", "mentor", "mentee", "status", "started_on", "ends_on", "last_meeting_at",
    "meetings_held", "goals_met", "goal_count",
}  # fmt: skip
SECRETS = ("Private notes about the dispute", "Secret agenda item", "Own chargebacks alone",
           "Please help me", "Loved every minute")  # fmt: skip


@pytest.fixture
def program(db):
    return make_program(name="Onboarding mentoring")


@pytest.fixture
def pairing(program, mentor, agent, outsider):
    """The agent (on the manager's team) mentored by the mentor, with a plan: a met goal and an
    open one, a meeting held with notes and one ahead."""
    made = pairings.pairing_request(
        program=program, mentee=agent, mentor=_open(mentor), message="Please help me"
    )
    made = pairings.pairing_accept(pairing=made, mentor=mentor)
    now = timezone.now()
    Goal.objects.create(pairing=made, title="Own chargebacks alone", progress=40)
    Goal.objects.create(pairing=made, title="Another", status="met", progress=100, met_at=now)
    Meeting.objects.create(
        pairing=made, starts_at=now - timedelta(days=3), agenda="Secret agenda item",
        notes="Private notes about the dispute",
    )  # fmt: skip
    Meeting.objects.create(pairing=made, starts_at=now + timedelta(days=3))
    return made


def _open(user):
    make_profile(user, capacity=3)
    return user


def test_the_mentee_reads_their_pairing_with_its_health_and_no_words(client, agent, pairing):
    client.force_login(agent)
    listed = client.get("/api/pairings/").json()
    assert [row["id"] for row in listed["results"]] == [pairing.pk]
    row = client.get(f"/api/pairings/{pairing.pk}/").json()
    assert set(row) == FIELDS
    assert row["programme"] == "onboarding-mentoring"
    assert (row["mentor"], row["mentee"], row["status"]) == ("mentor", "agent", "active")
    assert (row["meetings_held"], row["goals_met"], row["goal_count"]) == (1, 1, 2)
    assert row["last_meeting_at"] is not None
    assert row["started_on"] == pairing.started_on.isoformat()


def test_no_words_of_the_plan_or_the_feedback_ever_appear(client, pairing, manager, mentor):
    pairing = pairings.pairing_complete(pairing=pairing, user=mentor)
    PairingFeedback.objects.create(pairing=pairing, author=mentor, rating=5,
                                   comments="Loved every minute")  # fmt: skip
    for viewer in (mentor, manager, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(viewer)
        for url in ("/api/pairings/", f"/api/pairings/{pairing.pk}/"):
            body = client.get(url).content.decode()
            assert str(pairing.pk) in body
            for secret in SECRETS:
                assert secret not in body, (viewer.username, url, secret)


def test_the_mentees_manager_and_programme_managers_see_it(client, pairing, manager, program):
    lead = UserFactory(username="lead", roles=[Role.AGENT], team=TeamFactory())
    program.managers.add(lead)
    for viewer in (manager, lead):
        client.force_login(viewer)
        assert client.get(f"/api/pairings/{pairing.pk}/").status_code == 200
        assert [r["id"] for r in client.get("/api/pairings/").json()["results"]] == [pairing.pk]


def test_others_get_404_and_an_empty_list(client, pairing, outsider, other_team):
    other_manager = UserFactory(username="other-lead", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(other_manager)
    for viewer in (outsider, other_manager):
        client.force_login(viewer)
        response = client.get(f"/api/pairings/{pairing.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert client.get("/api/pairings/").json()["results"] == []


def test_anonymous_callers_are_refused(client, pairing):
    assert client.get("/api/pairings/").status_code == 403
    assert client.get(f"/api/pairings/{pairing.pk}/").status_code == 403


def test_status_and_programme_narrow_the_list(client, pairing, mentor, team):
    peer = make_program(name="Peer mentoring", kind="peer")
    mentee = UserFactory(username="newbie", team=team, roles=[Role.AGENT])
    waiting = pairings.pairing_request(program=peer, mentee=mentee, mentor=mentor)
    client.force_login(mentor)

    def ids(**query):
        response = client.get("/api/pairings/", query)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [waiting.pk, pairing.pk]
    assert ids(status="proposed") == [waiting.pk]
    assert ids(status="active") == [pairing.pk]
    assert ids(programme="peer-mentoring") == [waiting.pk]
    assert ids(programme="nothing-like-it") == []


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/pairings/?status=asleep", 400),
        ("/api/pairings/?status=a%00b", 400),
        ("/api/pairings/?programme=a%00b", 400),
        ("/api/pairings/a%00b/", 404),
        ("/api/pairings/0.5/", 404),
        ("/api/pairings/99999999999999999999/", 404),
        ("/api/pairings/-1/", 404),
        ("/api/pairings/?page=99999", 404),
    ],
)
def test_bad_parameters_get_a_json_4xx(client, agent, pairing, url, status):
    client.force_login(agent)
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [2, 8])
def test_the_list_reads_in_a_constant_number_of_queries(
    client, manager, program, team, size, django_assert_max_num_queries
):
    now = timezone.now()
    for _ in range(size):
        mentor = _open(UserFactory(roles=[Role.AGENT, Role.MENTOR], team=TeamFactory()))
        mentee = UserFactory(roles=[Role.AGENT], team=team)
        made = make_pairing(program=program, mentor=mentor, mentee=mentee)
        Meeting.objects.create(pairing=made, starts_at=now - timedelta(days=1), notes="x")
        Goal.objects.create(pairing=made, title="A goal", progress=10)
    client.force_login(manager)
    # Session and user, the manager's role, the count and the page of rows with their health.
    with django_assert_max_num_queries(5):
        response = client.get("/api/pairings/")
    assert response.json()["count"] == size
