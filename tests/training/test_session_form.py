"""Scheduling and editing a session: times read on the organiser's clock, sensible defaults,
and bad input answered beside its field with nothing saved."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Notification
from tests.factories import UserFactory
from tests.training.builders import make_session
from training.forms.sessions import SessionForm
from training.models import Session
from training.services import sessions as services

NEW = "/training/sessions/new/"


def _data(**changes) -> dict:
    data = {
        "title": "Refund war stories",
        "kind": "presentation",
        "starts_at": "2031-03-04T14:30",
        "ends_at": "2031-03-04T15:30",
        "location": "Room 2",
        "video_url": "",
        "agenda": "Stories, then questions.",
        "capacity": "20",
        "visibility": "everyone",
        "skills": "refunds, de-escalation",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def paris_agent(agent):
    agent.timezone = "Europe/Paris"
    agent.save()
    return agent


def test_anyone_schedules_a_session_and_presents_it(client, paris_agent):
    client.force_login(paris_agent)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _data())
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/sessions/{session.slug}/"
    assert session.organiser == paris_agent
    assert list(session.presenters.all()) == [paris_agent]
    # 14:30 in Paris (winter time, UTC+1) is 13:30 UTC.
    assert session.starts_at == datetime(2031, 3, 4, 13, 30, tzinfo=UTC)
    assert session.ends_at == datetime(2031, 3, 4, 14, 30, tzinfo=UTC)
    assert sorted(session.skills.names()) == ["de-escalation", "refunds"]


def test_chosen_presenters_are_told(client, agent, mentor):
    client.force_login(agent)
    client.post(NEW, _data(presenters=[mentor.pk]))
    session = Session.objects.get()
    assert list(session.presenters.all()) == [mentor]
    assert Notification.objects.filter(recipient=mentor, kind="training.session_presenter").exists()


def test_a_team_session(client, agent, team):
    client.force_login(agent)
    client.post(NEW, _data(visibility="teams", teams=[team.pk]))
    assert list(Session.objects.get().teams.all()) == [team]


BAD_INPUT = [
    ("ends_at", {"ends_at": "2031-03-04T14:00"}),
    ("ends_at", {"ends_at": "2031-03-04T14:30"}),
    ("ends_at", {"ends_at": "2031-03-20T14:30"}),
    ("ends_at", {"ends_at": "soon"}),
    ("starts_at", {"starts_at": "2001-03-04T14:30", "ends_at": "2001-03-04T15:30"}),
    ("starts_at", {"starts_at": "99999-01-01T00:00"}),
    ("starts_at", {"starts_at": None}),
    ("capacity", {"capacity": "0"}),
    ("capacity", {"capacity": "-1"}),
    ("capacity", {"capacity": "10001"}),
    ("capacity", {"capacity": "9" * 40}),
    ("capacity", {"capacity": "twenty"}),
    ("title", {"title": ""}),
    ("title", {"title": "x" * 201}),
    ("title", {"title": "Two\nlines"}),
    ("location", {"location": "", "video_url": ""}),
    ("video_url", {"video_url": "javascript:alert(1)"}),
    ("agenda", {"agenda": "x" * 5001}),
    ("teams", {"visibility": "teams"}),
    ("teams", {"visibility": "teams", "teams": ["9" * 30]}),
    ("presenters", {"presenters": ["not-a-number"]}),
    ("kind", {"kind": "party"}),
    ("skills", {"skills": ", ".join(f"skill{i}" for i in range(31))}),
]


@pytest.mark.parametrize(
    ("field", "changes"), BAD_INPUT, ids=[f"{field}-{i}" for i, (field, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_is_a_form_error_beside_the_field_and_saves_nothing(agent_client, field, changes):
    response = agent_client.post(NEW, _data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Session.objects.exists()


def test_what_was_typed_is_kept_after_an_error(agent_client):
    response = agent_client.post(NEW, _data(capacity="0", title="My careful title"))
    html = response.content.decode()
    assert 'value="My careful title"' in html
    assert 'value="2031-03-04T14:30"' in html
    assert "Ensure this value is greater than or equal to 1." in html


def test_nul_bytes_are_refused_and_save_nothing(agent_client):
    response = agent_client.post(NEW, _data(title="Refunds\x00"))
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize("field", ["title", "location", "agenda", "skills"])
def test_the_form_itself_refuses_nul_bytes(field):
    form = SessionForm(_data(**{field: "Refunds\x00"}))
    assert not form.is_valid()
    assert field in form.errors


def test_the_service_refuses_an_end_before_the_start(agent):
    start = datetime(2031, 3, 4, 13, 30, tzinfo=UTC)
    data = {"title": "Backwards", "starts_at": start, "ends_at": start, "location": "Room 1",
            "capacity": 5}  # fmt: skip
    with pytest.raises(ValidationError) as refusal:
        services.session_create(organiser=agent, data=data)
    assert "ends_at" in refusal.value.message_dict
    assert not Session.objects.exists()


def test_managers_of_the_session_edit_it_others_get_403(client, agent, editor, mentor):
    session = make_session(organiser=mentor, presenters=[mentor])
    url = f"/training/sessions/{session.slug}/edit/"
    client.force_login(agent)
    assert client.get(url).status_code == 403
    assert client.post(url, _data(title="Hijacked")).status_code == 403
    for person in (mentor, editor):
        client.force_login(person)
        assert client.get(url).status_code == 200
    response = client.post(url, _data(title="Renamed", presenters=[mentor.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Renamed"
    assert session.slug  # the address stays


def test_edit_form_shows_times_on_the_editors_clock(client, paris_agent):
    start = datetime(2031, 3, 4, 13, 30, tzinfo=UTC)
    session = make_session(organiser=paris_agent, starts_at=start)
    client.force_login(paris_agent)
    html = client.get(f"/training/sessions/{session.slug}/edit/").content.decode()
    assert 'value="2031-03-04T14:30"' in html
    assert "Europe/Paris" in html


def test_lowering_capacity_below_the_seats_taken_is_an_error_beside_capacity(client, editor, team):
    session = make_session(organiser=editor, capacity=3)
    for _ in range(3):
        services.session_signup(session=session, user=UserFactory(team=team))
    client.force_login(editor)
    response = client.post(
        f"/training/sessions/{session.slug}/edit/",
        _data(
            capacity="2",
            presenters=[editor.pk],
            starts_at=session.starts_at.strftime("%Y-%m-%dT%H:%M"),  # the editor's clock: UTC
            ends_at=session.ends_at.strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 400
    assert "3 people already have a seat" in str(response.context["form"].errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 3
    assert session.title == "Refund war stories"


def test_a_cancelled_session_cannot_be_edited(client, editor):
    session = make_session(organiser=editor)
    services.session_cancel(session=session, user=editor)
    client.force_login(editor)
    response = client.post(f"/training/sessions/{session.slug}/edit/", _data(title="Back on"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Refund war stories"


def test_editing_only_the_title_keeps_the_time_to_the_second_and_tells_nobody(
    client, editor, agent
):
    session = make_session(organiser=editor, days=-1)  # started yesterday, at hh:mm:ss.ffffff
    session.signups.create(user=agent, status="confirmed")
    client.force_login(editor)
    form = client.get(f"/training/sessions/{session.slug}/edit/").context["form"]
    sent = {name: form[name].value() for name in ("starts_at", "ends_at")}
    data = _data(
        title="Renamed afterwards",
        presenters=[editor.pk],
        **{name: value.strftime("%Y-%m-%dT%H:%M") for name, value in sent.items()},
    )
    response = client.post(f"/training/sessions/{session.slug}/edit/", data)
    assert response.status_code == 302
    before = (session.starts_at, session.ends_at)
    session.refresh_from_db()
    assert session.title == "Renamed afterwards"
    assert (session.starts_at, session.ends_at) == before
    assert not Notification.objects.filter(kind="training.session_changed").exists()
