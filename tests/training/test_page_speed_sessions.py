"""The sessions list reads its rows' skills in one query and builds their links from one
reversed prefix: each row still links to its own session and shows its own skills."""

from __future__ import annotations

from tests.search.pages import parse
from tests.training.builders import make_session


def test_each_row_links_to_its_session_and_shows_its_own_skills(client, agent, editor):
    refunds = make_session(organiser=editor, title="Refund war stories", days=2)
    refunds.skills.set(["refunds", "empathy"])
    plain = make_session(organiser=editor, title="Quiet hour", days=3)
    client.force_login(agent)
    page = parse(client.get("/training/sessions/"))
    rows = page.find_all("li", class_="session-row")
    assert len(rows) == 2
    by_title = {row.find("a").text(): row for row in rows}
    first = by_title["Refund war stories"]
    assert first.find("a").attrs["href"] == f"/training/sessions/{refunds.slug}/"
    assert [a.text() for a in first.find_all("a", class_="tag")] == ["empathy", "refunds"]
    assert by_title["Quiet hour"].find("a", class_="tag") is None
    assert by_title["Quiet hour"].find("a").attrs["href"] == f"/training/sessions/{plain.slug}/"
