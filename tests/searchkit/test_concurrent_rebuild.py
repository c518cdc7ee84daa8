"""Rebuilds that overlap (two operators, a deploy hook and a cron job) never delete each
other's work: each fills its own directory, a cleanup skips directories still being built,
and when both are done one complete, searchable index is live and nothing else is left."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kb.models import Article
from searchkit import pipeline
from searchkit.backend import LiveIndexDirectory
from tests.factories import UserFactory
from tests.kb.test_search_index import assert_index_matches_database, found
from tests.kb.test_search_rebuild import index_entries, publish_many


@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_at_once_leave_one_complete_searchable_index_and_no_leftovers(
    search_index, monkeypatch
):
    from tests.factories import default_category

    author = UserFactory(username="author")
    articles = publish_many(6, author=author, category=default_category())
    pipeline.rebuild()
    old = search_index.directory.target()

    # Both rebuilds stop after their first batch of articles, so both are half-way at once;
    # then the first finishes (swap and cleanup) while the second is still writing.
    batches, both_halfway, first_done = pipeline._batches, threading.Barrier(2, timeout=60), []
    first_finished = threading.Event()

    def batches_that_meet_halfway(queryset, size):
        for number, batch in enumerate(batches(queryset, size)):
            yield batch
            if number == 0 and queryset.model is Article:
                both_halfway.wait()
                if threading.current_thread().name == "second":
                    assert first_finished.wait(timeout=60), "the first rebuild never finished"

    monkeypatch.setattr(pipeline, "_batches", batches_that_meet_halfway)
    results, errors = {}, []

    def rebuild(name: str) -> None:
        try:
            results[name] = pipeline.rebuild(batch_size=2)
        except BaseException as exc:
            errors.append(exc)
        finally:
            if name == "first":
                first_done.append(search_index.directory.target())
                first_finished.set()
            connection.close()

    threads = [threading.Thread(target=rebuild, args=(n,), name=n) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors[0]
    assert results == {"first": 6, "second": 6}
    live = search_index.directory.target()
    assert live not in (old, first_done[0]), "the second rebuild's index is live, last"
    assert index_entries(search_index) == sorted(["current", live.name])
    assert_index_matches_database(search_index)
    assert found(author, "refund") == sorted(a.pk for a in articles)


def test_a_cleanup_keeps_the_directory_another_rebuild_is_filling(tmp_path):
    directory = LiveIndexDirectory(tmp_path / "whoosh")
    live = directory.ensure(lambda path: None)  # no index needed here
    with directory.reserved() as building:
        (building / "_MAIN_1.toc").write_bytes(b"")

        assert LiveIndexDirectory(tmp_path / "whoosh").remove_stale() == []
        assert building.exists()
        assert live.exists()

    # Finished without being swapped in (it failed): the next cleanup removes it.
    assert directory.remove_stale() == [building]
    assert sorted(p.name for p in directory.root.iterdir()) == sorted(["current", live.name])


def test_a_directory_left_by_a_dead_rebuild_is_removed_by_the_next_cleanup(tmp_path):
    directory = LiveIndexDirectory(tmp_path / "whoosh")
    live = directory.ensure(lambda path: None)  # no index needed here
    dead = directory.root / "index-20000101000000-0badc0de"
    dead.mkdir()  # its builder died: the operating system released its lock
    (dead / "_MAIN_1.toc").write_bytes(b"")

    assert directory.remove_stale() == [dead]
    assert directory.target() == live
    assert live.exists()
