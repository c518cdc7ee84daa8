"""The catalogue `/training/`: published tracks the viewer may take, with their own status on
each, filtered by skill and title; drafts apart; never a track (or a count) outside the
viewer's audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory, make_article
from tests.search.pages import parse
from tests.training.builders import enrol, make_session, make_track
from training.models import StepCompletion

URL = "/training/"


def _titles(response) -> list[str]:
    return [h.text() for h in parse(response).find_all("h3") if h.parent.matches("li")]


def _drafts(response) -> list[str]:
    section = parse(response).find("section", class_="drafts")
    return [s.text() for s in section.find_all("strong")] if section else []


@pytest.fixture
def billing_only(editor, team):
    track = make_track(owner=editor, title="Billing disputes", visibility="teams", task=True)
    track.teams.set([team])
    track.skills.set(["conflict resolution", "billing"])
    return track


@pytest.fixture
def for_everyone(editor):
    track = make_track(owner=editor, title="Active listening", task=True)
    track.skills.set(["conflict resolution"])
    return track


def test_the_team_sees_its_tracks_and_the_open_ones(agent_client, billing_only, for_everyone):
    response = agent_client.get(URL)
    assert response.status_code == 200
    assert _titles(response) == ["Active listening", "Billing disputes"]


def test_an_outsider_never_sees_a_team_restricted_track_nor_its_counts(
    client, outsider, billing_only, for_everyone
):
    client.force_login(outsider)
    response = client.get(URL)
    body = response.content.decode()
    assert _titles(response) == ["Active listening"]
    assert "Billing disputes" not in body
    assert "1 track" in body
    skills = parse(response).find("aside").text()
    assert "conflict resolution (1)" in skills
    assert "billing" not in skills
    # Not through a filter either.
    response = client.get(URL, {"skill": "billing"})
    assert _titles(response) == []
    assert "0 tracks match" in response.content.decode()


def test_the_skill_counts_count_what_the_viewer_may_take(agent_client, billing_only, for_everyone):
    skills = parse(agent_client.get(URL)).find("aside").text()
    assert "conflict resolution (2)" in skills
    assert "billing (1)" in skills


def test_filtering_by_skill(agent_client, billing_only, for_everyone):
    response = agent_client.get(URL, {"skill": "billing"})
    assert _titles(response) == ["Billing disputes"]
    current = parse(response).find("aside").find(aria_current="page")
    assert current.text() == "billing"


def test_filtering_by_title(agent_client, billing_only, for_everyone):
    assert _titles(agent_client.get(URL, {"q": "listen"})) == ["Active listening"]
    assert _titles(agent_client.get(URL, {"q": "dispute", "skill": "billing"})) == [
        "Billing disputes"
    ]


def test_a_filter_that_matches_nothing_says_so_and_offers_a_way_back(agent_client, for_everyone):
    response = agent_client.get(URL, {"q": "quantum"})
    empty = parse(response).find("div", class_="empty")
    assert "No track has “quantum” in its title." in empty.text()
    assert empty.find("a", href=URL) is not None


def test_a_skill_no_visible_track_builds_says_so(client, outsider, billing_only):
    client.force_login(outsider)
    response = client.get(URL, {"skill": "billing", "q": "disp"})
    empty = parse(response).find("div", class_="empty").text()
    assert "No track has “disp” in its title and builds that skill." in empty
    # The filter stays while the title changes.
    hidden = parse(response).find("form", class_="filters").find("input", name="skill")
    assert hidden.attrs["value"] == "billing"


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 10_000}, {"skill": "not a slug!"}, {"page": "99999999999999999999"}, {"q": ""}],
)
def test_bad_filters_are_ignored_not_an_error(agent_client, for_everyone, params):
    response = agent_client.get(URL, params)
    assert response.status_code == 200
    assert _titles(response) == ["Active listening"]


def test_a_long_filter_is_an_error_beside_the_field(agent_client, for_everyone):
    response = agent_client.get(URL, {"q": "x" * 300})
    assert "at most 200 characters" in parse(response).find(id="id_q_error").text()


def test_drafts_are_not_in_the_catalogue(agent_client, editor):
    make_track(owner=editor, title="Work in progress", published=False)
    response = agent_client.get(URL)
    assert _titles(response) == []
    assert _drafts(response) == []


def test_the_owner_sees_their_drafts_apart(client, manager, editor):
    make_track(owner=manager, title="My draft", published=False)
    make_track(owner=editor, title="Editor's draft", published=False)
    client.force_login(manager)
    response = client.get(URL)
    assert _titles(response) == []
    assert _drafts(response) == ["My draft"]


def test_a_kb_editor_sees_every_draft(client, manager, editor):
    make_track(owner=manager, title="My draft", published=False)
    make_track(owner=editor, title="Editor's draft", published=False)
    client.force_login(editor)
    assert _drafts(client.get(URL)) == ["Editor's draft", "My draft"]


def _statuses(response) -> list[str]:
    cards = parse(response).find_all("li", class_="track-card")
    return [" ".join(card.find("p", class_="track-status").text().split()) for card in cards]


def test_each_track_shows_the_viewers_status(agent_client, agent, editor, article):
    fresh = make_track(owner=editor, title="A fresh one", task=True)
    going = make_track(owner=editor, title="B going", articles=[article], task=True)
    done = make_track(owner=editor, title="C done", task=True)
    idle = make_track(owner=editor, title="D idle", task=True)
    left = make_track(owner=editor, title="E left", task=True)
    enrolment = enrol(agent, going)
    StepCompletion.objects.create(enrolment=enrolment, step=going.steps.get(kind="article"))
    enrol(agent, done, status="completed", completed_at=done.created_at, certificate_code="X-1")
    enrol(agent, idle)
    enrol(agent, left, status="withdrawn")
    response = agent_client.get(URL)
    assert _statuses(response) == [
        "Not enrolled", "In progress", "Completed", "Not started", "Not enrolled"
    ]  # fmt: skip
    cards = parse(response).find_all("li", class_="track-card")
    assert "1 of 2 steps done (50%)" in cards[1].text()
    assert cards[1].find("progress").attrs["value"] == "50"
    assert cards[2].find("progress") is None  # a completed track says so, without a bar
    assert "0 of 1 step done (0%)" in cards[3].text()  # enrolled, nothing done: not "0%" alone
    assert fresh.title in cards[0].text()


def test_progress_reads_as_in_my_training(agent_client, agent, editor, other_team):
    """Rounded down, over the steps that count for the viewer: a step they cannot open is
    skipped in the catalogue as in "my training" and on the track page."""
    readable = [
        make_article(author=editor, title=f"Part {n}", approved_by=editor) for n in range(7)
    ]
    hidden = make_article(
        author=editor, title="Tech only", visibility="teams", teams=[other_team], approved_by=editor
    )
    track = make_track(owner=editor, title="Seven parts", articles=[*readable, hidden])
    enrolment = enrol(agent, track)
    for step in track.steps.all()[:6]:
        StepCompletion.objects.create(enrolment=enrolment, step=step)
    card = parse(agent_client.get(URL)).find("li", class_="track-card").text()
    assert "6 of 7 steps done (85%)" in card  # 85.7 rounds down, as everywhere
    assert "7 steps · about" in card  # not 8: the hidden article is skipped for the viewer
    mine = agent_client.get("/training/mine/").content.decode()
    assert "6 of 7 steps done (85%)" in mine
    page = agent_client.get(track.get_absolute_url()).content.decode()
    assert "6 of 7 steps done (85%)" in page


def test_the_card_shows_the_due_date_badges_of_my_training(agent_client, agent, editor):
    today = timezone.localdate()
    late = make_track(owner=editor, title="A late", task=True)
    soon = make_track(owner=editor, title="B soon", task=True)
    enrol(agent, late, due_on=today - timedelta(days=1))
    enrol(agent, soon, due_on=today + timedelta(days=2))
    assert _statuses(agent_client.get(URL)) == [
        f"Not started Overdue Due {(today - timedelta(days=1)):%-d %b %Y}",
        f"Not started Due soon Due {(today + timedelta(days=2)):%-d %b %Y}",
    ]


def test_a_card_shows_what_the_track_is(agent_client, editor, article):
    track = make_track(
        owner=editor, title="Refunds", articles=[article], quiz=True, task=True,
        description="Everything about refunds. " * 20, estimated_minutes=90,
    )  # fmt: skip
    track.skills.set(["refunds"])
    card = parse(agent_client.get(URL)).find("li", class_="track-card")
    text = card.text()
    assert "3 steps · about 1 h 30 min · by" in text
    assert editor.name in text
    assert "…" in text  # the description is cut short
    assert card.find("a", href=track.get_absolute_url()) is not None
    assert card.find("a", class_="tag").text() == "refunds"


def test_new_track_is_offered_to_those_who_may_create(client, agent, manager, editor):
    for user, offered in ((agent, False), (manager, True), (editor, True)):
        client.force_login(user)
        new = parse(client.get(URL)).find("a", href="/training/tracks/new/")
        assert (new is not None) is offered


def test_the_catalogue_links_the_rest_of_training(client, agent, manager):
    client.force_login(agent)
    links = {
        a.attrs["href"]
        for a in parse(client.get(URL)).find("nav", class_="training-links").find_all("a")
    }
    assert links == {
        "/training/", "/training/mine/", "/training/sessions/", "/training/rotations/",
        "/training/external/",
    }  # fmt: skip
    nav = parse(client.get(URL)).find("nav", class_="training-links")
    assert nav.find("a", aria_current="page").attrs["href"] == "/training/"
    # "My training" is in the tabs once, not also as a button beside the heading.
    main = parse(client.get(URL)).find("main")
    assert len(main.find_all("a", href="/training/mine/")) == 1
    client.force_login(manager)
    page = parse(client.get(URL))
    assert page.find("a", href="/training/team/") is not None
    assert page.find("a", href="/training/reviews/") is not None


def test_an_empty_catalogue_helps(client, agent, manager):
    client.force_login(agent)
    empty = parse(client.get(URL)).find("div", class_="empty").text()
    assert "No tracks are published for you yet." in empty
    assert "join a knowledge-sharing session" in empty
    client.force_login(manager)
    empty = parse(client.get(URL)).find("div", class_="empty").text()
    assert "Build the first one" in empty


def test_the_edit_link_shows_for_tracks_the_viewer_may_edit(client, manager, editor):
    mine = make_track(owner=manager, title="Mine", task=True)
    make_track(owner=editor, title="Not mine", task=True)
    client.force_login(manager)
    edits = parse(client.get(URL)).find_all("a", href=f"/training/tracks/{mine.slug}/edit/")
    assert len(edits) == 1
    assert "/training/tracks/not-mine/edit/" not in client.get(URL).content.decode()


def test_the_catalogue_is_paginated(agent_client, editor):
    for n in range(25):
        make_track(owner=editor, title=f"Track {n:02}", task=True)
    assert len(_titles(agent_client.get(URL))) == 20
    assert _titles(agent_client.get(URL, {"page": "2"})) == [f"Track {n}" for n in range(20, 25)]


# Measured, the same at both sizes: the session, the user and their roles (3), the page's
# count and tracks (2), their skills and the viewer's enrolments (2), the steps that count
# for the viewer (the steps, the articles they may read, the sessions they may see: 3), the
# completions of their enrolments (1), the skills to filter by (1), the drafts (1).
CATALOGUE_QUERIES = 13


@pytest.mark.parametrize("size", [2, 10])
def test_the_catalogue_query_count_is_constant(
    client, editor, team, size, django_assert_max_num_queries
):
    viewer = UserFactory(team=team, roles=[Role.AGENT, Role.MANAGER])
    for n in range(size):
        owner = UserFactory(roles=[Role.MANAGER])
        article = make_article(author=owner, title=f"Article {n}", approved_by=editor)
        session = make_session(organiser=owner, title=f"Session {n}")
        track = make_track(
            owner=owner, title=f"Track {n}", articles=[article], task=True, quiz=True,
            sessions=[session],
        )  # fmt: skip
        track.skills.set([f"skill {n}", "common"])
        restricted = make_track(owner=owner, title=f"Team track {n}", task=True, visibility="teams")
        restricted.teams.set([team])
        enrol(viewer, track)
        done = enrol(viewer, restricted)
        StepCompletion.objects.create(enrolment=done, step=restricted.steps.get())
        make_track(owner=viewer, title=f"Draft {n}", published=False)
    client.force_login(viewer)
    with django_assert_max_num_queries(CATALOGUE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(_titles(response)) == 2 * size
    assert len(_drafts(response)) == size
