"""The sessions list and a session's page, signing up and leaving from it: what each viewer
sees (times on their clock, seats, their place), and what stays hidden from outsiders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.builders import make_session, make_track
from training.models import Session, SessionSignup
from training.services import sessions as services

LIST = "/training/sessions/"


def _page(session: Session) -> str:
    return f"/training/sessions/{session.slug}/"


def _titles(response) -> list[str]:
    return [s.title for s in response.context["page"]]


@pytest.fixture
def restricted(editor, team):
    """A session only the Billing team (and its people running it) may see."""
    session = make_session(organiser=editor, title="Billing only", visibility="teams")
    session.teams.set([team])
    return session


def test_list_shows_upcoming_soonest_first_and_past_most_recent_first(agent_client, editor):
    for title, days in [("In a week", 7), ("Tomorrow", 1), ("Yesterday", -1), ("Last month", -30)]:
        make_session(organiser=editor, title=title, days=days)
    assert _titles(agent_client.get(LIST)) == ["Tomorrow", "In a week"]
    assert _titles(agent_client.get(LIST, {"when": "past"})) == ["Yesterday", "Last month"]


def test_list_filters_by_kind_presenter_skill_and_mine(agent_client, agent, editor, mentor):
    workshop = make_session(organiser=editor, title="Workshop", kind="workshop")
    by_mentor = make_session(organiser=mentor, title="By the mentor")
    tagged = make_session(organiser=editor, title="Tagged")
    tagged.skills.set(["de-escalation"])
    services.session_signup(session=by_mentor, user=agent)
    assert _titles(agent_client.get(LIST, {"kind": "workshop"})) == [workshop.title]
    assert _titles(agent_client.get(LIST, {"presenter": mentor.pk})) == [by_mentor.title]
    assert _titles(agent_client.get(LIST, {"skill": "de-escalation"})) == [tagged.title]
    assert _titles(agent_client.get(LIST, {"mine": "on"})) == [by_mentor.title]


@pytest.mark.parametrize(
    "params",
    [{"kind": "nonsense"}, {"presenter": "x"}, {"presenter": "9" * 30}, {"skill": "nope"},
     {"when": "later"}, {"page": "-1"}],
)  # fmt: skip
def test_bad_filters_are_ignored(agent_client, editor, params):
    make_session(organiser=editor)
    response = agent_client.get(LIST, params)
    assert response.status_code == 200
    assert len(_titles(response)) == 1


def test_list_shows_seats_full_waitlist_my_status_and_cancelled(agent_client, agent, editor):
    roomy = make_session(organiser=editor, title="Roomy", capacity=5)
    full = make_session(organiser=editor, title="Full", capacity=1)
    off = make_session(organiser=editor, title="Called off")
    services.session_signup(session=full, user=editor)
    services.session_signup(session=full, user=agent)
    services.session_signup(session=roomy, user=agent)
    services.session_cancel(session=off, user=editor)
    html = agent_client.get(LIST).content.decode()
    assert "4 seats left" in html
    assert "Full" in html
    assert "1 on the waitlist" in html
    assert "You are signed up" in html
    assert "You are on the waitlist" in html
    assert 'class="pill status-cancelled">Cancelled' in html


def test_outsider_does_not_see_a_team_session_in_the_list_or_its_count(
    client, outsider, restricted, editor
):
    make_session(organiser=editor, title="For everyone")
    client.force_login(outsider)
    response = client.get(LIST)
    assert _titles(response) == ["For everyone"]
    html = response.content.decode()
    assert "Billing only" not in html
    assert "1 session ·" in html


def test_outsider_gets_404_on_a_team_session(client, outsider, restricted):
    client.force_login(outsider)
    for url in ("", "signup/", "leave/", "edit/", "attendance/", "notes/", "session.ics"):
        method = client.post if url in ("signup/", "leave/") else client.get
        assert method(_page(restricted) + url).status_code == 404, url
    assert not restricted.signups.exists()


def test_team_member_sees_the_team_session(agent_client, restricted):
    assert agent_client.get(_page(restricted)).status_code == 200
    assert _titles(agent_client.get(LIST)) == ["Billing only"]


def test_page_shows_times_in_the_viewers_time_zone(client, agent, editor):
    start = datetime(2031, 3, 4, 13, 30, tzinfo=UTC)
    session = make_session(organiser=editor, starts_at=start, ends_at=start + timedelta(hours=1))
    agent.timezone = "Asia/Tokyo"
    agent.save()
    client.force_login(agent)
    html = client.get(_page(session)).content.decode()
    assert "Tuesday 4 March 2031, 22:30" in html
    assert "23:30" in html
    assert "Asia/Tokyo" in html


def test_page_shows_my_waitlist_position(agent_client, agent, editor, team):
    session = make_session(organiser=editor, capacity=1)
    services.session_signup(session=session, user=editor)
    services.session_signup(session=session, user=UserFactory(team=team))
    services.session_signup(session=session, user=agent)
    html = agent_client.get(_page(session)).content.decode()
    assert "You are number 2 on the waitlist" in html
    assert "Leave the waitlist" in html


def test_attendees_are_listed_only_for_the_people_running_it(client, agent, editor):
    session = make_session(organiser=editor)
    services.session_signup(session=session, user=agent)
    client.force_login(agent)
    assert "Who is coming" not in client.get(_page(session)).content.decode()
    client.force_login(editor)
    html = client.get(_page(session)).content.decode()
    assert "Who is coming" in html
    assert agent.name in html


def test_page_lists_the_tracks_including_it_that_the_viewer_may_open(
    agent_client, editor, other_team
):
    session = make_session(organiser=editor)
    make_track(owner=editor, title="Open track", sessions=[session])
    make_track(owner=editor, title="Draft track", published=False, sessions=[session])
    hidden = make_track(owner=editor, title="Other team track", sessions=[session],
                        visibility="teams")  # fmt: skip
    hidden.teams.set([other_team])
    html = agent_client.get(_page(session)).content.decode()
    assert "Open track" in html
    assert "Draft track" not in html
    assert "Other team track" not in html


def test_signing_up_and_leaving_from_the_page(agent_client, agent, editor):
    session = make_session(organiser=editor, capacity=1)
    response = agent_client.post(_page(session) + "signup/", follow=True)
    assert "You are signed up" in response.content.decode()
    assert session.signups.get(user=agent).status == SessionSignup.Status.CONFIRMED
    agent_client.post(_page(session) + "leave/")
    assert session.signups.get(user=agent).status == SessionSignup.Status.CANCELLED


@pytest.mark.parametrize("action", ["signup", "leave", "cancel", "notes/article"])
def test_actions_refuse_get(agent_client, editor, action):
    session = make_session(organiser=editor)
    assert agent_client.get(_page(session) + f"{action}/").status_code == 405


def test_signing_up_for_a_past_session_is_a_400_with_a_message(agent_client, editor):
    session = make_session(organiser=editor, days=-2)
    response = agent_client.post(_page(session) + "signup/")
    assert response.status_code == 400
    assert "already started" in response.content.decode()
    assert not session.signups.exists()


def test_signing_up_for_a_cancelled_session_is_a_400(agent_client, editor):
    session = make_session(organiser=editor)
    services.session_cancel(session=session, user=editor)
    response = agent_client.post(_page(session) + "signup/")
    assert response.status_code == 400
    assert "cancelled" in response.content.decode()


def test_agent_cannot_cancel_someone_elses_session(agent_client, editor):
    session = make_session(organiser=editor)
    assert agent_client.post(_page(session) + "cancel/").status_code == 403
    session.refresh_from_db()
    assert not session.is_cancelled


def test_presenter_cancels_with_a_reason(client, editor, agent):
    session = make_session(organiser=editor, presenters=[agent])
    client.force_login(agent)
    response = client.post(_page(session) + "cancel/", {"reason": "Room flooded."})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled


def test_the_page_of_a_started_session_closes_sign_ups(agent_client, editor):
    session = make_session(organiser=editor)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    html = agent_client.get(_page(session)).content.decode()
    assert "sign-ups are closed" in html
    assert "Sign up</button>" not in html


def test_the_people_running_it_are_not_offered_a_seat(client, editor, agent, mentor):
    session = make_session(organiser=editor, presenters=[agent], capacity=1)
    services.session_signup(session=session, user=mentor)  # full: others see the waitlist
    client.force_login(agent)
    html = client.get(_page(session)).content.decode()
    assert "You are presenting this session." in html
    assert "Join the waitlist" not in html
    assert "Sign up</button>" not in html
    client.force_login(editor)
    html = client.get(_page(session)).content.decode()
    assert "You are organising this session." in html
    assert "Join the waitlist" not in html


def test_a_presenter_who_organises_is_one_line_not_two(agent_client, editor, mentor):
    alone = make_session(organiser=editor, title="Alone")
    html = agent_client.get(_page(alone)).content.decode()
    assert "<dt>Organiser</dt>" not in html
    assert html.count(f">{editor.name}</a>") == 1
    assert '<span class="muted small">(organiser)</span>' in html

    apart = make_session(organiser=editor, presenters=[mentor], title="Apart")
    html = agent_client.get(_page(apart)).content.decode()
    assert "<dt>Organiser</dt>" in html
    assert "(organiser)" not in html


def test_a_past_session_shows_its_notes_and_recording_not_calendar_or_join_links(
    agent_client, agent, editor
):
    session = make_session(organiser=editor, days=-2, video_url="https://meet.example.com/x",
                           recording_url="https://video.example.com/r", notes="## Done\n\nYes.",
                           agenda="The plan.")  # fmt: skip
    session.signups.create(user=agent, status="confirmed", attended=True)
    html = agent_client.get(_page(session)).content.decode()
    assert "You attended." in html
    assert "You are signed up" not in html
    assert "Add to calendar (.ics)" not in html
    assert "Subscribe to all my sessions" not in html
    assert "https://meet.example.com/x" not in html
    assert "Join online" not in html
    assert '<a class="button" href="https://video.example.com/r"' in html
    assert 'href="#notes-h">Read the notes</a>' in html
    # The notes (their headings under the page's "Notes") come before the agenda.
    assert ">Done</h3>" in html
    assert html.index('id="notes-h"') < html.index('id="agenda-h"')


def test_an_upcoming_session_offers_the_calendar_and_join_links(agent_client, editor):
    session = make_session(organiser=editor, video_url="https://meet.example.com/x")
    html = agent_client.get(_page(session)).content.decode()
    assert "Add to calendar (.ics)" in html
    assert 'href="https://meet.example.com/x"' in html


def test_taking_part_comes_before_the_attendee_list(client, editor, agent):
    """On a phone the boxes stack in page order: signing up before the long lists."""
    session = make_session(organiser=editor, agenda="Stories.")
    services.session_signup(session=session, user=agent)
    client.force_login(editor)
    html = client.get(_page(session)).content.decode()
    assert html.index('id="signup"') < html.index('id="agenda-h"') < html.index("Who is coming")
