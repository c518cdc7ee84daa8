"""Opening the index while another process commits to it. Whoosh finds the newest table of
contents by listing the folder; a commit renames the new one in and deletes the old one, and
a listing taken at that moment can miss both. Opening must then read again, never create a
new index in the live folder (Whoosh's `create_index` clears the folder: every document gone).

The miss cannot be timed from a test, so the listing is made to miss once: the engine must
answer with the documents it had."""

from __future__ import annotations

import pytest
from whoosh.index import TOC

from searchkit import pipeline
from tests.factories import UserFactory, default_category
from tests.kb.test_search_index import found
from tests.kb.test_search_rebuild import publish_many


@pytest.mark.django_db(transaction=True)
def test_a_listing_that_misses_the_table_of_contents_never_empties_the_live_index(
    search_index, monkeypatch
):
    author = UserFactory(username="author")
    articles = publish_many(3, author=author, category=default_category())
    pipeline.rebuild()
    live = search_index.directory.target()
    latest = TOC._latest_generation.__func__
    misses = iter([True])

    def listing_that_misses_once(cls, storage, indexname):
        return -1 if next(misses, False) else latest(cls, storage, indexname)

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(listing_that_misses_once))

    reopened = search_index.open_index(live)

    assert reopened.doc_count() == 3
    assert found(author, "refund") == sorted(a.pk for a in articles)


def test_the_first_live_directory_holds_an_index_before_it_is_live(tmp_path):
    from searchkit.backend import LiveIndexDirectory

    directory = LiveIndexDirectory(tmp_path / "whoosh")
    seen_before_swap = []

    def create(path):
        (path / "_MAIN_0.toc").write_bytes(b"")
        seen_before_swap.append(directory.link.is_symlink())

    live = directory.ensure(create)

    assert seen_before_swap == [False]
    assert (live / "_MAIN_0.toc").exists()
    assert directory.ensure(create) == live  # made once


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_releases_the_write_lock(search_index, monkeypatch):
    """A disk that fills up during a commit (made to fail here) must not leave Whoosh's lock
    held: the next write would wait for it until it gave up."""
    from whoosh.writing import SegmentWriter

    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(SegmentWriter, "commit", full_disk)
        with pytest.raises(OSError, match="No space"), search_index.write_session() as session:
            session.remove("kb.article.1")

    writer = search_index.live_index().writer(timeout=0.5)  # raises LockError if still held
    writer.cancel()
