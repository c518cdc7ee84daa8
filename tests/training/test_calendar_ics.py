"""A session's .ics file: one event that calendar apps read, with the right times and place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.training.builders import make_session
from training.models import Session
from training.services import sessions as services

START = datetime(2031, 3, 4, 13, 30, tzinfo=UTC)


def _event(response):
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.fixture
def session(editor):
    return make_session(
        organiser=editor,
        title="Refund war stories",
        starts_at=START,
        ends_at=START + timedelta(minutes=90),
        location="Room 2, first floor",
        video_url="https://meet.example.com/refunds",
        agenda="1. Stories\n2. What we learned",
    )


def test_the_ics_parses_with_the_right_start_end_and_place(agent_client, session, settings):
    response = agent_client.get(f"/training/sessions/{session.slug}/session.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="refund-war-stories.ics"'
    event = _event(response)
    assert event.decoded("dtstart") == START
    assert event.decoded("dtend") == START + timedelta(minutes=90)
    assert event["dtstart"].to_ical() == b"20310304T133000Z"
    assert str(event["summary"]) == "Refund war stories"
    assert str(event["location"]) == "Room 2, first floor"
    page = f"{settings.SITE_URL}/training/sessions/refund-war-stories/"
    assert str(event["url"]) == page
    description = str(event["description"])
    assert "1. Stories\n2. What we learned" in description
    assert page in description
    assert "https://meet.example.com/refunds" in description
    assert str(event["status"]) == "CONFIRMED"


def test_an_online_session_has_its_video_link_as_location(agent_client, editor):
    session = make_session(organiser=editor, location="", video_url="https://meet.example.com/x")
    event = _event(agent_client.get(f"/training/sessions/{session.slug}/session.ics"))
    assert str(event["location"]) == "https://meet.example.com/x"


def test_the_uid_stays_and_the_sequence_grows_when_it_changes(agent_client, session, editor):
    day_ago = session.created_at - timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(created_at=day_ago, updated_at=day_ago)
    before = _event(agent_client.get(f"/training/sessions/{session.slug}/session.ics"))
    later = START + timedelta(days=1)
    services.session_update(
        session=session,
        user=editor,
        data={"starts_at": later, "ends_at": later + timedelta(hours=1)},
    )
    after = _event(agent_client.get(f"/training/sessions/{session.slug}/session.ics"))
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == later


def test_a_cancelled_session_says_so(agent_client, session, editor):
    services.session_cancel(session=session, user=editor)
    event = _event(agent_client.get(f"/training/sessions/{session.slug}/session.ics"))
    assert str(event["status"]) == "CANCELLED"


def test_text_that_looks_like_icalendar_stays_text(agent_client, editor):
    session = make_session(
        organiser=editor,
        title="Refunds; the rest, too",
        agenda="END:VEVENT\nBEGIN:VEVENT\nSUMMARY:Injected",
    )
    calendar = Calendar.from_ical(
        agent_client.get(f"/training/sessions/{session.slug}/session.ics").content
    )
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Refunds; the rest, too"
    assert "SUMMARY:Injected" in str(events[0]["description"])


def test_outsider_gets_404_for_a_team_sessions_ics(client, outsider, editor, team):
    session = make_session(organiser=editor, visibility="teams")
    session.teams.set([team])
    client.force_login(outsider)
    assert client.get(f"/training/sessions/{session.slug}/session.ics").status_code == 404
