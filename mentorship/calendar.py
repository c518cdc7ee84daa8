"""A mentoring meeting as an iCalendar file, built with `icalendar` (which escapes, folds and
formats every property), like training's session files. Times go out in UTC, so a calendar
app shows them in its own time zone.

The file carries the agenda but never the shared notes: a calendar event gets synced and
forwarded well beyond the pair."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from mentorship.models import Meeting, Pairing

PRODID = "-//Huddle//Mentoring meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life (edits and moves keep it), so a calendar app
    updates its copy instead of adding a second one."""
    host = urlsplit(settings.SITE_URL).hostname or "huddle"
    return f"mentorship-meeting-{meeting.pk}@{host}"


def meeting_page_url(meeting: Meeting, pairing: Pairing) -> str:
    return f"{settings.SITE_URL}{pairing.get_absolute_url()}#meeting-{meeting.pk}"


def _sequence(meeting: Meeting) -> int:
    # Seconds between creation and the last change: grows with every edit and stays small
    # enough for the 32-bit integers some calendar apps use.
    return max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))


def _address(person, *, role: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def meeting_event(meeting: Meeting, *, pairing: Pairing) -> Event:
    """One VEVENT for `meeting` of `pairing`: organised by whichever of the pair planned it
    (the mentor when unknown), both of them attending. Reads `pairing.mentor`, `.mentee`."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    # Without a METHOD, DTSTAMP is when the event was last revised in the store.
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("sequence", _sequence(meeting))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"Mentoring: {pairing.mentor.name} and {pairing.mentee.name}")
    url = meeting_page_url(meeting, pairing)
    parts = [meeting.agenda.strip()] if meeting.agenda.strip() else []
    parts.append(f"The plan: {url}")
    event.add("description", "\n\n".join(parts))
    event.add("url", url)
    event.add("categories", [str(pairing.program)])
    event.add("status", "CONFIRMED")
    pair = (pairing.mentor, pairing.mentee)
    organiser = next((p for p in pair if p.pk == meeting.created_by_id), pairing.mentor)
    if organiser.email:
        event.add("organizer", _address(organiser))
    for person in pair:
        if person.email:
            event.add("attendee", _address(person, role="REQ-PARTICIPANT"))
    return event


def meeting_ics(meeting: Meeting, *, pairing: Pairing) -> bytes:
    """The .ics file of one meeting."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(meeting_event(meeting, pairing=pairing))
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    # Digits and hyphens only: safe in a header as it is.
    return f"mentoring-{meeting.starts_at:%Y-%m-%d}-{meeting.pk}.ics"
