"""Session pages read the same number of queries at two data sizes, so an N+1 (a query per
session, presenter, skill, sign-up or track) shows up as a failure."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_article
from tests.training.builders import make_session, make_track
from training.services import sessions as services

SIZES = [2, 12]

# Measured, the same at both sizes on SQLite and PostgreSQL. Every page starts with the
# session, the user and their roles (3 queries), then reads:
# - list: the filters' presenters and skills (2), the count and the page (2), and the page's
#   presenters, skills, teams and the viewer's sign-ups (4);
# - page: the session with its seat counts (1), its presenters, teams and skills (3), the
#   viewer's sign-up (1), then their waitlist place (1) or, for the people running it, the
#   sign-ups (1), the tracks (1), the draft article (1);
# - attendance: the session and its three prefetches (4), the sign-ups (1);
# - feed (no session or login): the feed with its owner, their roles, their sessions (3).
LIMITS = {"list": 11, "page": 11, "attendance": 8, "feed": 3}


def _crowd(team, size: int, prefix: str) -> list:
    return [UserFactory(username=f"{prefix}{i}", team=team) for i in range(size)]


@pytest.mark.parametrize("size", SIZES)
def test_sessions_list_query_count_is_constant(
    client, agent, editor, team, other_team, size, django_assert_max_num_queries
):
    people = _crowd(team, size, "p")
    for i in range(size):
        session = make_session(
            organiser=editor, title=f"Session {i}", presenters=[editor, people[i]], capacity=3
        )
        session.skills.set([f"skill-{i}", "common"])
        for person in people[: i % 5]:
            services.session_signup(session=session, user=person)
        services.session_signup(session=session, user=agent)
        hidden = make_session(organiser=editor, title=f"Hidden {i}", visibility="teams")
        hidden.teams.set([other_team])
        restricted = make_session(organiser=editor, title=f"Billing {i}", visibility="teams")
        restricted.teams.set([team])
    client.force_login(agent)
    with django_assert_max_num_queries(LIMITS["list"]):
        response = client.get("/training/sessions/", {"skill": "common"})
    assert response.status_code == 200
    assert response.content.decode().count('class="session-row') == size
    with django_assert_max_num_queries(LIMITS["list"]):
        response = client.get("/training/sessions/")
    assert response.content.decode().count('class="session-row') == min(2 * size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_session_page_query_count_is_constant(
    client, agent, editor, team, article, size, django_assert_max_num_queries
):
    session = make_session(organiser=editor, capacity=size // 2, presenters=[editor, agent])
    session.skills.set([f"skill-{i}" for i in range(size)])
    for person in _crowd(team, size, "p"):
        services.session_signup(session=session, user=person)
    for i in range(size):
        make_track(owner=editor, title=f"Track {i}", articles=[article], sessions=[session])
    waiting = UserFactory(username="waiting", team=team)
    services.session_signup(session=session, user=waiting)
    session.notes_article = make_article(author=agent, title="Notes", approved_by=editor)
    session.save()
    for viewer in (editor, waiting):  # the full page (sign-ups listed) and a waitlisted reader
        client.force_login(viewer)
        with django_assert_max_num_queries(LIMITS["page"]):
            response = client.get(f"/training/sessions/{session.slug}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("Track ") >= size
        assert "The notes became an article" in html


@pytest.mark.parametrize("size", SIZES)
def test_attendance_page_query_count_is_constant(
    client, editor, team, size, django_assert_max_num_queries
):
    session = make_session(organiser=editor, days=-1)
    for person in _crowd(team, size, "p"):
        session.signups.create(user=person, status="confirmed")
    client.force_login(editor)
    with django_assert_max_num_queries(LIMITS["attendance"]):
        response = client.get(f"/training/sessions/{session.slug}/attendance/")
    assert response.status_code == 200
    assert response.content.decode().count('type="checkbox"') == size


@pytest.mark.parametrize("size", SIZES)
def test_calendar_feed_query_count_is_constant(client, agent, editor, size,
                                               django_assert_max_num_queries):  # fmt: skip
    for i in range(size):
        services.session_signup(
            session=make_session(organiser=editor, title=f"Session {i}"), user=agent
        )
    feed = services.calendar_feed_rotate(user=agent)
    with django_assert_max_num_queries(LIMITS["feed"]):
        response = client.get(feed.get_absolute_url())
    assert response.content.decode().count("BEGIN:VEVENT") == size
