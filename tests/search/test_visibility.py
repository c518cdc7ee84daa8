"""What an outsider may never find: a team-restricted article and unpublished ones, in any
search path (results, counts, filters, autocomplete, more like this, the API, spelling)."""

from __future__ import annotations

import pytest

from kb.models import Article
from tests.factories import UserFactory
from tests.search.pages import (
    corrected,
    facet_counts,
    facets_text,
    heading,
    related_titles,
    result_titles,
    suggestion_titles,
)

PUBLIC_REFUND_TITLES = {"Issue a refund", "Returned items", "Partial shipments"}
HIDDEN_TAGS = ("vip-escalation", "draft-secret", "review-x", "archived-secret")
HIDDEN_TITLES = (
    "Refund escalation contacts",
    "Refund draft notes",
    "Refund policy proposal",
    "Old refund rules",
)


def _as(client, request, who):
    client.force_login(request.getfixturevalue(who))
    return client


def test_outsider_search_page_shows_no_hidden_article_count_or_filter_value(
    client, outsider, hidden
):
    client.force_login(outsider)
    response = client.get("/search/", {"q": "refund"})
    assert set(result_titles(response)) == PUBLIC_REFUND_TITLES
    assert heading(response) == "3 results for “refund”"
    facets = facet_counts(response)
    assert facets["Type"] == {"How-to": 2, "Article": 1}  # no troubleshooting guide
    assert facets["Category"] == {"Billing": 2, "Refunds": 2, "Shipping": 1}
    assert "Team" not in facets  # only the restricted article has a team
    shown = facets_text(response)
    for secret in (*HIDDEN_TAGS, "Billing Support", "Troubleshooting"):
        assert secret not in shown
    raw = response.content.decode()  # nowhere in the response, text or markup
    for title in HIDDEN_TITLES:
        assert title not in raw


@pytest.mark.parametrize("q", ["escalation", "contacts", "euros", "draft", "proposal", "2019"])
def test_outsider_finds_nothing_by_words_only_hidden_articles_have(client, outsider, hidden, q):
    client.force_login(outsider)
    response = client.get("/search/", {"q": q})
    assert result_titles(response) == []
    assert heading(response).startswith("0 results")


@pytest.mark.parametrize("tag", HIDDEN_TAGS)
def test_outsider_filtering_by_a_hidden_tag_finds_nothing(client, outsider, hidden, tag):
    client.force_login(outsider)
    response = client.get("/search/", {"tag": tag})
    assert response.status_code == 200
    assert result_titles(response) == []
    api = client.get("/api/search/", {"tag": tag}).json()
    assert (api["count"], api["results"], api["errors"]) == (0, [], [])


def test_outsider_filtering_by_the_restricted_team_finds_nothing(client, outsider, team, hidden):
    client.force_login(outsider)
    assert result_titles(client.get("/search/", {"team": team.pk})) == []


def test_spelling_corrections_do_not_reveal_words_of_hidden_articles(client, outsider, hidden):
    client.force_login(outsider)
    for typo in ("escalaton", "contcts"):
        response = client.get("/search/", {"q": typo})
        assert corrected(response) is None, typo
        assert result_titles(response) == [], typo
        assert client.get("/api/search/", {"q": typo}).json()["corrected"] == "", typo


@pytest.mark.parametrize(("who", "sees"), [("agent", True), ("editor", True), ("outsider", False)])
def test_the_restricted_article_is_found_by_its_team_and_editors_only(
    client, request, hidden, who, sees
):
    c = _as(client, request, who)
    page = c.get("/search/", {"q": "refund"})
    assert ("Refund escalation contacts" in result_titles(page)) is sees
    assert heading(page).startswith("4 results" if sees else "3 results")
    facets = facet_counts(page)
    assert ("vip-escalation" in facets["Tag"]) is sees
    assert facets.get("Team", {}) == ({"Billing Support": 1} if sees else {})
    suggested = suggestion_titles(c.get("/search/suggest/", {"q": "escal"}))
    assert ("Refund escalation contacts" in suggested) is sees
    api = c.get("/api/search/", {"q": "refund"}).json()
    assert (hidden["restricted"].pk in {r["id"] for r in api["results"]}) is sees
    assert api["count"] == (4 if sees else 3)
    assert (["vip-escalation", 1] in api["facets"]["tags"]) is sees
    for article in ("draft", "in_review", "archived"):  # unpublished: nobody finds them
        assert hidden[article].pk not in {r["id"] for r in api["results"]}


def test_autocomplete_never_suggests_a_hidden_article_to_an_outsider(client, outsider, hidden):
    client.force_login(outsider)
    for prefix in ("ref", "refund", "old", "escal", "draft", "policy"):
        response = client.get("/search/suggest/", {"q": prefix})
        assert response.status_code == 200
        assert not set(suggestion_titles(response)) & set(HIDDEN_TITLES), prefix
    assert suggestion_titles(client.get("/search/suggest/", {"q": "ref"})) == ["Issue a refund"]


@pytest.mark.parametrize(("who", "sees"), [("agent", True), ("outsider", False)])
def test_more_like_this_on_the_article_page_respects_visibility(
    client, request, hidden, corpus, who, sees
):
    c = _as(client, request, who)
    related = related_titles(c.get(corpus["refund"].get_absolute_url()))
    assert related  # there are similar articles to show
    assert ("Refund escalation contacts" in related) is sees
    assert not set(related) & set(HIDDEN_TITLES[1:])


def test_more_like_this_fills_its_places_with_articles_the_reader_may_open(
    client, outsider, team, write, index
):
    # Five restricted near-copies are the closest matches; the outsider should still get the
    # public sibling rather than an empty box (the index must narrow by audience, as search does).
    body = "Check the gift card balance in the wallet tab before a voucher refund."
    base = write("Gift card balance", body)
    for n in range(5):
        write(f"Gift card balance copy {n}", body, visibility="teams", teams=[team])
    write("Gift card wallet", "The wallet tab lists each gift card and its balance.")
    index()
    client.force_login(outsider)
    assert related_titles(client.get(base.get_absolute_url())) == ["Gift card wallet"]


# --- parity with the database's visibility rule -------------------------------------------


def _findable_ids(client) -> set[int]:
    """Every article id a broad search (a filter, no words) finds, page by page, via the API."""
    ids, page = set(), 1
    while True:
        data = client.get("/api/search/", {"since": 365, "page": page}).json()
        assert data["errors"] == []
        ids |= {r["id"] for r in data["results"]}
        if page >= data["num_pages"]:
            assert len(ids) == data["count"]
            return ids
        page += 1


def test_what_search_finds_equals_what_the_database_lets_each_person_read(
    client, hidden, write, index, agent, editor, outsider, other_team
):
    # One more restricted article, to another team, owned by a billing agent: its owner may
    # read it although it is not for their team.
    write("Tech escalations", "On-call rota.", visibility="teams", teams=[other_team], owner=agent)
    index()
    teamless = UserFactory(username="teamless", team=None)
    for person in (agent, editor, outsider, teamless):
        client.force_login(person)
        expected = set(Article.objects.published().visible_to(person).values_list("pk", flat=True))
        assert _findable_ids(client) == expected, person.username
    assert len(_findable_ids(client)) == 10  # teamless: the public corpus only
