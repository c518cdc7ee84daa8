"""The search page names every filter value (categories, tags, skills, teams) in one query,
and its result links carry the search's log key, reversed once for the page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Skill
from tests.search.pages import facet_counts, parse

LABEL_TABLES = ('"kb_category"', '"taggit_tag"', '"people_skill"', '"people_team"')


def test_filter_values_are_named_in_one_query(client, agent, team, write, corpus, index):
    write("Refund for a team", "Refund steps for the team.", tags=["team-refunds"],
          visibility="teams", teams=[team])  # fmt: skip
    # A tag whose slug is also a skill's: the article's tag names it, not the skill.
    Skill.objects.create(name="Skill named payments", slug="payments")
    index()
    client.force_login(agent)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "refund"})
    shown = facet_counts(response)
    assert {"Refunds", "Shipping"} <= set(shown["Category"])
    assert {"refunds", "payments", "team-refunds"} <= set(shown["Tag"])
    assert team.name in shown["Team"]
    label_queries = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().startswith("SELECT 'category'") or "UNION" in q["sql"]
    ]  # fmt: skip
    assert len(label_queries) == 1, label_queries
    assert all(table in label_queries[0] for table in LABEL_TABLES)


def test_a_filter_link_keeps_the_other_parameters_in_place(client, agent, corpus):
    client.force_login(agent)
    response = client.get("/search/", {"q": "refund", "sort": "newest", "page": "1"})
    hrefs = [a.attrs["href"] for a in parse(response).find("aside", class_="facets").find_all("a")]
    assert "?q=refund&sort=newest&category=refunds" in hrefs  # no page, no log
    assert "?q=refund&sort=newest&since=7" in hrefs


def test_result_links_record_the_open_on_this_searchs_log(client, agent, corpus):
    client.force_login(agent)
    response = client.get("/search/", {"q": "refund"})
    links = [a.attrs["href"] for a in parse(response).find("ol", class_="results").find_all("a")]
    log = response.context["log"]
    assert links
    assert all(href.startswith(f"/search/open/{log}/") for href in links)
    article = corpus["refund"]
    assert f"/search/open/{log}/{article.pk}/?rank=1" in links
    opened = client.get(links[0])
    assert opened.status_code == 302
