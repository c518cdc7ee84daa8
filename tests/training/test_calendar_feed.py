"""The personal calendar feed: a secret link that works without signing in, lists the
sessions one signed up or waits for (and nothing one may no longer see), and stops working
when replaced or turned off."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.training.builders import make_session
from training.models import CalendarFeed
from training.services import sessions as services


def _summaries(response) -> dict[str, str]:
    """{summary: status} of the feed's events."""
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): str(e["status"]) for e in calendar.walk("VEVENT")}


@pytest.fixture
def feed(agent):
    return services.calendar_feed_rotate(user=agent)


def test_the_feed_works_without_signing_in(client, feed, agent, editor):
    session = make_session(organiser=editor, title="Refund war stories")
    services.session_signup(session=session, user=agent)
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert _summaries(response) == {"Refund war stories": "CONFIRMED"}
    assert "sessionid" not in response.cookies


def test_it_lists_my_sessions_waitlisted_and_cancelled_but_not_others(client, feed, agent, editor):
    mine = make_session(organiser=editor, title="Mine")
    full = make_session(organiser=editor, title="Full", capacity=1)
    called_off = make_session(organiser=editor, title="Called off")
    left = make_session(organiser=editor, title="Left")
    make_session(organiser=editor, title="Not mine")
    last_week = make_session(organiser=editor, title="Last week", days=-7)
    long_ago = make_session(organiser=editor, title="Long ago", days=-40)
    services.session_signup(session=full, user=editor)
    for session in (mine, full, called_off, left):
        services.session_signup(session=session, user=agent)
    for session in (last_week, long_ago):
        session.signups.create(user=agent, status="confirmed")
    services.session_leave(session=left, user=agent)
    services.session_cancel(session=called_off, user=editor)
    assert _summaries(client.get(feed.get_absolute_url())) == {
        "Mine": "CONFIRMED",
        "Full (waitlist)": "TENTATIVE",
        "Called off": "CANCELLED",
        "Last week": "CONFIRMED",
    }


def test_a_session_i_may_no_longer_see_leaves_the_feed(client, feed, agent, editor, other_team):
    session = make_session(organiser=editor, title="Billing only")
    services.session_signup(session=session, user=agent)
    session.visibility = "teams"
    session.save()
    session.teams.set([other_team])
    assert _summaries(client.get(feed.get_absolute_url())) == {}


def test_replacing_the_link_revokes_the_old_one(client, feed, agent):
    old_url = feed.get_absolute_url()
    new = services.calendar_feed_rotate(user=agent)
    assert new.token != feed.token
    assert client.get(old_url).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 65, "x" * 5000])
def test_unknown_tokens_are_404(client, feed, token):
    assert client.get(f"/training/sessions/calendar/{token}.ics").status_code == 404


def test_a_deactivated_persons_feed_is_404(client, feed, agent):
    agent.is_active = False
    agent.save()
    assert client.get(feed.get_absolute_url()).status_code == 404


def test_the_settings_page_creates_replaces_and_turns_off_the_feed(agent_client, agent, settings):
    page = agent_client.get("/training/sessions/calendar/")
    assert page.status_code == 200
    assert "Create feed" in page.content.decode()

    agent_client.post("/training/sessions/calendar/", {"action": "create"})
    first = CalendarFeed.objects.get(user=agent)
    page = agent_client.get("/training/sessions/calendar/").content.decode()
    assert f"{settings.SITE_URL}/training/sessions/calendar/{first.token}.ics" in page
    assert "Replace link" in page

    agent_client.post("/training/sessions/calendar/", {"action": "replace"})
    second = CalendarFeed.objects.get(user=agent)
    assert second.token != first.token
    assert agent_client.get(f"/training/sessions/calendar/{first.token}.ics").status_code == 404

    agent_client.post("/training/sessions/calendar/", {"action": "delete"})
    assert not CalendarFeed.objects.filter(user=agent).exists()
    assert agent_client.get(f"/training/sessions/calendar/{second.token}.ics").status_code == 404


def test_the_settings_page_refuses_an_unknown_action(agent_client, agent):
    response = agent_client.post("/training/sessions/calendar/", {"action": "explode"})
    assert response.status_code == 400
    assert not CalendarFeed.objects.filter(user=agent).exists()


def test_the_feed_refuses_writes(client, feed):
    assert client.post(feed.get_absolute_url()).status_code == 405
