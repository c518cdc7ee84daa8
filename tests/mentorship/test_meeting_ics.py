"""A mentoring meeting's .ics file: one event for the pair, in UTC, with a UID that survives
edits, and never the shared notes. Only the mentor and the mentee download it."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from mentorship.models import Meeting
from mentorship.services import pairings as pairing_services
from mentorship.services import plans as services
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(mentor, agent):
    return make_pairing(
        program=make_program(name="Onboarding mentoring"), mentor=mentor, mentee=agent
    )


@pytest.fixture
def meeting(pairing, agent):
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    return services.meeting_add(
        pairing=pairing,
        user=agent,
        data={
            "starts_at": start,
            "duration_minutes": 50,
            "agenda": "1. Refund escalations\n2. Tone",
            "notes": "Private: thinking of changing teams.",
        },
    )


def _url(meeting: Meeting) -> str:
    return f"/mentorship/pairings/{meeting.pairing_id}/meetings/{meeting.pk}/meeting.ics"


def _event(response):
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    return event


def test_the_ics_has_the_meeting_in_utc_for_the_pair(client, agent, mentor, meeting, settings):
    client.force_login(mentor)
    response = client.get(_url(meeting))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == (
        f'attachment; filename="mentoring-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.ics"'
    )
    event = _event(response)
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") == meeting.starts_at + timedelta(minutes=50)
    assert event["dtstart"].to_ical().endswith(b"Z")
    assert str(event["summary"]) == f"Mentoring: {mentor.name} and {agent.name}"
    assert "1. Refund escalations\n2. Tone" in str(event["description"])
    page = f"{settings.SITE_URL}/mentorship/pairings/{meeting.pairing_id}/#meeting-{meeting.pk}"
    assert str(event["url"]) == page
    # Whoever planned it organises it; both of them attend.
    assert str(event["organizer"]) == f"mailto:{agent.email}"
    attendees = event["attendee"]
    assert sorted(str(a) for a in attendees) == sorted(
        [f"mailto:{agent.email}", f"mailto:{mentor.email}"]
    )
    assert {str(a.params["cn"]) for a in attendees} == {agent.name, mentor.name}


def test_the_shared_notes_never_leave_in_the_file(client, agent, meeting):
    client.force_login(agent)
    response = client.get(_url(meeting))
    assert b"Private" not in response.content
    assert b"changing teams" not in response.content


def test_the_uid_stays_and_the_sequence_grows_when_it_moves(client, agent, meeting):
    client.force_login(agent)
    day_ago = meeting.created_at - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(created_at=day_ago, updated_at=day_ago)
    before = _event(client.get(_url(meeting)))
    later = meeting.starts_at + timedelta(days=1)
    services.meeting_update(meeting=meeting, user=agent, data={"starts_at": later})
    after = _event(client.get(_url(meeting)))
    assert str(after["uid"]) == str(before["uid"])
    assert str(after["uid"]).startswith(f"mentorship-meeting-{meeting.pk}@")
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == later


def test_a_meeting_created_in_another_zone_goes_out_in_utc(client, agent, pairing):
    agent.timezone = "Asia/Tokyo"
    agent.save(update_fields=["timezone"])
    client.force_login(agent)
    start = (timezone.now() + timedelta(days=5)).astimezone(UTC).replace(second=0, microsecond=0)
    meeting = services.meeting_add(pairing=pairing, user=agent, data={"starts_at": start})
    event = _event(client.get(_url(meeting)))
    assert event.decoded("dtstart") == start
    assert event.decoded("dtstart").utcoffset() == timedelta(0)


def test_a_manager_who_sees_the_pairing_gets_403(client, manager, meeting):
    client.force_login(manager)
    assert client.get(_url(meeting)).status_code == 403


def test_an_outsider_gets_404(client, outsider, meeting):
    client.force_login(outsider)
    assert client.get(_url(meeting)).status_code == 404


def test_a_meeting_of_another_pairing_is_404(client, agent, meeting, team):
    other_mentee = UserFactory(username="other", team=team)
    other = make_pairing(
        program=make_program(name="Second programme"), mentor=agent, mentee=other_mentee
    )
    client.force_login(agent)
    url = f"/mentorship/pairings/{other.pk}/meetings/{meeting.pk}/meeting.ics"
    assert client.get(url).status_code == 404


def test_a_completed_pairings_meeting_still_downloads(client, agent, mentor, meeting, pairing):
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    client.force_login(agent)
    assert _event(client.get(_url(meeting)))["uid"]


def test_posting_is_not_allowed(client, agent, meeting):
    client.force_login(agent)
    assert client.post(_url(meeting)).status_code == 405
