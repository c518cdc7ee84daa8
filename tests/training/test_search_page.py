"""Tracks and sessions on the search page and in autocomplete, beside articles: found, shown
with their own result templates, filtered by type, and never shown (not even counted) to
someone outside their audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kb.services import feedback_give
from searchkit import pipeline
from tests.factories import UserFactory, make_article
from tests.search.pages import (
    facet_counts,
    facets,
    heading,
    input_errors,
    parse,
    result_links,
    result_titles,
    suggestion_titles,
)
from tests.training.builders import make_session, make_track
from training.models import Session, SessionSignup

PUBLIC = {"Conflict on the phone", "Conflict resolution basics", "Conflict roundtable"}
TEAM_ONLY = {"Conflict in billing disputes", "Conflict clinic for billing"}
NEVER = {"Conflict draft", "Conflict retro", "Conflict cancelled"}
STARTS = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def catalogue(db, search_index, editor, mentor, team):
    """Beside one article: a public and a team-only track, a draft; a public and a team-only
    upcoming session, a past one and a cancelled one. All about conflict, all indexed."""
    article = make_article(author=editor, title="Conflict on the phone", approved_by=editor)
    public = make_track(
        owner=editor, title="Conflict resolution basics", estimated_minutes=45,
        description="Calm an angry caller and agree on the next step.",
    )  # fmt: skip
    public.skills.add("Conflict resolution", "Empathy")
    restricted = make_track(owner=editor, title="Conflict in billing disputes", visibility="teams")
    restricted.teams.set([team])
    restricted.skills.add("Escalations")
    make_track(owner=editor, title="Conflict draft", published=False)
    session = make_session(
        organiser=editor, title="Conflict roundtable", kind="roundtable", presenters=[mentor],
        starts_at=STARTS, agenda="Share the hardest call of your week.", capacity=10,
    )  # fmt: skip
    session.skills.add("Conflict resolution")
    team_session = make_session(organiser=editor, title="Conflict clinic for billing", days=4)
    team_session.visibility = "teams"
    team_session.save()
    team_session.teams.set([team])
    make_session(organiser=editor, title="Conflict retro", days=-3)
    make_session(organiser=editor, title="Conflict cancelled", days=5, status="cancelled")
    pipeline.rebuild()
    return {"article": article, "track": public, "restricted": restricted, "session": session,
            "team_session": team_session}  # fmt: skip


def _search(client, user, **params):
    client.force_login(user)
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response


def _result(response, title: str):
    """The <li> of the result titled `title`."""
    for item in parse(response).find("ol", class_="results").find_all("li", class_="result"):
        if item.find("h3", class_="result-title").text() == title:
            return item
    raise AssertionError(f"{title!r} is not among the results")


def test_published_tracks_and_upcoming_sessions_are_found_beside_articles(client, agent, catalogue):
    response = _search(client, agent, q="conflict")

    assert set(result_titles(response)) == PUBLIC | TEAM_ONLY
    assert heading(response) == "5 results for “conflict”"
    links = dict(zip(result_titles(response), result_links(response), strict=True))
    # A result link records the open for the search insights, then leads to the page.
    for title, row in (("Conflict resolution basics", "track"), ("Conflict roundtable", "session")):
        opened = client.get(links[title])
        assert opened.status_code == 302
        assert opened["Location"] == catalogue[row].get_absolute_url()


def test_drafts_past_and_cancelled_sessions_are_found_by_nobody(client, editor, catalogue):
    # The KB editor may open every track and session, and still finds none of these.
    response = _search(client, editor, q="conflict")
    assert not set(result_titles(response)) & NEVER
    suggested = suggestion_titles(client.get("/search/suggest/", {"q": "confl"}))
    assert not set(suggested) & NEVER
    for words in ("draft", "retro", "cancelled"):
        assert result_titles(_search(client, editor, q=words)) == [], words


def test_each_has_a_type_filter_value_with_its_label(client, agent, catalogue):
    response = _search(client, agent, q="conflict")
    assert facet_counts(response)["Type"] == {"Article": 1, "Training track": 2, "Session": 2}
    option = next(o for o in facets(response)["Type"] if o.label == "Training track")

    tracks = client.get("/search/" + option.url)
    assert set(result_titles(tracks)) == {
        "Conflict resolution basics",
        "Conflict in billing disputes",
    }
    assert input_errors(tracks) == []
    assert [o.label for o in facets(tracks)["Type"] if o.active] == ["Training track"]
    sessions = _search(client, agent, q="conflict", type="session")
    assert set(result_titles(sessions)) == {"Conflict roundtable", "Conflict clinic for billing"}
    # A type filter alone lists everything of that type.
    assert set(result_titles(_search(client, agent, type="track"))) == {
        "Conflict resolution basics", "Conflict in billing disputes"
    }  # fmt: skip
    assert result_titles(_search(client, agent, q="conflict", type="faq")) == []


def test_skills_are_tag_filter_values_labelled_with_their_names(client, agent, catalogue):
    response = _search(client, agent, q="conflict")
    assert facet_counts(response)["Tag"] == {
        "Conflict resolution": 2,
        "Empathy": 1,
        "Escalations": 1,
    }
    assert set(result_titles(_search(client, agent, q="conflict", tag="empathy"))) == {
        "Conflict resolution basics"
    }


@pytest.mark.parametrize("who", ["outsider", "stranger"])
def test_team_only_tracks_and_sessions_are_never_shown_to_an_outsider(
    client, request, catalogue, team, who
):
    reader = (
        request.getfixturevalue("outsider")
        if who == "outsider"
        else UserFactory(team=None)  # on no team at all
    )
    response = _search(client, reader, q="conflict")

    assert set(result_titles(response)) == PUBLIC
    assert heading(response) == "3 results for “conflict”"
    counts = facet_counts(response)
    assert counts["Type"] == {"Article": 1, "Training track": 1, "Session": 1}
    assert "Escalations" not in counts.get("Tag", {})
    assert counts.get("Team", {}) == {}
    # Nor through a filter that names them, nor in autocomplete.
    assert result_titles(_search(client, reader, team=team.pk)) == []
    assert result_titles(_search(client, reader, tag="escalations")) == []
    assert set(result_titles(_search(client, reader, type="track"))) == {
        "Conflict resolution basics"
    }
    for prefix in ("confl", "conflict bill", "conflict cli", "billing"):
        suggested = suggestion_titles(client.get("/search/suggest/", {"q": prefix}))
        assert not set(suggested) & TEAM_ONLY, prefix


def test_the_team_sees_its_tracks_and_sessions_under_its_team_filter(
    client, agent, catalogue, team
):
    response = _search(client, agent, q="conflict", team=team.pk)
    assert set(result_titles(response)) == TEAM_ONLY
    assert facet_counts(response)["Team"] == {"Billing Support": 2}


def test_autocomplete_offers_tracks_and_sessions_with_their_type(client, agent, catalogue):
    client.force_login(agent)
    options = {}
    for prefix in ("conflict res", "conflict round"):
        response = client.get("/search/suggest/", {"q": prefix})
        assert len(suggestion_titles(response)) == 1, prefix
        options |= {
            o.own_text(): (o.find("span").text(), o.attrs["data-href"])
            for o in parse(response).find_all("li", role="option")
            if o.attrs.get("id") != "suggestion-all"
        }
    assert options["Conflict resolution basics"] == (
        "Training track",
        catalogue["track"].get_absolute_url(),
    )
    assert options["Conflict roundtable"] == ("Session", catalogue["session"].get_absolute_url())
    # Articles keep their own type's label.
    article = client.get("/search/suggest/", {"q": "conflict phone"})
    assert parse(article).find("li", role="option").find("span").text() == "Article"


def test_a_track_result_shows_its_skills_time_steps_and_owner(client, agent, editor, catalogue):
    meta = _result(_search(client, agent, q="conflict resolution"), "Conflict resolution basics")
    text = meta.find("div", class_="result-meta").text()
    assert "Training track" in text
    assert "about 45 min" in text
    assert "0 steps" in text
    assert f"by {editor.name}" in text
    assert "Skills: Conflict resolution, Empathy" in text
    assert meta.find("p", class_="snippet").text() == (
        "Calm an angry caller and agree on the next step."
    )


def test_a_session_result_shows_its_time_in_the_readers_zone_presenter_and_seats(
    client, agent, mentor, catalogue
):
    agent.timezone = "Europe/Berlin"
    agent.save(update_fields=["timezone"])
    session = catalogue["session"]
    for person in UserFactory.create_batch(3):
        SessionSignup.objects.create(session=session, user=person, status="confirmed")

    item = _result(_search(client, agent, q="roundtable"), "Conflict roundtable")
    text = item.find("div", class_="result-meta").text()
    assert "Roundtable discussion" in text
    assert "Fri 14 Mar 2031, 10:00\N{EN DASH}11:00 CET" in text
    assert item.find("time").attrs["datetime"].startswith("2031-03-14T10:00:00+01:00")
    assert "Room 2" in text
    assert mentor.name in text
    assert "3 of 10 seats taken" in text
    assert item.find("p", class_="snippet").text() == "Share the hardest call of your week."


def test_a_full_session_says_so(client, agent, catalogue):
    session = catalogue["session"]
    Session.objects.filter(pk=session.pk).update(capacity=1)
    SessionSignup.objects.create(session=session, user=agent, status="confirmed")
    item = _result(_search(client, agent, q="roundtable"), "Conflict roundtable")
    assert "Full: waitlist open" in item.find("div", class_="result-meta").text()


def test_a_session_that_ended_is_not_shown_even_before_reconcile_removes_it(
    client, agent, catalogue
):
    ended = timezone.now() - timedelta(minutes=5)
    Session.objects.filter(pk=catalogue["session"].pk).update(
        starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    assert "Conflict roundtable" not in result_titles(_search(client, agent, q="conflict"))

    pipeline.reconcile()
    response = _search(client, agent, q="conflict")
    assert heading(response) == "4 results for “conflict”"
    assert facet_counts(response)["Type"]["Session"] == 1


def test_most_helpful_keeps_rated_articles_above_unrated_tracks_and_sessions(
    client, agent, mentor, catalogue
):
    """Tracks and sessions have no votes: they rank as articles without any, not first."""
    liked = make_article(
        author=mentor, title="Conflict scripts that work", approved_by=catalogue["track"].owner
    )
    feedback_give(article=liked, user=agent, helpful=True)
    disliked = catalogue["article"]
    for voter in UserFactory.create_batch(2):
        feedback_give(article=disliked, user=voter, helpful=False, reason="unclear")
    pipeline.rebuild()

    titles = result_titles(_search(client, agent, q="conflict", sort="helpful"))
    assert titles[0] == "Conflict scripts that work"
    assert titles[-1] == "Conflict on the phone"
    newest = result_titles(_search(client, agent, q="conflict", sort="newest"))
    assert len(newest) == 6


# Measured at both sizes (the most a page can take, when it shows both models): session,
# user, roles, synonyms (4), tracks with step counts and owners and their skills (2),
# sessions with seat counts and organisers, their presenters and skills (3), the log (1),
# the tag filter's labels: kb tags, then skill names (2). Autocomplete: session, user, roles,
# then the same five reads of tracks and sessions.
SEARCH_LIMIT = 12
SUGGEST_LIMIT = 8


@pytest.fixture
def many(db, search_index, editor, team):
    def make(n: int) -> None:
        presenters = UserFactory.create_batch(2, team=team)
        for i in range(n):
            track = make_track(owner=editor, title=f"Conflict track {i}", task=True)
            track.skills.add(f"skill-{i}", "conflict")
            session = make_session(
                organiser=editor, title=f"Conflict session {i}", presenters=presenters
            )
            session.skills.add(f"skill-{i}")
            SessionSignup.objects.create(session=session, user=editor, status="confirmed")
        pipeline.rebuild()

    return make


@pytest.mark.parametrize("size", [2, 12])
def test_search_page_query_count_does_not_grow_with_tracks_and_sessions(
    client, agent, many, size, django_assert_max_num_queries
):
    many(size)
    client.force_login(agent)
    with django_assert_max_num_queries(SEARCH_LIMIT):
        response = client.get("/search/", {"q": "conflict"})
    assert len(result_titles(response)) == min(2 * size, 10)
    with django_assert_max_num_queries(SEARCH_LIMIT):
        client.get("/search/", {"q": "conflict", "page": 2, "sort": "newest", "tag": "conflict"})
    with django_assert_max_num_queries(SUGGEST_LIMIT):
        response = client.get("/search/suggest/", {"q": "conflict"})
    assert len(suggestion_titles(response)) == min(2 * size, 8)


def test_the_snippet_marks_the_words_found_in_a_tracks_description(client, agent, catalogue):
    item = _result(_search(client, agent, q="angry caller"), "Conflict resolution basics")
    marked = [mark.text() for mark in item.find("p", class_="snippet").find_all("mark")]
    assert marked == ["angry", "caller"]


def test_the_search_api_lists_articles_only_and_counts_what_it_lists(client, agent, catalogue):
    client.force_login(agent)
    body = client.get("/api/search/", {"q": "conflict"}).json()
    assert [r["title"] for r in body["results"]] == ["Conflict on the phone"]
    assert body["count"] == 1
    assert "track" not in dict(body["facets"].get("type", []))


def test_more_like_this_can_be_held_to_one_model(agent, editor, catalogue):
    """Related articles ask for articles only, so closer tracks never take their places."""
    from searchkit import query

    tracks = [
        make_track(owner=editor, title=f"Conflict on the phone, part {n}",
                   description="Open the order and choose refund.")
        for n in range(4)
    ]  # fmt: skip
    pipeline.rebuild()
    anything = query.more_like_this(user=agent, obj=tracks[0], limit=3)
    assert {hit.label for hit in anything} == {"training.track"}
    articles = query.more_like_this(user=agent, obj=tracks[0], limit=3, models=["kb.article"])
    assert articles
    assert {hit.label for hit in articles} == {"kb.article"}
