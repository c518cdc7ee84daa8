"""Manager insights: who may open it, the period form, and the CSV downloads (each equal to
the table on the page, formulas written as text)."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from dashboard.insights import TABLE_SLUGS
from kb.models import ArticleView
from people.models import Role
from recognition.models import Kudos
from search.models import SearchLog
from tests.factories import UserFactory, make_article
from tests.recognition.builders import make_kudos, make_praise

URL = "/insights/"


class _TableReader(HTMLParser):
    """The text of each cell of the `<table data-table="slug">`, row by row (the action
    column, a button and not a figure, left out)."""

    def __init__(self, slug: str):
        super().__init__()
        self.slug, self.inside, self.rows = slug, False, []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("data-table") == self.slug:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("th", "td") and "data-action" not in attrs:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = False
        elif self.cell is not None and tag in ("th", "td"):
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_table(body: str, slug: str) -> list[list[str]]:
    reader = _TableReader(slug)
    reader.feed(body)
    return reader.rows


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8").lstrip("\ufeff"))))


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True, team=None))
    return client


def test_agent_gets_403(agent_client):
    assert agent_client.get(URL).status_code == 403
    assert agent_client.get("/insights/kudos.csv").status_code == 403


def test_editor_gets_403(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 403


def test_manager_sees_their_team(manager_client, agent):
    response = manager_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Insights" in body
    assert agent.name in body


def test_manager_cannot_open_another_team(manager_client, outsider):
    assert manager_client.get(URL, {"team": "tech"}).status_code == 403
    assert manager_client.get("/insights/kudos.csv", {"team": "tech"}).status_code == 403


def test_a_team_that_does_not_exist_is_refused_like_another_team(manager_client):
    assert manager_client.get(URL, {"team": "no-such-team"}).status_code == 403


def test_manager_never_sees_another_teams_people(manager_client, outsider):
    body = manager_client.get(URL).content.decode()
    assert outsider.name not in body


def test_admin_role_sees_every_team(client, team, other_team, outsider):
    admin = UserFactory(username="boss", team=team, roles=[Role.ADMIN])
    client.force_login(admin)
    response = client.get(URL, {"team": "tech"})
    assert response.status_code == 200
    assert outsider.name in response.content.decode()


def test_superuser_sees_every_team(admin_client, outsider, agent):
    body = admin_client.get(URL).content.decode()
    assert outsider.name in body
    assert agent.name in body


def test_manager_of_no_team_is_told_so(client, team):
    lonely = UserFactory(username="lonely", team=team, roles=[Role.MANAGER])
    client.force_login(lonely)
    response = client.get(URL)
    assert response.status_code == 200
    assert "You don't manage a team yet" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "custom", "start": "2026-13-45", "end": "2026-01-01"}, "Enter a valid date"),
        ({"period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "comes after"),
        ({"period": "custom", "start": "2026-02-01"}, "Give both dates"),
        ({"period": "custom", "start": "1900-01-01", "end": "2026-01-01"}, "Choose a date from"),
        ({"period": "custom", "start": "2001-01-01", "end": "2026-01-01"}, "at most"),
        ({"period": "custom", "start": "99999999-01-01", "end": "2026-01-01"}, "valid date"),
        ({"period": "7000"}, "Select a valid choice"),
        ({"team": "x" * 5000}, "at most 100"),
    ],
)
def test_bad_period_input_is_a_form_error(manager_client, query, message):
    response = manager_client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    csv_response = manager_client.get("/insights/kudos.csv", query)
    assert csv_response.status_code == 400


def test_a_period_from_to_dates_is_accepted(manager_client, manager, agent):
    make_kudos(manager, agent)
    query = {"period": "custom", "start": "2020-01-01", "end": "2020-12-31"}
    response = manager_client.get(URL, query)
    assert response.status_code == 200
    assert "1 Jan 2020 to 31 Dec 2020" in response.content.decode()
    rows = html_table(response.content.decode(), "kudos")
    # The kudos was given today, outside the chosen year.
    assert all(row[1] == "0" for row in rows[1:])


def test_unknown_table_is_404(manager_client):
    assert manager_client.get("/insights/nothing.csv").status_code == 404


@pytest.mark.parametrize("slug", TABLE_SLUGS)
def test_each_csv_equals_its_table(manager_client, manager, agent, mentor, editor, slug):
    make_kudos(manager, [agent, mentor])
    make_kudos(agent, mentor, status=Kudos.Status.REPORTED)
    make_praise([agent], csat=5)
    article = make_article(author=agent, approved_by=editor, owner=agent)
    ArticleView.objects.create(article=article, user=mentor, day=timezone.localdate())
    SearchLog.objects.create(user=agent, team=agent.team, query="Warp", normalized="warp",
                             result_count=0)  # fmt: skip
    body = manager_client.get(URL, {"period": "90"}).content.decode()
    table = html_table(body, slug)
    response = manager_client.get(f"/insights/{slug}.csv", {"period": "90"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert csv_rows(response) == table
    assert len(table) >= 2  # every table has rows here: a header alone proves little


def test_csv_link_keeps_the_team_and_period(manager_client):
    query = {"team": "billing", "period": "custom", "start": "2026-01-01", "end": "2026-01-31"}
    body = manager_client.get(URL, query).content.decode()
    expected = "team=billing&amp;period=custom&amp;start=2026-01-01&amp;end=2026-01-31"
    assert f"/insights/kudos.csv?{expected}" in body


def test_csv_writes_formulas_as_text(manager_client, manager, team):
    sneaky = UserFactory(username="sneaky", display_name="=HYPERLINK(1)", team=team)
    make_kudos(manager, sneaky)
    rows = csv_rows(manager_client.get("/insights/kudos.csv"))
    names = [row[0] for row in rows]
    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names


def test_page_has_charts_with_their_data_and_tables(manager_client, manager, agent):
    make_kudos(manager, agent)
    body = manager_client.get(URL).content.decode()
    assert 'data-insights-chart="insights-data-kudos"' in body
    assert 'id="insights-data-kudos"' in body
    assert "js/insights-chart.js" in body
    assert "<script>" not in body  # no inline script: the data is JSON, not code
