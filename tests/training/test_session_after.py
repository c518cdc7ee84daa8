"""After a session: the people running it record attendance (which completes the "attend"
step of tracks), write notes and a recording link, and turn the notes into a draft article in
kb's review queue with the presenter as author, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kb.models import Article
from tests.factories import UserFactory
from tests.training.builders import enrol, make_session, make_track
from training.models import Enrolment, Session, StepCompletion
from training.services import sessions as services

NOTES = "## What we learned\n\n- Listen **first**\n- Name the feeling\n\n<script>alert(1)</script>"


def _url(session: Session, path: str = "") -> str:
    return f"/training/sessions/{session.slug}/{path}"


@pytest.fixture
def held(editor, agent, team):
    """A session held yesterday, presented by the agent: the agent, the editor and a colleague
    had seats."""
    session = make_session(organiser=editor, presenters=[agent], title="Angry callers", days=-1)
    for person in (agent, editor, UserFactory(username="colleague", team=team)):
        session.signups.create(user=person, status="confirmed")
    return session


@pytest.fixture
def presenter_client(client, agent):
    client.force_login(agent)
    return client


def test_attendance_completes_the_attend_step_of_tracks_including_the_session(
    presenter_client, held, editor, article
):
    only_session = make_track(owner=editor, title="Just attend", sessions=[held])
    with_reading = make_track(owner=editor, title="Read and attend", articles=[article],
                              sessions=[held])  # fmt: skip
    elsewhere = make_track(owner=editor, title="Unrelated", articles=[article])
    enrolments = [enrol(editor, t) for t in (only_session, with_reading, elsewhere)]
    absent = enrol(UserFactory(username="absent"), only_session)

    page = presenter_client.get(_url(held, "attendance/"))
    assert page.status_code == 200
    response = presenter_client.post(_url(held, "attendance/"), {"attended": [editor.pk]})
    assert response.status_code == 302

    attended = dict(held.signups.values_list("user__username", "attended"))
    assert attended == {"agent": False, "editor": True, "colleague": False}
    for enrolment in (*enrolments, absent):
        enrolment.refresh_from_db()
    done = StepCompletion.objects.filter(step__kind="session").values_list("enrolment", flat=True)
    assert sorted(done) == sorted([enrolments[0].pk, enrolments[1].pk])
    assert enrolments[0].status == Enrolment.Status.COMPLETED  # its only step
    assert enrolments[1].status == Enrolment.Status.ACTIVE  # the article is still to read
    assert absent.status == Enrolment.Status.ACTIVE
    held.refresh_from_db()
    assert held.attendance_recorded_at is not None


def test_recording_attendance_again_replaces_it(presenter_client, held, editor, agent):
    presenter_client.post(_url(held, "attendance/"), {"attended": [editor.pk, agent.pk]})
    presenter_client.post(_url(held, "attendance/"), {"attended": [agent.pk]})
    assert dict(held.signups.values_list("user__username", "attended")) == {
        "agent": True,
        "editor": False,
        "colleague": False,
    }
    page = presenter_client.get(_url(held, "attendance/"))
    assert page.context["form"].initial["attended"] == [agent.pk]
    assert page.content.decode().count(" checked") == 1


@pytest.mark.parametrize("ids", [["999999"], ["9" * 30], ["abc"]])
def test_attendance_of_someone_not_signed_up_is_a_form_error(presenter_client, held, ids):
    response = presenter_client.post(_url(held, "attendance/"), {"attended": ids})
    assert response.status_code == 400
    assert not held.signups.filter(attended__isnull=False).exists()


def test_attendance_waits_until_the_session_starts(client, editor, agent):
    session = make_session(organiser=editor)
    session.signups.create(user=agent, status="confirmed")
    client.force_login(editor)
    assert (
        "once the session has started" in client.get(_url(session, "attendance/")).content.decode()
    )
    response = client.post(_url(session, "attendance/"), {"attended": [agent.pk]})
    assert response.status_code == 400
    assert not session.signups.filter(attended__isnull=False).exists()


def test_only_the_people_running_it_record_attendance_and_notes(client, held, mentor, outsider):
    client.force_login(mentor)
    for path in ("attendance/", "notes/"):
        assert client.get(_url(held, path)).status_code == 403
        assert client.post(_url(held, path), {"body": "Mine now"}).status_code == 403
    assert client.post(_url(held, "notes/article/")).status_code == 403
    held.refresh_from_db()
    assert held.notes == ""
    assert not Article.objects.exists()


def test_notes_and_recording_show_on_the_page_as_safe_markdown(presenter_client, held, client):
    response = presenter_client.post(
        _url(held, "notes/"), {"body": NOTES, "recording_url": "https://video.example.com/1"}
    )
    assert response.status_code == 302
    html = presenter_client.get(_url(held)).content.decode()
    assert "<strong>first</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="https://video.example.com/1"' in html
    # The notes' own "##" heading sits under the page's "Notes" h2, one level down.
    assert '<h2 id="notes-h">Notes</h2>' in html
    assert ">What we learned</h3>" in html
    assert ">What we learned</h2>" not in html


def test_the_notes_page_offers_the_markdown_editor_with_its_preview(presenter_client, held):
    html = presenter_client.get(_url(held, "notes/")).content.decode()
    assert 'class="field md-editor' in html
    assert '<label for="id_body">Notes</label>' in html
    assert 'hx-post="/kb/preview/"' in html
    assert 'href="/training/sessions/"' in html  # breadcrumbs, not a back link
    assert "← Back to the session" not in html


def test_a_service_refusal_of_the_notes_shows_beside_the_field(presenter_client, held, monkeypatch):
    """The service names the field `notes`; the form calls it `body`."""

    def refuse(**kwargs):
        raise ValidationError({"notes": "Not like this."})

    monkeypatch.setattr(services, "session_notes_save", refuse)
    response = presenter_client.post(_url(held, "notes/"), {"body": "Hello"})
    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["Not like this."]


@pytest.mark.parametrize(
    "data",
    [{"body": "x" * 50_001}, {"body": "ok", "recording_url": "javascript:alert(1)"},
     {"body": "ok", "recording_url": "https://" + "a" * 600 + ".com"}],
)  # fmt: skip
def test_bad_notes_are_form_errors_and_save_nothing(presenter_client, held, data):
    response = presenter_client.post(_url(held, "notes/"), data)
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.notes == ""
    assert held.recording_url == ""


def test_notes_become_a_draft_article_in_review_by_the_presenter(presenter_client, held, agent):
    held.skills.set(["de-escalation"])
    presenter_client.post(_url(held, "notes/"), {"body": NOTES})
    response = presenter_client.post(_url(held, "notes/article/"))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.author == agent
    assert article.type == Article.Type.BEST_PRACTICE
    assert article.latest_revision.title == "Angry callers: notes"
    assert "Listen **first**" in article.latest_revision.body
    assert f"/training/sessions/{held.slug}/" in article.latest_revision.body
    assert list(Article.objects.awaiting_review()) == [article]
    assert list(article.tags.names()) == ["de-escalation"]
    held.refresh_from_db()
    assert held.notes_article == article
    # The session page links it.
    assert article.get_absolute_url() in presenter_client.get(_url(held)).content.decode()


def test_notes_become_an_article_only_once(presenter_client, held):
    presenter_client.post(_url(held, "notes/"), {"body": NOTES})
    presenter_client.post(_url(held, "notes/article/"))
    response = presenter_client.post(_url(held, "notes/article/"), follow=True)
    assert Article.objects.count() == 1
    assert "already became a draft article" in response.content.decode()


def test_empty_notes_do_not_become_an_article(presenter_client, held):
    response = presenter_client.post(_url(held, "notes/article/"))
    assert response.status_code == 400
    assert "nothing to turn into an article" in response.content.decode()
    assert not Article.objects.exists()


def test_notes_wait_until_the_session_starts(client, editor):
    session = make_session(organiser=editor)
    client.force_login(editor)
    response = client.post(_url(session, "notes/"), {"body": "Too early"})
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.notes == ""


def test_a_session_started_minutes_ago_takes_attendance(client, editor, agent):
    session = make_session(organiser=editor)
    session.signups.create(user=agent, status="confirmed")
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(editor)
    response = client.post(_url(session, "attendance/"), {"attended": [agent.pk]})
    assert response.status_code == 302
    assert session.signups.get().attended is True


def test_the_attendance_page_has_breadcrumbs_and_select_all(presenter_client, held):
    html = presenter_client.get(_url(held, "attendance/")).content.decode()
    assert '<li><a href="/training/sessions/">Sessions</a></li>' in html
    assert f'<li><a href="{held.get_absolute_url()}">{held.title}</a></li>' in html
    assert 'aria-current="page">Attendance</a>' in html
    assert "← Back to the session" not in html
    assert '<div class="select-all" data-select-all="attendance-people" hidden>' in html
    assert "js/select-all.js" in html
