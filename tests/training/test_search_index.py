"""Training's search documents follow the database: published tracks and scheduled sessions
that have not ended, with the audience of their `visible_to`, kept current by the same
queue, reconcile and rebuild as articles.

Everything here reads and writes the real Whoosh index on disk (the `search_index` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from haystack.constants import DJANGO_CT, DJANGO_ID

from searchkit import pipeline, query
from searchkit.indexes import index_for, registered
from tests.factories import UserFactory, make_article
from tests.training.builders import make_session, make_track
from training.models import Session, Track, TrackStep

TRACK = "training.track"
SESSION = "training.session"
FIELDS = ("title", "type", "tags", "teams", "audience", "owner", "version")


def documents(backend, label: str) -> dict[int, dict]:
    """Every indexed document of `label`, its stored fields by pk."""
    with backend.live_index().searcher() as searcher:
        return {
            int(stored[DJANGO_ID]): {name: stored.get(name) for name in FIELDS}
            for stored in searcher.documents(**{DJANGO_CT: label})
        }


def found(user, text: str | None = None, label: str | None = None) -> list[tuple[str, int]]:
    """(label, pk) of what the index lets `user` find (the audience narrowing every search
    path takes), before the database re-check."""
    words = None
    if text:
        clauses = tuple(query.Clause((query.Alternative(w),), required=True) for w in text.split())
        words = query.TextQuery(clauses)
    page = query.search(user=user, text=words, per_page=1000, highlight=False)
    return sorted((h.label, h.pk) for h in page.hits if label is None or h.label == label)


def sync_all() -> None:
    for label in (TRACK, SESSION):
        model = Track if label == TRACK else Session
        for pk in model.objects.values_list("pk", flat=True):
            pipeline.sync(label, pk)


def test_both_indexes_are_registered_with_the_shared_search_layer():
    indexes = registered()
    assert {"kb.article", TRACK, SESSION} <= set(indexes)
    assert indexes[TRACK].result_template == "search/results/training_track.html"
    assert indexes[SESSION].result_template == "search/results/training_session.html"


# --- Tracks ---------------------------------------------------------------------------------


def test_only_published_tracks_are_indexed(search_index, editor, agent):
    published = make_track(owner=editor, title="Conflict resolution")
    draft = make_track(owner=editor, title="Conflict drafts", published=False)
    sync_all()

    assert sorted(documents(search_index, TRACK)) == [published.pk]
    # Not even the owner or a KB editor finds a draft through search.
    assert found(editor, "conflict") == [(TRACK, published.pk)]
    assert found(agent, "conflict") == [(TRACK, published.pk)]
    assert pipeline.sync(TRACK, draft.pk) == "removed"


def test_a_track_document_holds_what_the_search_page_filters_on(search_index, editor, team):
    track = make_track(
        owner=editor, title="De-escalation", visibility="teams", description="Calm words."
    )
    track.teams.set([team])
    track.skills.add("Conflict resolution", "Empathy")
    pipeline.sync(TRACK, track.pk)

    doc = documents(search_index, TRACK)[track.pk]
    assert doc["title"] == "De-escalation"
    assert doc["type"] == "track"
    assert doc["tags"] == "conflict-resolution,empathy"
    assert doc["teams"] == str(team.pk)
    assert doc["owner"] == editor.pk
    assert set(doc["audience"].split(",")) == {
        f"team{team.pk}",
        f"user{editor.pk}",
        "role-kb-editor",
    }
    assert doc["version"] == index_for(TRACK).version_of(track)


def test_a_track_is_found_by_its_description_skills_and_steps(search_index, editor, agent):
    article = make_article(author=editor, title="Mirroring the caller", approved_by=editor)
    track = make_track(owner=editor, title="Listening", articles=[article], task=True)
    track.skills.add("Active listening")
    TrackStep.objects.filter(track=track, kind="task").update(description="Paraphrase a call.")
    pipeline.sync(TRACK, track.pk)

    for words in ("listening", "mirroring caller", "paraphrase", "active"):
        assert found(agent, words) == [(TRACK, track.pk)], words


def test_a_team_only_article_does_not_lend_its_title_to_a_public_track(
    search_index, editor, outsider, team
):
    secret = make_article(
        author=editor, title="Escalation hotline numbers", approved_by=editor,
        visibility="teams", teams=[team],
    )  # fmt: skip
    track = make_track(owner=editor, title="Handling escalations", articles=[secret])
    pipeline.sync(TRACK, track.pk)

    assert found(outsider, "escalations") == [(TRACK, track.pk)]
    assert found(outsider, "hotline numbers") == []


def test_unpublishing_or_deleting_a_track_removes_it(search_index, editor):
    kept = make_track(owner=editor, title="Empathy")
    unpublished = make_track(owner=editor, title="Empathy at scale")
    deleted = make_track(owner=editor, title="Empathy for beginners")
    sync_all()
    assert len(documents(search_index, TRACK)) == 3

    Track.objects.filter(pk=unpublished.pk).update(status="draft", published_at=None)
    deleted_pk = deleted.pk
    deleted.delete()
    assert pipeline.sync(TRACK, unpublished.pk) == "removed"
    assert pipeline.sync(TRACK, deleted_pk) == "removed"
    assert sorted(documents(search_index, TRACK)) == [kept.pk]


def test_a_queued_update_runs_once_the_change_commits(
    search_index, editor, agent, django_capture_on_commit_callbacks
):
    track = make_track(owner=editor, title="Product knowledge")
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.queue_update(track)
    assert found(agent, "product") == [(TRACK, track.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        Track.objects.filter(pk=track.pk).update(title="Catalogue knowledge")
        pipeline.queue_update(Track, track.pk)
    assert found(agent, "product") == []
    assert found(agent, "catalogue") == [(TRACK, track.pk)]


def test_reconcile_catches_a_step_change_that_left_the_track_timestamp_alone(
    search_index, editor, agent
):
    track = make_track(owner=editor, title="Refund basics", task=True)
    pipeline.sync(TRACK, track.pk)
    assert pipeline.reconcile().updated == []

    TrackStep.objects.filter(track=track).update(description="Escalate chargebacks.")
    assert pipeline.reconcile().updated == [f"{TRACK}.{track.pk}"]
    assert found(agent, "chargebacks") == [(TRACK, track.pk)]
    assert pipeline.reconcile().updated == []


# --- Sessions -------------------------------------------------------------------------------


def test_only_scheduled_sessions_that_have_not_ended_are_indexed(search_index, editor, agent):
    upcoming = make_session(organiser=editor, title="Refund war stories", days=2)
    running = make_session(
        organiser=editor, title="Refund clinic", starts_at=timezone.now() - timedelta(minutes=30)
    )
    make_session(organiser=editor, title="Refund retro", days=-2)
    make_session(organiser=editor, title="Refund cancelled", days=3, status="cancelled")
    sync_all()

    assert sorted(documents(search_index, SESSION)) == sorted([upcoming.pk, running.pk])
    assert found(agent, "refund") == sorted([(SESSION, upcoming.pk), (SESSION, running.pk)])


def test_a_session_document_holds_type_skills_teams_and_audience(
    search_index, editor, mentor, team
):
    session = make_session(
        organiser=editor, title="Coaching roundtable", kind="roundtable",
        presenters=[mentor], visibility="teams", agenda="Bring a hard call.",
    )  # fmt: skip
    session.teams.set([team])
    session.skills.add("Coaching")
    pipeline.sync(SESSION, session.pk)

    doc = documents(search_index, SESSION)[session.pk]
    assert doc["type"] == "session"
    assert doc["tags"] == "coaching"
    assert doc["teams"] == str(team.pk)
    assert doc["owner"] == editor.pk
    assert set(doc["audience"].split(",")) == {
        f"team{team.pk}", f"user{editor.pk}", f"user{mentor.pk}", "role-kb-editor"
    }  # fmt: skip
    # Found by its presenter's name and its agenda as well as its title.
    assert found(editor, mentor.name.split()[-1], SESSION) == [(SESSION, session.pk)]
    assert found(editor, "hard call") == [(SESSION, session.pk)]


def test_reconcile_removes_a_session_once_it_has_ended(search_index, editor, agent):
    session = make_session(organiser=editor, title="Tone workshop", days=1)
    pipeline.sync(SESSION, session.pk)
    assert found(agent, "tone") == [(SESSION, session.pk)]

    # Time passes: the session is over, and nothing was saved that would queue an update.
    ended = timezone.now() - timedelta(minutes=1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    report = pipeline.reconcile()

    assert report.removed == [f"{SESSION}.{session.pk}"]
    assert documents(search_index, SESSION) == {}
    assert found(agent, "tone") == []


def test_cancelling_a_session_removes_it_on_the_next_sync(search_index, editor, agent):
    session = make_session(organiser=editor, title="Tone workshop")
    pipeline.sync(SESSION, session.pk)
    Session.objects.filter(pk=session.pk).update(status="cancelled")

    assert pipeline.sync(SESSION, session.pk) == "removed"
    assert found(agent, "tone") == []


# --- Reconcile and rebuild --------------------------------------------------------------------


def test_rebuild_and_reconcile_cover_tracks_and_sessions(search_index, editor):
    track = make_track(owner=editor, title="Mentor training")
    make_track(owner=editor, title="Draft track", published=False)
    session = make_session(organiser=editor, title="Mentor meetup")
    make_session(organiser=editor, title="Old meetup", days=-5)
    article = make_article(author=editor, approved_by=editor)

    assert pipeline.rebuild() == 3
    assert sorted(documents(search_index, TRACK)) == [track.pk]
    assert sorted(documents(search_index, SESSION)) == [session.pk]
    assert pipeline.reconcile().updated == []

    # A row that never queued its update is found by the next reconcile.
    missing = make_session(organiser=editor, title="Unqueued meetup")
    assert pipeline.reconcile().updated == [f"{SESSION}.{missing.pk}"]
    assert found(editor) == sorted(
        [("kb.article", article.pk), (TRACK, track.pk), (SESSION, session.pk),
         (SESSION, missing.pk)]
    )  # fmt: skip


@pytest.mark.parametrize("label", [TRACK, SESSION])
def test_a_sync_for_a_row_that_never_existed_is_harmless(db, search_index, label):
    assert pipeline.sync(label, 987654) == "removed"


def test_search_finds_exactly_what_visible_to_allows_for_every_reader(
    search_index, agent, editor, manager, outsider, team, other_team
):
    """The index's audience and the querysets' `visible_to` are one rule: for every reader,
    search finds exactly the published tracks and upcoming sessions they may open."""
    stranger = UserFactory(team=None)
    tracks = [
        make_track(owner=manager, title="For everyone"),
        make_track(owner=manager, title="For billing", visibility="teams"),
        make_track(owner=outsider, title="For tech", visibility="teams"),
        make_track(owner=agent, title="Agent's draft", published=False),
    ]
    tracks[1].teams.set([team])
    tracks[2].teams.set([other_team])
    sessions = [
        make_session(organiser=manager, title="Open lab"),
        make_session(organiser=manager, title="Billing lab", visibility="teams"),
        make_session(
            organiser=manager, title="Tech lab", visibility="teams", presenters=[outsider]
        ),
        make_session(organiser=agent, title="Past lab", days=-1),
        make_session(organiser=agent, title="Cancelled lab", status="cancelled"),
    ]
    sessions[1].teams.set([team])
    sessions[2].teams.set([team])  # presented by someone outside the team it is for
    pipeline.rebuild()

    for reader in (agent, editor, manager, outsider, stranger):
        visible_tracks = Track.objects.published().visible_to(reader)
        visible_sessions = Session.objects.scheduled().upcoming().visible_to(reader)
        assert found(reader, label=TRACK) == sorted(
            (TRACK, pk) for pk in visible_tracks.values_list("pk", flat=True)
        ), reader.username
        assert found(reader, label=SESSION) == sorted(
            (SESSION, pk) for pk in visible_sessions.values_list("pk", flat=True)
        ), reader.username
    # The rule hides something from someone, and the presenter sees their session.
    assert found(stranger, label=TRACK) == [(TRACK, tracks[0].pk)]
    assert (SESSION, sessions[2].pk) in found(outsider, label=SESSION)
