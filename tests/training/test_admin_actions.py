"""Admin actions change state through the services: publishing checks the track, cancelling
tells everyone signed up, and a refusal is a message beside the row, never a 500. Admin edits
and deletes keep the search index current, as the services do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from searchkit import query
from searchkit.pipeline import sync
from tests.factories import UserFactory, make_article
from tests.training.builders import make_session, make_track
from training.models import CalendarFeed, Session, SessionSignup, Track


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def act(client, model, action: str, objs) -> list[str]:
    """Run an admin action on `objs` from the list page; the messages it left."""
    response = client.post(
        reverse(f"admin:training_{model._meta.model_name}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objs]},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def found(user, label: str) -> set[int]:
    return {h.pk for h in query.search(user=user, text=None, per_page=100).hits if h.label == label}


# --- Tracks ---------------------------------------------------------------------------------


def test_publish_publishes_ready_tracks_and_reports_the_others(
    superuser_client, editor, agent, search_index, django_capture_on_commit_callbacks
):
    article = make_article(author=editor, approved_by=editor)
    ready = make_track(owner=editor, title="Ready", published=False, articles=[article])
    empty = make_track(owner=editor, title="Empty", published=False)

    with django_capture_on_commit_callbacks(execute=True):
        notes = act(superuser_client, Track, "publish", [ready, empty])

    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.status == "published"
    assert ready.published_at is not None
    assert empty.status == "draft"
    assert "1 track(s) published." in notes
    assert any(note.startswith("Empty: ") for note in notes)
    # The service queued the index update: the published track is found at once.
    assert found(agent, "training.track") == {ready.pk}


def test_publishing_a_published_track_is_refused_with_a_message(superuser_client, editor):
    track = make_track(owner=editor, title="Live")
    notes = act(superuser_client, Track, "publish", [track])
    assert notes == ["Live: This track is already published."]


def test_unpublish_takes_a_track_out_of_the_catalogue_and_search(
    superuser_client, editor, agent, search_index, django_capture_on_commit_callbacks
):
    track = make_track(owner=editor, title="Live")
    sync("training.track", track.pk)
    assert found(agent, "training.track") == {track.pk}

    with django_capture_on_commit_callbacks(execute=True):
        notes = act(superuser_client, Track, "unpublish", [track])

    track.refresh_from_db()
    assert track.status == "draft"
    assert notes == ["1 track(s) back to draft."]
    assert found(agent, "training.track") == set()


def test_an_admin_edit_of_a_track_reaches_the_search_index(
    superuser_client, editor, agent, search_index, django_capture_on_commit_callbacks
):
    track = make_track(owner=editor, title="Listening basics")
    data = {
        "title": "Listening for billing", "slug": track.slug, "description": "New words.",
        "visibility": "everyone", "estimated_minutes": "40", "owner": editor.pk,
        "skills": "Active listening", "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:training_track_change", args=[track.pk]), data
        )
    assert response.status_code == 302
    assert Track.objects.get(pk=track.pk).title == "Listening for billing"
    page = query.search(user=agent, text=None, per_page=10)
    assert [h.fields["title"] for h in page.hits if h.label == "training.track"] == [
        "Listening for billing"
    ]

    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            reverse("admin:training_track_delete", args=[track.pk]), {"post": "yes"}
        )
    assert not Track.objects.filter(pk=track.pk).exists()
    assert found(agent, "training.track") == set()


# --- Sessions -------------------------------------------------------------------------------


def test_cancel_calls_off_upcoming_sessions_and_tells_who_signed_up(
    superuser_client, editor, agent, search_index, django_capture_on_commit_callbacks
):
    upcoming = make_session(organiser=editor, title="Tone workshop")
    SessionSignup.objects.create(session=upcoming, user=agent, status="confirmed")
    started = make_session(
        organiser=editor, title="Running now", starts_at=timezone.now() - timedelta(minutes=10)
    )
    sync("training.session", upcoming.pk)
    assert found(agent, "training.session") == {upcoming.pk}

    with django_capture_on_commit_callbacks(execute=True):
        notes = act(superuser_client, Session, "cancel", [upcoming, started])

    assert Session.objects.get(pk=upcoming.pk).status == "cancelled"
    assert Session.objects.get(pk=started.pk).status == "scheduled"
    assert "1 session(s) cancelled." in notes
    assert any(note.startswith("Running now: ") for note in notes)
    assert (
        Notification.objects.filter(recipient=agent, kind="training.session_cancelled").count() == 1
    )
    assert found(agent, "training.session") == set()


def test_an_admin_delete_of_sessions_removes_them_from_search(
    superuser_client, editor, agent, search_index, django_capture_on_commit_callbacks
):
    sessions = [make_session(organiser=editor, title=f"Lab {i}") for i in range(2)]
    for session in sessions:
        sync("training.session", session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        act_response = superuser_client.post(
            reverse("admin:training_session_changelist"),
            {"action": "delete_selected", "_selected_action": [s.pk for s in sessions],
             "post": "yes"},
        )  # fmt: skip
    assert act_response.status_code == 302
    assert not Session.objects.exists()
    assert found(agent, "training.session") == set()


# --- Calendar feeds -------------------------------------------------------------------------


def test_rotate_gives_a_feed_a_new_secret_address(superuser_client, agent):
    feed = CalendarFeed.objects.create(user=agent)
    old = feed.token
    notes = act(superuser_client, CalendarFeed, "rotate", [feed])
    feed.refresh_from_db()
    assert feed.token != old
    assert old not in " ".join(notes)
    assert notes == ["1 calendar feed(s) given a new address; the old ones stopped working."]
