"""The team page's CSV: the same rows and filters, every column, cells a spreadsheet never
runs as a formula, managers only, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory
from tests.training.builders import enrol, make_track
from training.models import StepCompletion
from training.views.team import CSV_HEADER, csv_safe

URL = reverse("training:team-csv")
SIZES = [2, 12]
# The session, the user and their roles, the managed teams, the enrolments (joined), the
# members: the same as the page.
CSV_QUERIES = 6


def _read(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_an_agent_gets_403(agent_client):
    assert agent_client.get(URL).status_code == 403


def test_the_csv_has_every_column_of_every_row(manager_client, manager, agent, mentor, track):
    today = timezone.localdate()
    due = today - timedelta(days=1)
    enrol(agent, track, assigned_by=manager, due_on=due)
    completed = timezone.now() - timedelta(days=2)
    calm = make_track(owner=manager, title="Calm calls", task=True)
    enrol(mentor, calm, status="completed", completed_at=completed, certificate_code="C-1")
    on_it = enrol(mentor, track)
    StepCompletion.objects.create(enrolment=on_it, step=track.steps.first())

    response = manager_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="training-')
    rows = _read(response)
    assert rows[0] == CSV_HEADER
    by_key = {(r[0], r[2]): r for r in rows[1:]}
    assert by_key[(agent.name, "Refunds basics")] == [
        agent.name, "Billing Support", "Refunds basics", "Overdue", "0", manager.name,
        due.isoformat(), "yes", "",
    ]  # fmt: skip
    assert by_key[(mentor.name, "Calm calls")] == [
        mentor.name, "Billing Support", "Calm calls", "Completed", "100", "",
        "", "no", timezone.localtime(completed).date().isoformat(),
    ]  # fmt: skip
    assert by_key[(mentor.name, "Refunds basics")][3:5] == ["In progress", "33"]
    assert len(rows) == 4


def test_formulas_are_written_as_text(manager_client, manager, team, editor):
    """A name or title starting with = + - @ would run in a spreadsheet: it gets a quote."""
    sneaky = UserFactory(team=team, display_name='=HYPERLINK("http://evil.example","x")')
    dash = UserFactory(team=team, display_name="-2+3")
    at = UserFactory(team=team, display_name="@SUM(A1)")
    plus = make_track(owner=editor, title="+1 for refunds", task=True)
    for person in (sneaky, dash, at):
        enrol(person, plus, assigned_by=manager)

    rows = _read(manager_client.get(URL))[1:]
    names = sorted(r[0] for r in rows)
    assert names == sorted(['\'=HYPERLINK("http://evil.example","x")', "'-2+3", "'@SUM(A1)"])
    assert {r[2] for r in rows} == {"'+1 for refunds"}
    for row in rows:
        assert not row[0].startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ann = Bob", "Ann = Bob"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(value, written):
    assert csv_safe(value) == written


def test_the_csv_follows_the_pages_filters_and_teams(
    manager_client, manager, agent, mentor, outsider, track, other_team
):
    enrol(agent, track, due_on=timezone.localdate() - timedelta(days=3))
    enrol(mentor, track)
    enrol(outsider, track)
    rows = _read(manager_client.get(URL + "?status=overdue"))
    assert [r[0] for r in rows[1:]] == [agent.name]
    # A team they do not manage is ignored: their own teams, never the other one.
    rows = _read(manager_client.get(URL + "?team=tech"))
    assert outsider.name not in {r[0] for r in rows}
    other_team.managers.add(manager)
    rows = _read(manager_client.get(URL + "?team=tech"))
    assert [r[0] for r in rows[1:]] == [outsider.name]


def test_the_page_links_the_csv_with_its_filters(manager_client, agent, track):
    enrol(agent, track)
    body = manager_client.get(reverse("training:team") + "?status=not_started").content.decode()
    assert f'href="{URL}?status=not_started"' in body


@pytest.mark.parametrize("size", SIZES)
def test_csv_query_count_is_constant(
    client, manager, team, editor, size, django_assert_max_num_queries
):
    for i in range(size):
        own = make_track(owner=editor, title=f"Track {i}", task=True)
        person = UserFactory(team=team, roles=[Role.AGENT])
        enrol(person, own, assigned_by=UserFactory(), due_on=timezone.localdate())
    client.force_login(manager)
    with django_assert_max_num_queries(CSV_QUERIES):
        response = client.get(URL)
    assert len(_read(response)) == size + 1
