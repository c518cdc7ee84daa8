"""A manager's team recognition: per member for a period, kudos and points received, kudos
given, badges earned and customer praise; who nobody recognised yet, with a "Give kudos"
link; the team's recent kudos. Managers of the team only (admins: any team), counted kudos
only, constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from recognition.models import Badge, BadgeAward, Kudos
from recognition.selectors.accounts import month_start
from recognition.selectors.people import TEAM_RECENT
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos, make_praise
from tests.search.pages import parse

URL = reverse("recognition:team")
GIVE = reverse("recognition:give")
SIZES = [3, 30]
# Measured, the same at both sizes on SQLite and PostgreSQL: session, user, roles (3); the
# teams the viewer may open (1); the members with their five figures (1); the recent kudos
# with their values and recipients (3).
PAGE_QUERIES = 8


def _members(response) -> dict[str, list[str]]:
    """Each member's figures as shown: received, points, given, badges, praise."""
    table = parse(response).find("table", class_="recognition-members-table")
    if table is None:
        return {}
    found = {}
    for row in table.find_all("tr", class_="member-row"):
        cells = [c for c in row.children if not isinstance(c, str)]
        found[cells[0].find("a").text()] = [c.text() for c in cells[1:]]
    return found


def _nudged(response) -> dict[str, str]:
    """The people nobody recognised yet, with where their "Give kudos" button leads."""
    return {
        row.find("a").text(): row.find("a", class_="button").attrs["href"]
        for row in parse(response).find_all("li", class_="nudge-row")
    }


def _recent(response) -> list[str]:
    section = parse(response).find("section", aria_labelledby="recent-h")
    return [row.find_all("div")[-1].text() for row in section.find_all("li")]


@pytest.fixture
def last_month():
    return month_start() - timedelta(days=2)


def test_an_agent_gets_403(agent_client):
    assert agent_client.get(URL).status_code == 403


def test_a_manager_of_another_team_gets_403_for_this_team(client, other_team, agent, mentor):
    other_manager = UserFactory(team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(other_manager)
    make_kudos(agent, mentor, message="Billing's own thanks")
    client.force_login(other_manager)
    response = client.get(URL, {"team": "billing"})
    assert response.status_code == 403
    assert "Billing's own thanks" not in response.content.decode()
    # Their own team opens.
    assert client.get(URL, {"team": other_team.slug}).status_code == 200


@pytest.mark.parametrize("bad", ["no-such-team", "x" * 1_000_000, "-1", "billing'--"])
def test_a_manager_asking_for_a_team_they_do_not_manage_gets_403(manager_client, bad):
    assert manager_client.get(URL, {"team": bad}).status_code == 403


def test_an_admin_opens_any_team_and_an_unknown_one_is_404(
    admin_client, team, other_team, outsider, agent
):
    make_kudos(agent, outsider)
    response = admin_client.get(URL, {"team": other_team.slug})
    assert response.status_code == 200
    assert list(_members(response)) == [outsider.name]
    assert admin_client.get(URL, {"team": "no-such-team"}).status_code == 404
    # With none asked for, an admin who manages no team sees the first.
    first = admin_client.get(URL)
    options = parse(first).find("select", id="filter-team").find_all("option")
    assert [o.text() for o in options] == [team.name, other_team.name]
    assert list(_members(first)) == [agent.name]


def test_each_member_has_their_figures_for_the_period(
    manager_client, manager, team, agent, mentor, outsider, last_month
):
    make_kudos(mentor, agent, points=10)
    make_kudos(outsider, [agent, mentor], points=5)
    make_kudos(agent, outsider, points=3)
    make_kudos(outsider, agent, points=50, status=Kudos.Status.REPORTED)  # never counts
    make_kudos(outsider, agent, points=70, created_at=last_month)  # another period
    BadgeAward.objects.create(badge=Badge.objects.get(rule="first-kudos"), user=agent)
    BadgeAward.objects.create(
        badge=Badge.objects.get(rule="kudos-10"), user=agent, awarded_at=last_month
    )
    make_praise(agent, received_on=timezone.localdate())
    make_praise(agent, received_on=timezone.localdate(last_month))
    response = manager_client.get(URL)
    assert response.status_code == 200
    members = _members(response)
    assert members[agent.name] == ["2", "15", "1", "1", "1"]
    assert members[mentor.name] == ["1", "5", "1", "0", "0"]
    assert members[manager.name] == ["0", "0", "0", "0", "0"]
    assert outsider.name not in members
    previous = _members(manager_client.get(URL, {"period": "last-month"}))
    assert previous[agent.name] == ["1", "70", "0", "1", "1"]


def test_people_nobody_recognised_get_a_give_kudos_link(
    manager_client, manager, team, agent, mentor
):
    make_kudos(agent, mentor)
    quiet = UserFactory(team=team, username="quiet.one", display_name="Quinn Quiet")
    UserFactory(team=team, display_name="Gone Gus", is_active=False)
    nudged = _nudged(manager_client.get(URL))
    # The manager is not nudged about themselves; inactive people are not listed at all.
    assert nudged == {
        agent.name: f"{GIVE}?to=agent",
        quiet.name: f"{GIVE}?to=quiet.one",
    }
    assert "Gone Gus" not in manager_client.get(URL).content.decode()


def test_a_reported_kudos_does_not_make_someone_recognised(manager_client, agent, mentor):
    make_kudos(mentor, agent, status=Kudos.Status.REPORTED, message="Under review")
    response = manager_client.get(URL)
    assert agent.name in _nudged(response)
    assert "Under review" not in response.content.decode()


def test_recent_kudos_are_the_teams_counted_ones_of_the_period(
    manager_client, agent, outsider, other_team, last_month
):
    stranger = UserFactory(team=other_team)
    make_kudos(outsider, agent, message="To Billing")
    make_kudos(agent, outsider, message="From Billing")
    make_kudos(outsider, stranger, message="Elsewhere")
    make_kudos(outsider, agent, message="Reported", status=Kudos.Status.REPORTED)
    make_kudos(outsider, agent, message="Last month", created_at=last_month)
    assert _recent(manager_client.get(URL)) == ["From Billing", "To Billing"]


def test_the_recent_kudos_are_capped(manager_client, agent, mentor):
    for n in range(TEAM_RECENT + 2):
        make_kudos(mentor, agent, message=f"Thanks {n}")
    assert len(_recent(manager_client.get(URL))) == TEAM_RECENT


def test_a_manager_of_two_teams_sees_both_or_picks_one(
    manager_client, manager, team, other_team, agent, outsider
):
    other_team.managers.add(manager)
    both = manager_client.get(URL)
    assert set(_members(both)) >= {agent.name, outsider.name}
    options = parse(both).find("select", id="filter-team").find_all("option")
    assert [o.text() for o in options] == ["All my teams", team.name, other_team.name]
    one = manager_client.get(URL, {"team": other_team.slug})
    assert list(_members(one)) == [outsider.name]


def test_a_period_not_offered_is_an_error_and_the_page_shows_this_month(manager_client, agent):
    response = manager_client.get(URL, {"period": "forever"})
    assert response.status_code == 400
    page = parse(response)
    assert "Choose one of the periods offered" in page.find("ul", class_="errorlist").text()
    assert agent.name in _members(response)


def test_a_manager_without_a_team_is_told_so(client, db):
    lonely = UserFactory(roles=[Role.MANAGER])
    client.force_login(lonely)
    response = client.get(URL)
    assert response.status_code == 200
    assert "You don't manage a team yet." in response.content.decode()


def test_only_reading_is_allowed(manager_client):
    assert manager_client.post(URL).status_code == 405


@pytest.mark.parametrize("size", SIZES)
def test_team_page_query_count_is_constant(
    client, manager, team, other_team, size, django_assert_max_num_queries
):
    badge = Badge.objects.get(rule="first-kudos")
    others = TeamFactory(slug="spare")
    others.managers.add(manager)
    for n in range(size):
        member = UserFactory(team=team if n % 2 else others)
        outsider = UserFactory(team=other_team)
        make_kudos(outsider, member, values=["went-the-extra-mile", "team-player"])
        make_kudos(member, [outsider, manager])
        BadgeAward.objects.create(badge=badge, user=member)
        make_praise([member, outsider])
    client.force_login(manager)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(_members(response)) == size + 1
    assert len(_recent(response)) == min(2 * size, TEAM_RECENT)
