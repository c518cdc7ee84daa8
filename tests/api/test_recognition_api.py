"""The recognition API beyond the kudos wall's own tests (tests/recognition/test_api.py): the
wall's filters, values, badges and a person's awarded badges, as the site shows them."""

from __future__ import annotations

import pytest

from people.models import Role
from recognition.models import Badge, BadgeAward, Value
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_wall_filters_by_person_team_value_and_period(client, agent, mentor, outsider):
    to_agent = make_kudos(mentor, agent, values=["team-player"])
    to_outsider = make_kudos(mentor, outsider, values=["went-the-extra-mile"])
    client.force_login(agent)
    assert [r["id"] for r in _rows(client, "/api/kudos/?person=agent")] == [to_agent.pk]
    assert [r["id"] for r in _rows(client, "/api/kudos/?team=tech")] == [to_outsider.pk]
    assert [r["id"] for r in _rows(client, "/api/kudos/?value=team-player")] == [to_agent.pk]
    assert len(_rows(client, "/api/kudos/?period=month")) == 2
    assert _rows(client, "/api/kudos/?person=nobody-here") == []


def test_a_filter_never_shows_a_kudos_under_review(client, agent, mentor, editor):
    make_kudos(mentor, agent, status="reported")
    client.force_login(editor)
    assert _rows(client, "/api/kudos/?person=agent") == []


def test_values_list_only_those_offered(client, agent):
    retired = Value.objects.order_by("order").first()
    retired.is_active = False
    retired.save()
    client.force_login(agent)
    slugs = [row["slug"] for row in _rows(client, "/api/values/")]
    assert retired.slug not in slugs
    assert slugs == list(Value.objects.filter(is_active=True).values_list("slug", flat=True))


def test_badges_say_which_ones_the_caller_holds(client, agent, mentor):
    badge = Badge.objects.get(rule="first-kudos")
    BadgeAward.objects.create(badge=badge, user=agent)
    client.force_login(agent)
    rows = {row["rule"]: row for row in _rows(client, "/api/badges/")}
    assert rows["first-kudos"]["earned_at"] is not None
    assert rows["first-kudos"]["holder_count"] == 1
    assert [r["rule"] for r in _rows(client, "/api/badges/?earned=true")] == ["first-kudos"]
    client.force_login(mentor)
    assert {r["rule"]: r for r in _rows(client, "/api/badges/")}["first-kudos"]["earned_at"] is None


def test_a_persons_awarded_badges_as_their_profile_shows_them(client, agent, mentor, outsider):
    badge = Badge.objects.get(rule="first-kudos")
    BadgeAward.objects.create(badge=badge, user=agent)
    gone = UserFactory(username="gone", is_active=False, roles=[Role.AGENT])
    BadgeAward.objects.create(badge=badge, user=gone)
    client.force_login(outsider)
    assert [
        (r["badge"], r["person"]) for r in _rows(client, "/api/badge-awards/?person=agent")
    ] == [("first-kudos", "agent")]
    assert _rows(client, "/api/badge-awards/") == []  # the outsider's own: none
    assert _rows(client, "/api/badge-awards/?person=gone") == []


def test_anonymous_callers_are_refused(client):
    for url in ("/api/values/", "/api/badges/", "/api/badge-awards/"):
        assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    "url",
    [
        "/api/kudos/?person=a%00b",
        "/api/kudos/?period=forever",
        "/api/kudos/?team=" + "x" * 500,
        "/api/badge-awards/?person=a%00b",
        "/api/values/?page=99999999999999999999",
        "/api/badges/?page=-1",
    ],
)
def test_bad_parameters_get_a_json_4xx(agent_client, url):
    response = agent_client.get(url)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [2, 12])
def test_lists_read_in_a_constant_number_of_queries(
    client, agent, size, django_assert_max_num_queries
):
    badges = list(Badge.objects.all()[:size])
    for badge in badges:
        BadgeAward.objects.create(badge=badge, user=agent)
        BadgeAward.objects.create(badge=badge, user=UserFactory())
    client.force_login(agent)
    # Measured: 3 each (session, user, the page; the count), at both sizes.
    for url in ("/api/values/", "/api/badges/", "/api/badge-awards/?person=agent"):
        with django_assert_max_num_queries(4):
            assert client.get(url).status_code == 200
    assert client.get("/api/badge-awards/?person=agent").json()["count"] == len(badges)
