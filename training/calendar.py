"""Knowledge-sharing sessions as iCalendar: one session's .ics file and a person's feed.

Built with the `icalendar` library, which escapes, folds and formats every property; nothing
here writes iCalendar text by hand. Times go out in UTC, so a calendar app shows them in its
own time zone whatever the viewer's profile says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar, Event, vCalAddress, vDuration, vText

from training.models import Session

PRODID = "-//Huddle//Knowledge-sharing sessions//EN"
# How often a subscribed calendar app should fetch the feed again (apps that honour it).
FEED_REFRESH = timedelta(hours=1)


def session_page_url(session: Session) -> str:
    return f"{settings.SITE_URL}{session.get_absolute_url()}"


def session_uid(session: Session) -> str:
    """Stable for the session's whole life (edits, moves and cancelling keep it), so a
    calendar app updates its copy instead of adding a second one."""
    host = urlsplit(settings.SITE_URL).hostname or "huddle"
    return f"training-session-{session.pk}@{host}"


def _sequence(session: Session) -> int:
    # Seconds between creation and the last change: grows with every edit and stays small,
    # where epoch seconds would soon overflow the 32-bit integers some calendar apps use.
    return max(0, int((session.updated_at - session.created_at).total_seconds()))


def _description(session: Session, *, waitlisted: bool) -> str:
    parts = []
    if waitlisted:
        parts.append("You are on the waitlist: you will be told if a seat frees up.")
    if session.is_cancelled:
        parts.append("This session was cancelled.")
    if session.agenda:
        parts.append(session.agenda.strip())
    if session.video_url and session.location:
        parts.append(f"Join online: {session.video_url}")
    parts.append(f"Details and sign-up: {session_page_url(session)}")
    return "\n\n".join(parts)


def session_event(session: Session, *, waitlisted: bool = False) -> Event:
    """One VEVENT for `session`. Reads `organiser` (select it with the session)."""
    event = Event()
    event.add("uid", session_uid(session))
    # Without a METHOD, DTSTAMP is when the event was last revised in the store.
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("created", session.created_at.astimezone(UTC))
    event.add("sequence", _sequence(session))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", f"{session.title} (waitlist)" if waitlisted else session.title)
    place = session.location or session.video_url
    if place:
        event.add("location", place)
    event.add("description", _description(session, waitlisted=waitlisted))
    event.add("url", session_page_url(session))
    event.add("categories", [session.get_kind_display()])
    # A waitlisted place is tentative; a cancelled session tells calendar apps to drop it.
    status = "CANCELLED" if session.is_cancelled else "TENTATIVE" if waitlisted else "CONFIRMED"
    event.add("status", status)
    organiser = session.organiser
    if organiser.email:
        address = vCalAddress(f"mailto:{organiser.email}")
        address.params["cn"] = vText(organiser.name)
        event.add("organizer", address)
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def session_ics(session: Session) -> bytes:
    """The .ics file of one session."""
    calendar = _calendar(session.title)
    calendar.add_component(session_event(session))
    return calendar.to_ical()


def feed_ics(entries: Iterable[tuple[Session, bool]], *, name: str) -> bytes:
    """A subscribed calendar: `(session, waitlisted)` pairs, one VEVENT each."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for session, waitlisted in entries:
        calendar.add_component(session_event(session, waitlisted=waitlisted))
    return calendar.to_ical()


def ics_filename(session: Session) -> str:
    # The slug is ASCII letters, digits and hyphens: safe in a header as it is.
    return f"{session.slug}.ics"


def local(dt: datetime, user) -> datetime:
    """`dt` on the clock of `user`'s time zone."""
    return timezone.localtime(dt, user.zone)


def when_for(dt: datetime, user) -> str:
    """`dt` as `user` reads it in a message: "Tue 4 Mar 2025, 14:00 (Europe/Paris)"."""
    zone = user.zone
    return f"{date_format(timezone.localtime(dt, zone), 'D j M Y, H:i')} ({zone.key})"
