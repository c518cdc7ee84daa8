"""The manager's team page: who is on which track, how far, what is overdue; a chart whose
numbers are the table's; managers only, their own teams only; constant queries."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import Enrolment, StepCompletion
from training.selectors.team import team_progress

URL = reverse("training:team")
SIZES = [2, 12]
# Measured, the same at both sizes: the session, the user and their roles (3), then the
# managed teams, the enrolments with their progress and everything a row names (one query,
# joined), and the teams' members (3).
PAGE_QUERIES = 6


def _rows(body: str) -> list[dict[str, str]]:
    """The people table's rows: person, status, progress and track, as shown (in that order,
    so a phone shows how each person is doing before it has to scroll)."""
    rows = []
    for row in re.findall(r'<tr class="progress-row">(.*?)</tr>', body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
        progress = re.sub(r"\s+", " ", cells[2])
        rows.append({"person": cells[0], "status": cells[1], "progress": progress,
                     "track": cells[3]})  # fmt: skip
    return rows


def _summary_table(body: str) -> dict[str, list[int]]:
    """{track title: [completed, in progress, overdue, not started]} from the table."""
    table = re.search(r'<table class="team-summary-table">(.*?)</table>', body, re.S).group(1)
    numbers = {}
    for row in re.findall(r"<tr data-track[^>]*>(.*?)</tr>", table, re.S):
        title = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        cells = re.findall(r"<td>(\d+)</td>", row)
        numbers[title.strip()] = [int(n) for n in cells[:4]]
    return numbers


def _chart(body: str) -> dict:
    found = re.search(
        r'<script id="team-chart-data" type="application/json">(.*?)</script>', body, re.S
    )
    return json.loads(found.group(1))


@pytest.fixture
def progress(manager, agent, mentor, editor, outsider, track):
    """Billing's people on two tracks, in every state, and an outsider on one of them."""
    today = timezone.localdate()
    calm = make_track(owner=editor, title="Calm calls", task=True)
    enrol(agent, track, assigned_by=manager, due_on=today - timedelta(days=2))  # overdue
    on_it = enrol(mentor, track, assigned_by=manager, due_on=today + timedelta(days=5))
    StepCompletion.objects.create(enrolment=on_it, step=track.steps.first())  # 1 of 3
    enrol(editor, track)  # self-enrolled, not started
    enrol(agent, calm, status="completed", completed_at=timezone.now(), certificate_code="C-1")
    enrol(mentor, calm, status="withdrawn", withdrawn_at=timezone.now())
    enrol(outsider, track, due_on=today - timedelta(days=9))
    return {"calm": calm}


def test_an_agent_gets_403(agent_client):
    assert agent_client.get(URL).status_code == 403


def test_a_manager_sees_who_is_on_which_track(manager_client, progress, agent, mentor, editor):
    response = manager_client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert sorted((r["person"], r["track"], r["status"]) for r in _rows(body)) == sorted(
        [
            (agent.name, "Refunds basics", "Overdue"),
            (agent.name, "Calm calls", "Completed"),
            (mentor.name, "Refunds basics", "In progress"),
            (editor.name, "Refunds basics", "Not started"),
        ]
    )
    progress = {(r["person"], r["track"]): r["progress"] for r in _rows(body)}
    assert "33%" in progress[(mentor.name, "Refunds basics")]  # one of the three steps
    assert progress[(editor.name, "Refunds basics")] == "Not started"
    assert progress[(agent.name, "Refunds basics")] == "Not started"  # overdue, nothing done
    assert "100%" in progress[(agent.name, "Calm calls")]
    assert "Self-enrolled" in body
    overdue_on = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert f'<time datetime="{overdue_on}" class="status-warn">' in body


def test_another_teams_people_never_show(manager_client, progress, outsider):
    for query in ("", "?team=tech", "?team=tech&status=overdue"):
        body = manager_client.get(URL + query).content.decode()
        assert outsider.name not in body


def test_filters_narrow_the_rows_not_the_summary(manager_client, progress, agent, mentor):
    body = manager_client.get(URL + "?status=overdue").content.decode()
    assert [(r["person"], r["status"]) for r in _rows(body)] == [(agent.name, "Overdue")]
    assert _summary_table(body)["Refunds basics"] == [0, 1, 1, 1]

    body = manager_client.get(URL + "?track=calm-calls").content.decode()
    assert [(r["person"], r["status"]) for r in _rows(body)] == [(agent.name, "Completed")]

    body = manager_client.get(URL + "?status=withdrawn").content.decode()
    assert [(r["person"], r["track"]) for r in _rows(body)] == [(mentor.name, "Calm calls")]


@pytest.mark.parametrize(
    "query", ["?status=nonsense", "?track=%3Cb%3E", "?team=" + "x" * 5000, "?track=99999999999999"]
)
def test_a_bad_filter_is_ignored(manager_client, progress, query):
    response = manager_client.get(URL + query)
    assert response.status_code == 200
    assert len(_rows(response.content.decode())) == 4


def test_the_charts_numbers_are_the_tables(manager_client, progress):
    body = manager_client.get(URL).content.decode()
    chart = _chart(body)
    table = _summary_table(body)
    assert [d["key"] for d in chart["datasets"]] == [
        "completed",
        "in_progress",
        "overdue",
        "not_started",
    ]
    from_chart = {
        title: [dataset["data"][i] for dataset in chart["datasets"]]
        for i, title in enumerate(chart["labels"])
    }
    assert from_chart == table
    assert table == {"Calm calls": [1, 0, 0, 0], "Refunds basics": [0, 1, 1, 1]}


def test_the_chart_comes_from_static_files_without_inline_script(manager_client, progress):
    body = manager_client.get(URL).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert 'src="' in tag or 'type="application/json"' in tag
    assert "vendor/chart.js-4.6.1.umd.min.js" in body
    assert "js/team-chart.js" in body
    assert "<caption>People per track and status" in body
    assert '<th scope="row">' in body
    assert " style=" not in body.split("<main", 1)[1]


def test_a_manager_of_two_teams_picks_one_or_sees_both(
    manager_client, manager, other_team, progress, outsider
):
    other_team.managers.add(manager)
    body = manager_client.get(URL).content.decode()
    assert '<select id="filter-team" name="team"' in body
    assert outsider.name in body
    assert '<th scope="col">Team</th>' in body

    body = manager_client.get(URL + "?team=billing").content.decode()
    assert outsider.name not in body
    assert "Team training: Billing Support" in body


def test_members_on_no_track_are_listed(manager_client, team, progress):
    idle = UserFactory(team=team, display_name="Idle Ida")
    UserFactory(team=team, display_name="Gone Gus", is_active=False)
    body = manager_client.get(URL).content.decode()
    assert "Not on any track" in body
    assert idle.name in body
    assert "Gone Gus" not in body


def test_a_manager_without_a_team_is_told_so(db, client):
    lonely = UserFactory(roles=[Role.MANAGER])
    client.force_login(lonely)
    response = client.get(URL)
    assert response.status_code == 200
    assert "You don't manage a team yet." in response.content.decode()


def test_overdue_is_by_the_learners_own_date(manager, team, track):
    """At 11:00 UTC on the 10th it is already the 11th in Kiritimati (UTC+14): a track due
    on the 10th is overdue there, not yet in London."""
    kiribati = UserFactory(team=team, timezone="Pacific/Kiritimati")
    london = UserFactory(team=team, timezone="Europe/London")
    due = datetime(2031, 3, 10, tzinfo=UTC).date()
    enrol(kiribati, track, due_on=due)
    enrol(london, track, due_on=due)
    report = team_progress(manager=manager, now=datetime(2031, 3, 10, 11, tzinfo=UTC))
    statuses = {row.person.pk: row.status for row in report.rows}
    assert statuses == {kiribati.pk: "overdue", london.pk: "not_started"}


@pytest.mark.parametrize("size", SIZES)
def test_team_page_query_count_is_constant(
    client, manager, team, editor, size, django_assert_max_num_queries
):
    today = timezone.localdate()
    common = make_track(owner=editor, title="Common ground", task=True)
    for i in range(size):
        own = make_track(owner=editor, title=f"Track {i}", task=True)
        person = UserFactory(team=team, roles=[Role.AGENT])
        enrol(person, common, assigned_by=UserFactory(), due_on=today - timedelta(days=i))
        done = enrol(person, own, status="completed", completed_at=timezone.now(),
                     certificate_code=f"Q-{i}")  # fmt: skip
        StepCompletion.objects.create(enrolment=done, step=own.steps.first())
        UserFactory(team=team)  # on no track
    client.force_login(manager)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(_rows(response.content.decode())) == 2 * size


def test_progress_rounds_down_like_the_learners_pages(manager, team, editor):
    """6 of 7 steps done reads 85% (not 86%), as on the learner's own track page."""
    long = make_track(owner=editor, title="Seven steps", task=True)
    for position in range(2, 8):
        long.steps.create(position=position, kind="task", title=f"Task {position}")
    person = UserFactory(team=team)
    enrolment = enrol(person, long)
    for step in list(long.steps.order_by("position"))[:6]:
        StepCompletion.objects.create(enrolment=enrolment, step=step)
    (row,) = team_progress(manager=manager).rows
    assert row.progress == 85
    assert row.started


def test_a_task_handed_in_for_review_counts_as_started(manager, agent, track):
    """The learner's pages call the track "In progress" once a task is handed in, though no
    step is done yet; the team page says the same."""
    enrolment = enrol(agent, track)
    task = track.steps.get(kind="task")
    StepCompletion.objects.create(enrolment=enrolment, step=task, status="awaiting_review")
    (row,) = team_progress(manager=manager).rows
    assert (row.status, row.progress, row.started) == ("in_progress", 0, True)


def test_the_team_column_shows_only_when_the_rows_span_teams(
    manager_client, manager, other_team, progress, outsider
):
    """A manager of two teams whose enrolled people are all in one team sees no Team column
    (it would only push status and progress off a phone's screen)."""
    other_team.managers.add(manager)
    Enrolment.objects.filter(user=outsider).delete()
    body = manager_client.get(URL).content.decode()
    assert '<th scope="col">Team</th>' not in body
    header = re.search(
        r"<thead><tr>(.*?)</tr></thead>", body.split('class="team-progress-table"')[1]
    )
    columns = re.findall(r'<th scope="col">(.*?)</th>', header.group(1))
    assert columns[:4] == ["Person", "Status", "Progress", "Track"]


def test_the_page_is_team_training_with_breadcrumbs(manager_client, progress):
    body = manager_client.get(URL).content.decode()
    assert "<title>Team training" in body
    assert '<li><a href="/training/">Training</a></li>' in body
    assert 'aria-current="page">Team training</a>' in body
