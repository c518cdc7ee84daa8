"""The wall's filters (team, value, person, period in the organisation's time zone, kind),
which drop a bad value with an error and keep the others, never a 500; and its pagination,
twenty a page, keeping the filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recognition.selectors.accounts import month_start
from recognition.selectors.wall import PER_PAGE, period_bounds
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos, make_praise
from tests.recognition.test_wall import URL, _award, _feed, _page

# --- Filters -------------------------------------------------------------------------------


@pytest.fixture
def mixed(agent, mentor, outsider, manager):
    """Kudos within billing, kudos within tech, kudos across, praise and an award each side."""
    tech_mate = UserFactory(username="techmate", team=outsider.team)
    return {
        "billing": make_kudos(mentor, agent, values=["team-player"]),
        "tech": make_kudos(outsider, tech_mate, values=["solved-the-hard-one"]),
        "across": make_kudos(outsider, agent, values=["team-player"]),
        "praise_billing": make_praise(agent),
        "praise_tech": make_praise(tech_mate),
        "award_billing": _award(mentor, manager),
        "award_tech": _award(tech_mate, manager),
    }


def _ids(*rows) -> set[str]:
    names = {"Kudos": "kudos", "Praise": "praise", "Nomination": "award"}
    return {f"{names[type(row).__name__]}-{row.pk}" for row in rows}


def test_the_team_filter_keeps_what_involves_the_team(agent_client, mixed, team):
    feed = set(_feed(_page(agent_client, team=team.slug)))

    assert feed == _ids(
        mixed["billing"], mixed["across"], mixed["praise_billing"], mixed["award_billing"]
    )


def test_the_value_filter_keeps_kudos_only(agent_client, mixed):
    feed = set(_feed(_page(agent_client, value="team-player")))

    assert feed == _ids(mixed["billing"], mixed["across"])


def test_the_person_filter_keeps_what_they_gave_received_or_were_praised_for(
    agent_client, mixed, outsider
):
    feed = set(_feed(_page(agent_client, person="techmate")))
    assert feed == _ids(mixed["tech"], mixed["praise_tech"], mixed["award_tech"])

    assert set(_feed(_page(agent_client, person="@outsider"))) == _ids(
        mixed["tech"], mixed["across"]
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("kudos", ["billing", "tech", "across"]),
        ("praise", ["praise_billing", "praise_tech"]),
        ("awards", ["award_billing", "award_tech"]),
    ],
)
def test_the_kind_filter_keeps_one_kind(agent_client, mixed, kind, expected):
    assert set(_feed(_page(agent_client, kind=kind))) == _ids(*(mixed[n] for n in expected))


def test_filters_combine(agent_client, mixed, team):
    feed = set(_feed(_page(agent_client, team=team.slug, kind="kudos", person="outsider")))

    assert feed == _ids(mixed["across"])


def test_periods_follow_the_organisation_s_time_zone(settings, agent_client, agent, mentor):
    settings.TIME_ZONE = "Pacific/Auckland"
    start = month_start()  # midnight on the 1st in Auckland: the 31st or 30th in UTC
    this_month = make_kudos(mentor, agent, created_at=start + timedelta(minutes=1))
    last_month = make_kudos(mentor, agent, created_at=start - timedelta(minutes=1))
    last_year = make_kudos(mentor, agent, created_at=start - timedelta(days=400))
    praise = make_praise(agent, created_at=start - timedelta(minutes=2))

    assert _feed(_page(agent_client, period="month")) == [f"kudos-{this_month.pk}"]
    assert _feed(_page(agent_client, period="last-month")) == [
        f"kudos-{last_month.pk}",
        f"praise-{praise.pk}",
    ]
    year = set(_feed(_page(agent_client, period="year")))
    assert f"kudos-{this_month.pk}" in year
    assert f"kudos-{last_year.pk}" not in year
    assert len(_feed(_page(agent_client))) == 4


def test_period_bounds_are_calendar_periods_in_the_organisation_s_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    now = timezone.make_aware(timezone.datetime(2026, 5, 20, 12, 0), timezone.get_fixed_timezone(0))

    month, _ = period_bounds("month", now)
    last, last_end = period_bounds("last-month", now)
    quarter, _ = period_bounds("quarter", now)
    year, _ = period_bounds("year", now)

    assert (month.month, month.day, month.hour, month.utcoffset()) == (5, 1, 0, timedelta(hours=2))
    assert (last.month, last_end) == (4, month)
    assert (quarter.month, quarter.day) == (4, 1)
    assert (year.month, year.day, year.utcoffset()) == (1, 1, timedelta(hours=1))
    assert period_bounds("", now) == period_bounds("forever", now) == (None, None)
    january = timezone.make_aware(timezone.datetime(2026, 1, 10), timezone.get_fixed_timezone(0))
    assert period_bounds("last-month", january)[0].year == 2025


@pytest.mark.parametrize(
    "params",
    [
        {"team": "no-such-team"},
        {"value": "no-such-value"},
        {"person": "nobody-here"},
        {"person": "x" * 5000},
        {"period": "forever"},
        {"kind": "<script>"},
        {"team": "' OR 1=1 --"},
        {"page": "99999999999999999999999"},
        {"page": "-3"},
        {"page": "abc"},
        {"value": "team-player", "kind": "praise"},
    ],
)
def test_bad_filter_values_never_fail(agent_client, mixed, params):
    response = agent_client.get(URL, params)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</form>", 2)[1]


def test_a_bad_filter_says_so_and_the_others_still_apply(agent_client, mixed, team):
    response = _page(agent_client, team=team.slug, person="nobody-here")
    body = response.content.decode()

    assert "No one here has the username “nobody-here”." in body
    assert set(_feed(response)) == _ids(
        mixed["billing"], mixed["across"], mixed["praise_billing"], mixed["award_billing"]
    )


def test_a_nul_byte_in_a_filter_is_refused_with_a_message(agent_client):
    response = agent_client.get(URL, {"person": "agent\x00"})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


# --- Pagination ------------------------------------------------------------------------------


def test_the_feed_is_paginated_twenty_a_page(agent_client, agent, mentor):
    now = timezone.now()
    rows = [make_kudos(mentor, agent, created_at=now - timedelta(minutes=n)) for n in range(23)]
    rows += [make_praise(agent, created_at=now - timedelta(minutes=30 + n)) for n in range(2)]

    first = _page(agent_client)
    second = _page(agent_client, page=2)
    beyond = _page(agent_client, page=9)

    assert len(_feed(first)) == PER_PAGE
    assert _feed(first)[0] == f"kudos-{rows[0].pk}"
    assert _feed(second) == [f"kudos-{r.pk}" for r in rows[20:23]] + [
        f"praise-{r.pk}" for r in rows[23:]
    ]
    assert _feed(beyond) == _feed(second)
    assert "Page 1 of 2" in first.content.decode()
    assert "page=2" in first.content.decode()


def test_pagination_keeps_the_filters(agent_client, agent, mentor, team):
    for _ in range(PER_PAGE + 1):
        make_kudos(mentor, agent)

    body = _page(agent_client, team=team.slug, kind="kudos").content.decode()

    assert f"team={team.slug}&amp;kind=kudos&amp;page=2" in body


def test_every_team_is_offered_in_the_filter(agent_client):
    TeamFactory(name="Returns", slug="returns")

    assert '<option value="returns">Returns</option>' in _page(agent_client).content.decode()
