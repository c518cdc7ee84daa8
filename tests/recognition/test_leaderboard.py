"""The leaderboards: receiving (points, then kudos) and giving (kudos, then colleagues
recognised), per calendar period in the organisation's time zone, per team and per value.
Equal figures share a rank, listed in name order; only counted kudos count; only people who
can sign in take a place; the viewer outside the top sees their own place."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from recognition.models import Kudos
from recognition.selectors.leaderboard import TOP, giving_board, receiving_board
from recognition.selectors.periods import period_span
from recognition.services.kudos import kudos_remove, kudos_restore
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos, value
from tests.search.pages import parse

URL = reverse("recognition:leaderboard")
SIZES = [3, 30]
# Measured, the same at both sizes on SQLite and PostgreSQL: session, user, the viewer's
# roles for the section's tabs (3); the teams and the values the filters offer (2); one
# query per board (2).
PAGE_QUERIES = 7


def _board(response, kind: str) -> list[tuple[str, str, str, str]]:
    """(rank, name, first figure, second figure) of each row of one board, as shown."""
    table = parse(response).find("table", data_board=kind)
    if table is None:
        return []
    rows = []
    for row in table.find_all("tr", class_="board-row"):
        cells = [cell for cell in row.children if not isinstance(cell, str)]
        name = cells[1].find("a").text()
        rows.append((cells[0].text(), name, cells[2].text(), cells[3].text()))
    return rows


def _names(board) -> list[str]:
    return [row.person.name for row in board.rows]


@pytest.fixture
def people(team):
    """Four colleagues of Billing whose names sort Ann, Bob, Cid, Dee."""
    return {
        name: UserFactory(username=name.lower(), display_name=name, team=team, roles=[Role.AGENT])
        for name in ("Dee", "Bob", "Cid", "Ann")
    }


def test_receiving_ranks_by_points_then_kudos_and_ties_share_a_rank_in_name_order(
    agent_client, agent, people
):
    ann, bob, cid, dee = (people[n] for n in ("Ann", "Bob", "Cid", "Dee"))
    make_kudos(agent, [dee, bob, cid], points=10)
    make_kudos(agent, cid, points=5)
    make_kudos(agent, [ann], points=5)
    make_kudos(agent, [ann], points=5)  # Ann: 10 points from 2 kudos, ahead of Bob and Dee
    response = agent_client.get(URL)
    assert response.status_code == 200
    assert _board(response, "receiving") == [
        ("1", "Cid", "15", "2"),
        ("2", "Ann", "10", "2"),
        ("3", "Bob", "10", "1"),
        ("3", "Dee", "10", "1"),
    ]


def test_giving_counts_kudos_and_colleagues_recognised(agent_client, agent, people, mentor):
    ann, bob, cid = people["Ann"], people["Bob"], people["Cid"]
    make_kudos(ann, [bob, cid, mentor])  # one kudos, three colleagues
    make_kudos(bob, cid)
    make_kudos(bob, cid)
    make_kudos(cid, bob)
    make_kudos(agent, bob)
    response = agent_client.get(URL)
    tied = sorted([agent.name, "Cid"], key=str.lower)
    assert _board(response, "giving") == [
        ("1", "Bob", "2", "1"),
        ("2", "Ann", "1", "3"),
        ("3", tied[0], "1", "1"),
        ("3", tied[1], "1", "1"),
    ]


def test_ties_are_listed_by_the_name_people_see(db, team, agent):
    # Display name first, then the full name, then the username, whatever the case.
    shown = [
        UserFactory(username="zed", display_name="", first_name="amy", last_name="Zed", team=team),
        UserFactory(username="aaron", display_name="Bea", team=team),
        UserFactory(username="carl", display_name="", first_name="", last_name="", team=team),
    ]
    for person in shown:
        make_kudos(agent, person)
    board = receiving_board(span=period_span(), viewer=agent)
    assert _names(board) == ["amy Zed", "Bea", "carl"]
    assert [row.rank for row in board.rows] == [1, 1, 1]


@pytest.fixture
def auckland(settings):
    """An organisation far from UTC: its days start twelve or thirteen hours before UTC's."""
    settings.TIME_ZONE = "Pacific/Auckland"
    return zoneinfo.ZoneInfo("Pacific/Auckland")


def test_a_kudos_on_the_last_day_of_last_month_counts_for_last_month(auckland, agent, people):
    ann, bob = people["Ann"], people["Bob"]
    now = datetime(2026, 6, 15, 12, 0, tzinfo=auckland)
    # 31 May, 23:30 in Auckland (11:30 UTC): last month.
    make_kudos(agent, ann, created_at=datetime(2026, 5, 31, 23, 30, tzinfo=auckland))
    # 1 June, 00:30 in Auckland, still 31 May in UTC: this month.
    make_kudos(agent, bob, created_at=datetime(2026, 6, 1, 0, 30, tzinfo=auckland))
    this_month = period_span("month", now=now)
    last_month = period_span("last-month", now=now)
    assert (this_month.title, last_month.title) == ("June 2026", "May 2026")
    assert _names(receiving_board(span=this_month, viewer=agent)) == ["Bob"]
    assert _names(receiving_board(span=last_month, viewer=agent)) == ["Ann"]
    assert [r.person for r in giving_board(span=last_month, viewer=agent).rows] == [agent]


def test_quarter_and_year_are_calendar_periods_in_the_organisations_zone(auckland, agent, people):
    ann, bob, cid = people["Ann"], people["Bob"], people["Cid"]
    now = datetime(2026, 5, 10, 9, 0, tzinfo=auckland)
    make_kudos(agent, ann, created_at=datetime(2026, 3, 31, 23, 59, tzinfo=auckland))  # Q1
    make_kudos(agent, bob, created_at=datetime(2026, 4, 1, 0, 1, tzinfo=auckland))  # Q2
    make_kudos(agent, cid, created_at=datetime(2025, 12, 31, 23, 59, tzinfo=auckland))  # 2025
    quarter, year = period_span("quarter", now=now), period_span("year", now=now)
    assert (quarter.title, year.title) == ("Q2 2026", "2026")
    assert quarter.start == datetime(2026, 4, 1, tzinfo=auckland)
    assert quarter.end == datetime(2026, 7, 1, tzinfo=auckland)
    assert _names(receiving_board(span=quarter, viewer=agent)) == ["Bob"]
    assert _names(receiving_board(span=year, viewer=agent)) == ["Ann", "Bob"]


def test_a_december_quarter_ends_on_the_first_of_january(auckland):
    span = period_span("quarter", now=datetime(2026, 12, 31, 23, 0, tzinfo=auckland))
    assert (span.title, span.start.month, span.end) == (
        "Q4 2026",
        10,
        datetime(2027, 1, 1, tzinfo=auckland),
    )
    assert period_span("last-month", now=datetime(2027, 1, 5, tzinfo=auckland)).title == (
        "December 2026"
    )


def test_the_team_filter_is_the_recipients_team_for_receiving_and_the_givers_for_giving(
    agent_client, agent, people, outsider, other_team
):
    ann = people["Ann"]
    make_kudos(outsider, ann)  # to Billing, from Technical Support
    make_kudos(ann, outsider)  # to Technical Support, from Billing
    response = agent_client.get(URL, {"team": other_team.slug})
    assert response.status_code == 200
    assert [row[1] for row in _board(response, "receiving")] == [outsider.name]
    assert [row[1] for row in _board(response, "giving")] == [outsider.name]
    billing = agent_client.get(URL, {"team": "billing"})
    assert [row[1] for row in _board(billing, "receiving")] == ["Ann"]
    assert [row[1] for row in _board(billing, "giving")] == ["Ann"]


def test_the_value_filter_counts_only_kudos_for_that_value(agent_client, agent, people):
    ann, bob = people["Ann"], people["Bob"]
    make_kudos(agent, ann, values=["went-the-extra-mile", "team-player"], points=7)
    make_kudos(agent, bob, values=["went-the-extra-mile"], points=20)
    make_kudos(bob, ann, values=["team-player"], points=3)
    response = agent_client.get(URL, {"value": "team-player"})
    assert _board(response, "receiving") == [("1", "Ann", "10", "2")]
    givers = sorted([agent.name, "Bob"], key=str.lower)
    assert _board(response, "giving") == [("1", givers[0], "1", "1"), ("1", givers[1], "1", "1")]
    everything = agent_client.get(URL)
    assert _board(everything, "receiving")[0] == ("1", "Bob", "20", "1")


def test_reported_and_removed_kudos_never_count_until_restored(db, agent, people, admin_user):
    ann, bob = people["Ann"], people["Bob"]
    make_kudos(agent, ann, points=50, status=Kudos.Status.REPORTED)
    removed = make_kudos(bob, ann, points=40)
    kudos_remove(kudos=removed, admin=admin_user)
    make_kudos(agent, bob, points=1)
    span = period_span()
    assert _names(receiving_board(span=span, viewer=agent)) == ["Bob"]
    assert _names(giving_board(span=span, viewer=agent)) == [agent.name]
    kudos_restore(kudos=removed, admin=admin_user)
    assert [(r.person.name, r.points) for r in receiving_board(span=span, viewer=agent).rows] == [
        ("Ann", 40),
        ("Bob", 1),
    ]
    assert _names(giving_board(span=span, viewer=agent)) == sorted(
        [agent.name, "Bob"], key=str.lower
    )


def test_inactive_people_take_no_place(agent_client, agent, people):
    ann, bob = people["Ann"], people["Bob"]
    make_kudos(agent, [ann, bob], points=10)
    make_kudos(ann, bob)
    ann.is_active = False
    ann.save(update_fields=["is_active"])
    response = agent_client.get(URL)
    assert [row[:2] for row in _board(response, "receiving")] == [("1", "Bob")]
    assert [row[1] for row in _board(response, "giving")] == [agent.name]


def test_the_viewer_below_the_top_sees_their_own_place(client, team, agent):
    colleagues = [UserFactory(team=team, display_name=f"Top {n:02}") for n in range(TOP + 4)]
    for n, person in enumerate(colleagues):
        make_kudos(agent, person, points=100 - n)
    viewer = colleagues[-1]  # the last place: 24th
    client.force_login(viewer)
    response = client.get(URL)
    rows = _board(response, "receiving")
    assert len(rows) == TOP + 1
    assert rows[-1] == (str(TOP + 4), viewer.name, str(100 - TOP - 3), "1")
    own = parse(response).find("tbody", class_="board-own")
    assert "Your place" in own.text()
    assert own.find("tr", aria_current="true") is not None
    # Someone in the top is marked where they are, and not listed twice.
    client.force_login(colleagues[0])
    rows = _board(client.get(URL), "receiving")
    assert len(rows) == TOP
    assert rows[0][1] == colleagues[0].name


def test_someone_not_on_a_board_is_told_so(agent_client, agent, people):
    make_kudos(people["Ann"], people["Bob"])
    response = agent_client.get(URL)
    text = " ".join(p.text() for p in parse(response).find_all("p", class_="board-you"))
    assert "You have received no kudos here yet." in text
    assert "You have given no kudos here yet." in text


def test_each_board_is_an_accessible_table(agent_client, agent, people):
    make_kudos(agent, people["Ann"])
    page = parse(agent_client.get(URL, {"period": "year"}))
    for kind in ("receiving", "giving"):
        table = page.find("table", data_board=kind)
        assert table.find("caption").text().endswith(str(timezone.localdate().year))
        assert all(th.attrs.get("scope") in ("col", "row") for th in table.find_all("th"))
        assert table.find("th", scope="row") is not None


def test_the_period_filter_changes_the_boards(agent_client, agent, people):
    make_kudos(agent, people["Ann"])
    response = agent_client.get(URL, {"period": "last-month"})
    assert response.status_code == 200
    assert _board(response, "receiving") == []
    assert "Nobody has received kudos" in parse(response).find("section", class_="board").text()


@pytest.mark.parametrize(
    "query",
    [
        {"period": "forever"},
        {"team": "no-such-team"},
        {"value": "x" * 1_000_000},
        {"period": "-1", "team": "99999999999999999999", "value": ""},
    ],
)
def test_bad_filters_get_an_error_beside_them_and_the_boards_still_show(
    agent_client, agent, people, query
):
    make_kudos(agent, people["Ann"])
    response = agent_client.get(URL, query)
    assert response.status_code == 400
    errors = parse(response).find_all("ul", class_="errorlist")
    assert errors
    assert [row[1] for row in _board(response, "receiving")] == ["Ann"]


def test_only_reading_is_allowed(agent_client):
    assert agent_client.post(URL).status_code == 405


def test_an_htmx_request_gets_the_boards_alone(agent_client, agent, people):
    make_kudos(agent, people["Ann"])
    response = agent_client.get(URL, {"period": "month"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'data-board="receiving"' in body
    assert "<script" not in body
    assert "HX-Request" in response["Vary"]
    # Going back to a page htmx no longer holds asks for the whole page.
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in agent_client.get(URL, headers=restore).content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_leaderboard_query_count_is_constant(
    client, team, other_team, size, django_assert_max_num_queries
):
    givers = [UserFactory(team=team) for _ in range(3)]
    for n in range(size):
        recipients = [UserFactory(team=team), UserFactory(team=other_team)]
        make_kudos(givers[n % 3], recipients, values=["went-the-extra-mile", "team-player"])
        make_kudos(recipients[0], givers[n % 3], status=Kudos.Status.REPORTED)
    viewer = UserFactory(team=team, roles=[Role.AGENT])
    client.force_login(viewer)
    for query in ({}, {"team": "billing", "value": "team-player", "period": "year"}):
        with django_assert_max_num_queries(PAGE_QUERIES):
            response = client.get(URL, query)
        assert response.status_code == 200
    assert len(_board(response, "receiving")) == min(size, TOP)
    assert len(_board(response, "giving")) == 3


def test_a_different_value_object_is_counted_once_per_kudos(agent, people):
    # A kudos with two values joined to one value filter still counts once.
    make_kudos(agent, people["Ann"], values=["went-the-extra-mile", "team-player"], points=5)
    board = receiving_board(span=period_span(), viewer=agent, value=value("team-player"))
    assert [(r.points, r.kudos) for r in board.rows] == [(5, 1)]
    other = TeamFactory(slug="nobody-here")
    assert receiving_board(span=period_span(), viewer=agent, team=other).rows == ()
