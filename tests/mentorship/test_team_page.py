"""The manager's team mentoring page: who has no mentor first, with a button to find one; then
the pairings at risk; then a chart whose numbers are the table's, their people's other
pairings as mentees and as mentors, and proposals waiting for an answer. Managers only, their
own teams only, never what the pairs wrote, constant queries."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import ActionItem, Goal, Meeting, Pairing
from mentorship.selectors.oversight import team_mentoring
from mentorship.services import pairings
from people.models import Role
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

URL = reverse("mentorship:team")
SIZES = [2, 10]
# Measured, the same at both sizes: the session, the user and their roles (3), the managed
# teams, the pairings with their health and everything a row names (one query, joined), the
# members, the open programmes, who joined which, and the mentors' loads.
PAGE_QUERIES = 9
SECRETS = ("SECRET-NOTE", "SECRET-AGENDA", "SECRET-GOAL", "SECRET-ACTION", "SECRET-FEEDBACK")


def _started(pairing: Pairing, days_ago: int) -> Pairing:
    """Move an active pairing's start back, as if accepted `days_ago` days ago."""
    start = timezone.localdate() - timedelta(days=days_ago)
    Pairing.objects.filter(pk=pairing.pk).update(
        started_on=start, ends_on=start + timedelta(weeks=12)
    )
    pairing.refresh_from_db()
    return pairing


def _meet(pairing: Pairing, days_ago: int, **fields) -> Meeting:
    return Meeting.objects.create(
        pairing=pairing,
        starts_at=timezone.now() - timedelta(days=days_ago),
        created_by=pairing.mentor,
        **fields,
    )


def _rows(body: str, side: str) -> list[dict[str, str]]:
    """The rows of the table of one side ("mentee", "mentor", or "at-risk", whose rows are
    mentees and has no state column), as shown."""
    table = re.search(rf'<table[^>]*data-side="{side}">(.*?)</table>', body, re.S)
    if table is None:
        return []
    rows = []
    for row in re.findall(r'<tr class="pairing-row[^"]*">(.*?)</tr>', table.group(1), re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
        if side == "at-risk":
            cells.insert(1, "At risk")
        rows.append({"person": cells[0], "state": cells[1], "other": cells[2],
                     "program": cells[3], "meetings": cells[6], "goals": cells[7]})  # fmt: skip
    return rows


def _unmatched(body: str) -> dict[str, dict]:
    """Who has no mentor: each person's programmes joined, and the links to find a mentor
    (the button's first)."""
    found = {}
    for row in re.findall(r'<tr class="unmatched-row">(.*?)</tr>', body, re.S):
        name = re.search(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', row).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        joined = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells[0])).strip()
        found[name] = {
            "joined": joined.removeprefix("Joined: "),
            "button": re.findall(r'<a class="button small[^"]*" href="([^"]+)"', cells[1]),
            "links": re.findall(r'href="([^"]+)"', cells[1]),
        }
    return found


def _summary_table(body: str) -> dict[str, int]:
    table = re.search(r'<table class="team-summary-table[^"]*">(.*?)</table>', body, re.S)
    return {
        key: int(count)
        for key, count in re.findall(
            r'<tr data-state="([a-z_]+)"><th scope="row">[^<]*</th><td>(\d+)</td></tr>',
            table.group(1),
        )
    }


def _chart(body: str) -> dict:
    found = re.search(
        r'<script id="mentoring-chart-data" type="application/json">(.*?)</script>', body, re.S
    )
    return json.loads(found.group(1))


@pytest.fixture
def program(db):
    return make_program(name="Onboarding mentoring", cadence_days=14)


@pytest.fixture
def mentoring(program, team, agent, mentor, editor, outsider, other_team):
    """Billing's people in every state of a pairing, an outsider mentoring one of them, and
    a pairing wholly in another team."""
    # Agent, mentored by the outsider: met two days ago, one goal met of two: on track.
    on_track = _started(make_pairing(program=program, mentor=outsider, mentee=agent), 20)
    meeting = _meet(on_track, 2, agenda="SECRET-AGENDA", notes="SECRET-NOTE")
    ActionItem.objects.create(meeting=meeting, title="SECRET-ACTION", owner=agent)
    Goal.objects.create(pairing=on_track, title="SECRET-GOAL", progress=50)
    Goal.objects.create(pairing=on_track, title="Met goal", progress=100, status="met",
                        met_at=timezone.now())  # fmt: skip
    # Editor, mentored by the mentor (both Billing): no meeting in 40 days, cadence 14: at risk.
    at_risk = _started(make_pairing(program=program, mentor=mentor, mentee=editor), 40)
    _meet(at_risk, 35)
    # A newcomer waiting for the outsider's answer.
    waiting_for = UserFactory(team=team, display_name="Wanda Waiting")
    waiting = make_pairing(program=program, mentor=outsider, mentee=waiting_for, active=False)
    # A completed pairing with feedback, of someone who then has no current mentor.
    done_mentee = UserFactory(team=team, display_name="Carl Completed")
    done_mentor = UserFactory(team=other_team, display_name="Dora Done")
    completed = make_pairing(program=program, mentor=done_mentor, mentee=done_mentee)
    Goal.objects.create(pairing=completed, title="Done goal", progress=100, status="met",
                        met_at=timezone.now())  # fmt: skip
    completed = pairings.pairing_complete(pairing=completed, user=done_mentee)
    pairings.feedback_give(pairing=completed, author=done_mentee, rating=5,
                           comments="SECRET-FEEDBACK")  # fmt: skip
    # Another team's pairing: never on this page.
    stranger = UserFactory(team=other_team, display_name="Stella Stranger")
    elsewhere = make_pairing(program=program, mentor=done_mentor, mentee=stranger)
    # Nobody pairs these two.
    idle = UserFactory(team=team, display_name="Ida Idle")
    UserFactory(team=team, display_name="Gone Gus", is_active=False)
    return {
        "on_track": on_track,
        "at_risk": at_risk,
        "waiting": waiting,
        "completed": completed,
        "elsewhere": elsewhere,
        "idle": idle,
        "done_mentee": done_mentee,
        "stranger": stranger,
    }


def test_an_agent_gets_403(agent_client):
    assert agent_client.get(URL).status_code == 403


def test_a_mentor_who_is_no_manager_gets_403(client, mentor, mentoring):
    client.force_login(mentor)
    assert client.get(URL).status_code == 403


def test_only_get_is_allowed(manager_client):
    assert manager_client.post(URL).status_code == 405


def test_at_risk_pairings_are_listed_apart_once_before_the_others(
    manager_client, mentoring, agent, editor, mentor, outsider
):
    """The editor's pairing with the mentor (both the manager's people) is at risk: it is
    listed once, in its own table, and in neither side's table."""
    body = manager_client.get(URL).content.decode()
    (at_risk,) = _rows(body, "at-risk")
    assert (at_risk["person"], at_risk["other"], at_risk["meetings"]) == (
        editor.name,
        mentor.name,
        "1",
    )
    assert body.index('id="at-risk-heading"') < body.index('id="mentees-heading"')
    rows = _rows(body, "mentee")
    assert [(r["person"], r["state"]) for r in rows] == [
        (agent.name, "Active, on track"),
        ("Carl Completed", "Completed"),
    ]
    assert _rows(body, "mentor") == []
    assert {k: v for k, v in rows[0].items() if k != "goals"} == {
        "person": agent.name,
        "state": "Active, on track",
        "other": outsider.name,
        "program": "Onboarding mentoring",
        "meetings": "1",
    }
    assert rows[0]["goals"].startswith("1 of 2 met")
    assert rows[0]["goals"].endswith(" 75%")  # the average of 50% and 100%
    assert 'class="pairing-row at-risk"' in body
    assert "no meeting in two of the programme's cadences" in body


def test_their_people_as_mentors_are_listed_apart(
    manager_client, program, team, mentoring, mentor, editor
):
    newcomer = UserFactory(team=team, display_name="Nina Newcomer")
    make_pairing(program=program, mentor=mentor, mentee=newcomer)
    body = manager_client.get(URL).content.decode()
    assert [(r["person"], r["other"], r["state"]) for r in _rows(body, "mentor")] == [
        (mentor.name, "Nina Newcomer", "Active, on track")
    ]
    assert [r["other"] for r in _rows(body, "at-risk")] == [mentor.name]


def test_their_mentors_load_shows_even_where_the_pairing_does_not(
    manager_client, manager, team, other_team, program, mentoring, mentor
):
    """A member mentoring someone of another team: the manager sees the count (as anyone's
    profile shows mentoring roles), not that pair."""
    helper = UserFactory(team=team, display_name="Hal Helper")
    make_profile(helper, capacity=1)
    stranger = UserFactory(team=other_team, display_name="Olga Other")
    make_pairing(program=program, mentor=helper, mentee=stranger)
    body = manager_client.get(URL).content.decode()
    loads = {}
    for row in re.findall(r'<tr class="load-row">(.*?)</tr>', body, re.S):
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
        loads[cells[0]] = cells[1:]
    assert loads == {
        "Hal Helper": ["1 full", "1", "Yes"],
        mentor.name: ["1", "2", "Yes"],
    }
    assert "Olga Other" not in body
    # The mentor's one pairing the manager may see is at risk: listed there, not twice.
    assert [r["other"] for r in _rows(body, "at-risk")] == [mentor.name]
    assert _rows(body, "mentor") == []


def test_waiting_proposals_show_with_their_deadline(manager_client, mentoring, outsider):
    body = manager_client.get(URL).content.decode()
    waiting = re.findall(r'<tr class="waiting-row">(.*?)</tr>', body, re.S)
    assert len(waiting) == 1
    assert "Wanda Waiting" in waiting[0]
    assert outsider.name in waiting[0]
    due = mentoring["waiting"].request.expires_at
    assert timezone.localtime(due).isoformat()[:10] in waiting[0]


def test_people_with_no_mentor_come_first_with_one_find_a_mentor_button(
    manager_client, manager, mentoring, program, mentor
):
    closed = make_program(name="Closed circle", is_open=False)
    peer = make_program(name="Peer mentoring", kind="peer")
    idle = mentoring["idle"]
    pairings.participation_join(program=peer, mentee=idle)
    body = manager_client.get(URL).content.decode()
    assert body.index('id="unmatched-heading"') < body.index('id="at-risk-heading"')
    unmatched = _unmatched(body)
    # Carl completed his pairing and has no mentor now; mentoring someone is not having a
    # mentor; the waiting newcomer is waiting; the inactive one and the manager themselves
    # are not listed.
    assert sorted(unmatched) == sorted(["Carl Completed", "Ida Idle", mentor.name])
    in_peer = reverse("mentorship:suggestions-for", args=[peer.slug, idle.username])
    in_onboarding = reverse("mentorship:suggestions-for", args=[program.slug, idle.username])
    # The button leads to the programme Ida joined; the other open one is a plain link.
    assert unmatched["Ida Idle"] == {
        "joined": "Peer mentoring",
        "button": [in_peer],
        "links": [in_peer, in_onboarding],
    }
    # The mentor joined nothing: the first open programme, by name, gets the button.
    assert unmatched[mentor.name]["joined"] == "No programme"
    assert unmatched[mentor.name]["button"] == [
        reverse("mentorship:suggestions-for", args=[program.slug, mentor.username])
    ]
    assert reverse("mentorship:suggestions-for", args=[closed.slug, idle.username]) not in body
    assert f"/suggestions/{manager.username}/" not in body


def test_with_no_programme_open_nobody_gets_a_button(manager_client, mentoring, program):
    program.is_open = False
    program.save()
    body = manager_client.get(URL).content.decode()
    assert all(item["links"] == [] for item in _unmatched(body).values())
    assert "No programme is open." in body


def test_nothing_the_pair_wrote_ever_shows(manager_client, mentoring):
    body = manager_client.get(URL).content.decode()
    for secret in SECRETS:
        assert secret not in body


def test_another_teams_pairings_never_show(manager_client, mentoring):
    for query in ("", "?team=tech", "?team=" + "x" * 500, "?team=%3Cb%3E"):
        response = manager_client.get(URL + query)
        assert response.status_code == 200
        assert "Stella Stranger" not in response.content.decode()


def test_the_charts_numbers_are_the_tables(manager_client, mentoring):
    body = manager_client.get(URL).content.decode()
    chart = _chart(body)
    table = _summary_table(body)
    assert dict(zip(chart["keys"], chart["values"], strict=True)) == table
    # Each pairing once: the bars add up to the pairings listed.
    assert table == {"at_risk": 1, "on_track": 1, "waiting": 1, "completed": 1, "ended": 0}


def test_all_goals_met_is_a_figure_apart_from_the_states(manager_client, manager, mentoring):
    """It cuts across the states, so drawn as a bar it would count a pairing twice."""
    body = manager_client.get(URL).content.decode()
    # The completed pairing met its one goal; the agent met 1 of 2.
    assert re.search(r'data-figure="goals-met">1</span>\s*pairing met all its goals', body)
    assert "goals_met" not in _chart(body)["keys"]
    assert team_mentoring(manager=manager).goals_met == 1


def test_the_chart_comes_from_static_files_without_inline_script(manager_client, mentoring):
    body = manager_client.get(URL).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert 'src="' in tag or 'type="application/json"' in tag
    assert "vendor/chart.js-4.6.1.umd.min.js" in body
    assert "js/mentoring-chart.js" in body
    assert "<caption>Pairings per state" in body
    assert " style=" not in body.split("<main", 1)[1]
    assert 'aria-current="page">Team mentoring</a>' in body


def test_a_manager_of_two_teams_picks_one_or_sees_both(
    manager_client, manager, other_team, mentoring
):
    other_team.managers.add(manager)
    body = manager_client.get(URL).content.decode()
    assert '<select id="filter-team" name="team"' in body
    assert "Stella Stranger" in body
    assert "(Technical Support)" in body

    body = manager_client.get(URL + "?team=billing").content.decode()
    assert "Stella Stranger" not in body
    assert "Team mentoring: Billing Support" in body


def test_a_manager_without_a_team_is_told_so(db, client):
    lonely = UserFactory(roles=[Role.MANAGER])
    client.force_login(lonely)
    response = client.get(URL)
    assert response.status_code == 200
    assert "You don't manage a team yet." in response.content.decode()


def test_a_team_with_no_pairings_has_no_chart(manager_client, agent):
    body = manager_client.get(URL).content.decode()
    assert "is in a mentoring pairing yet" in body
    assert "mentoring-chart.js" not in body
    assert agent.name in body  # among those with no mentor


def test_at_risk_is_two_cadences_without_a_meeting(manager, program, agent, outsider):
    """Cadence 14 days: a pair that last met 27 days ago is on track, 29 days ago at risk."""
    pairing = _started(make_pairing(program=program, mentor=outsider, mentee=agent), 60)
    met = _meet(pairing, 27)
    (row,) = team_mentoring(manager=manager).as_mentee
    assert row.state == "on_track"
    Meeting.objects.filter(pk=met.pk).update(starts_at=timezone.now() - timedelta(days=29))
    report = team_mentoring(manager=manager)
    (row,) = report.at_risk
    assert row.state == "at_risk"
    assert report.as_mentee == ()


def test_ended_pairings_show_as_ended(manager, program, agent, outsider):
    pairing = make_pairing(program=program, mentor=outsider, mentee=agent)
    pairings.pairing_end(pairing=pairing, user=manager, reason="Moved to another site.")
    report = team_mentoring(manager=manager)
    assert [r.state for r in report.as_mentee] == ["ended"]
    assert {s.key: s.count for s in report.summary}["ended"] == 1


def test_declined_proposals_leave_the_mentee_with_no_mentor(manager, program, agent, outsider):
    pairing = make_pairing(program=program, mentor=outsider, mentee=agent, active=False)
    pairings.pairing_decline(pairing=pairing, mentor=outsider, reason="Too busy.")
    report = team_mentoring(manager=manager)
    assert not report.has_pairings
    assert agent in [u.person for u in report.unmatched]


@pytest.mark.parametrize("size", SIZES)
def test_team_page_query_count_is_constant(
    client, manager, team, other_team, program, size, django_assert_max_num_queries
):
    make_program(name="Peer mentoring", kind="peer")
    for i in range(size):
        mentee = UserFactory(team=team, roles=[Role.AGENT])
        mentor = UserFactory(team=other_team)
        make_profile(mentor, capacity=3)
        pairing = _started(make_pairing(program=program, mentor=mentor, mentee=mentee), i * 5)
        _meet(pairing, i)
        Goal.objects.create(pairing=pairing, title=f"Goal {i}", progress=10 * i)
        make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team), active=False)
        teammate_mentor = UserFactory(team=team)
        make_pairing(program=program, mentor=teammate_mentor, mentee=UserFactory(team=other_team))
        idle = UserFactory(team=team)
        pairings.participation_join(program=program, mentee=idle)
    client.force_login(manager)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert len(_rows(body, "mentee")) == size
    assert len(re.findall(r'<tr class="waiting-row">', body)) == size


CHART_DRAWN = "() => !!(window.Chart && Chart.getChart('mentoring-chart'))"


@pytest.mark.browser
@requires_chromium
def test_in_a_browser_the_chart_draws_under_the_csp_and_the_page_passes_axe(
    new_page, manager, mentoring
):
    page = new_page()
    log_in(page, "manager")
    page.goto(URL)
    expect(page.get_by_role("heading", level=1, name="Team mentoring")).to_be_visible()
    page.wait_for_function(CHART_DRAWN)
    table = page.get_by_role("table", name="Pairings per state")
    expect(table.get_by_role("row", name="At risk")).to_contain_text("1")
    expect(
        page.get_by_role("link", name="Find a mentor for Ida Idle in Onboarding mentoring")
    ).to_be_visible()
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert page.errors == []
