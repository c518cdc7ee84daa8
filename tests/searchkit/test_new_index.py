"""A new app puts a model into search by declaring an index and its audience, nothing more:
the test-only `notes` app (tests/searchkit/notes) gets queueing on commit, the single writer,
reconcile, rebuild, audience narrowing and its own result template."""

from __future__ import annotations

import pytest
from django.utils import timezone

from searchkit import pipeline, query
from searchkit.indexes import registered
from tests.search.pages import result_titles
from tests.searchkit.notes.models import Note


@pytest.fixture
def note(db, search_index, team, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = Note.objects.create(
            title="Billing hotline rota", body="Who answers the escalation phone this week.",
            team=team, author=agent,
        )  # fmt: skip
        pipeline.queue_update(created)
    return created


def test_the_declared_index_is_registered_beside_articles():
    assert {"kb.article", "notes.note"} <= set(registered())


def test_a_queued_update_makes_the_note_findable_by_its_team_only(note, mentor, outsider):
    for reader, found in ((mentor, True), (outsider, False)):
        hits = query.search(user=reader, text=None, per_page=50).hits
        assert any(h.label == "notes.note" and h.pk == note.pk for h in hits) is found


def test_the_search_page_renders_the_note_with_its_own_template(note, client, mentor, outsider):
    client.force_login(mentor)
    response = client.get("/search/", {"q": "hotline rota"})
    assert result_titles(response) == ["Billing hotline rota"]
    assert b"note-result" in response.content
    client.force_login(outsider)
    assert result_titles(client.get("/search/", {"q": "hotline rota"})) == []


def test_reconcile_and_rebuild_cover_the_new_model(note, team, agent):
    assert pipeline.reconcile().updated == []
    # A write that skipped the queue (the version, updated_at, changes as on any write).
    Note.objects.filter(pk=note.pk).update(title="Changed", updated_at=timezone.now())
    missing = Note.objects.create(title="Never queued", body="x", team=team, author=agent)
    report = pipeline.reconcile()
    assert set(report.updated) == {f"notes.note.{note.pk}", f"notes.note.{missing.pk}"}
    pk = note.pk
    note.delete()
    assert pipeline.reconcile().removed == [f"notes.note.{pk}"]
    assert pipeline.rebuild() == 1


def test_deleting_the_row_and_syncing_removes_the_document(note, mentor):
    label, pk = "notes.note", note.pk
    note.delete()
    assert pipeline.sync(label, pk) == "removed"
    assert query.search(user=mentor, text=None).total == 0
