"""Repairing the search index: `reconcile` fixes drift, `rebuild_index` swaps in a new index
without taking search down, and a rebuild that dies leaves the old index serving."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import traceback
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from haystack import connections

from kb.models import Article, ArticleRevision
from searchkit import pipeline
from tests.kb.test_search_index import (
    assert_index_matches_database,
    documents,
    found,
    index_sync,
    text_query,
)
from tests.kb.test_search_index_worker import django_env
from tests.subprocesses import stop


def publish_many(count: int, *, author, category) -> list[Article]:
    """`count` published articles about refunds, written straight to the database (fast)."""
    articles = Article.objects.bulk_create(
        Article(slug=f"refund-case-{i}", category=category, author=author, owner=author)
        for i in range(count)
    )
    revisions = ArticleRevision.objects.bulk_create(
        ArticleRevision(
            article=article,
            number=1,
            title=f"Refund case {i}",
            body="Refund the order.",
            rendered_html="<p>Refund the order.</p>",
            body_text="Refund the order.",
            editor=author,
        )
        for i, article in enumerate(articles)
    )
    for article, revision in zip(articles, revisions, strict=True):
        article.published_revision = article.latest_revision = revision
        article.status, article.published_at = Article.Status.PUBLISHED, timezone.now()
    Article.objects.bulk_update(
        articles, ["published_revision", "latest_revision", "status", "published_at"]
    )
    return articles


def index_entries(backend) -> list[str]:
    """What the index root holds: the `current` link and the index directories."""
    return sorted(path.name for path in backend.directory.root.iterdir())


# --- Reconcile --------------------------------------------------------------------------------


def test_it_reconciles_drift_and_reports_it(
    search_index, make_article, agent, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lost, stale, archived, deleted, _fine = (
            make_article(author=agent, title=f"Refund {name}", approved_by=editor)
            for name in ("lost", "stale", "archived", "deleted", "fine")
        )
    unindexed = make_article(author=agent, title="Refund unindexed", approved_by=editor)
    assert unindexed.pk not in documents(search_index)  # its queued sync never ran

    search_index.remove(f"kb.article.{lost.pk}")
    ArticleRevision.objects.filter(pk=stale.published_revision_id).update(title="Refund fixed")
    Article.objects.filter(pk=stale.pk).update(updated_at=timezone.now())
    Article.objects.filter(pk__in=[archived.pk, deleted.pk]).update(status="archived")
    Article.objects.filter(pk=deleted.pk).delete()

    report = pipeline.reconcile()

    updated = sorted([lost.pk, stale.pk, unindexed.pk])
    assert report.updated == [f"kb.article.{pk}" for pk in updated]
    assert report.removed == [f"kb.article.{archived.pk}", f"kb.article.{deleted.pk}"]
    assert str(report) == "3 updated, 2 removed"
    assert documents(search_index)[stale.pk]["title"] == "Refund fixed"
    assert_index_matches_database(search_index)
    out = StringIO()
    call_command("reconcile_index", stdout=out)
    assert out.getvalue().strip() == "0 updated, 0 removed"


# --- Rebuild ----------------------------------------------------------------------------------


def test_it_swaps_in_a_complete_new_index_and_removes_the_old_ones(search_index, category, agent):
    articles = publish_many(5, author=agent, category=category)
    index_sync(articles[0].pk)
    old = search_index.directory.target()
    leftover = search_index.directory.root / "index-20000101000000-0badc0de"
    leftover.mkdir()  # what a rebuild that died long ago left behind
    (leftover / "_MAIN_1.toc").write_bytes(b"")

    out = StringIO()
    call_command("rebuild_index", "--quiet", stdout=out)

    assert "Indexed 5 documents." in out.getvalue()
    new = search_index.directory.target()
    assert new != old
    assert index_entries(search_index) == sorted(["current", new.name])
    assert_index_matches_database(search_index)
    assert found(agent, "refund") == sorted(a.pk for a in articles)


def test_it_keeps_searches_working_during_rebuilds(search_index, category, agent):
    publish_many(12, author=agent, category=category)
    pipeline.rebuild()
    live = [search_index.directory.target()]
    searches: list[tuple[float, int, str]] = []  # (when, hits, index directory)
    errors: list[str] = []
    done = threading.Event()

    def search_until_done() -> None:
        backend = connections["default"].get_backend()  # this thread's own, as in a server
        refund = text_query("refund")
        try:
            while not done.is_set():
                hits = backend.query(
                    refund, filters=(), facets=(), sort=None, page=1, per_page=1, highlight=False
                ).total
                searches.append((time.monotonic(), hits, backend.index.storage.folder))
        except BaseException:
            errors.append(traceback.format_exc())

    def wait_for_searches() -> None:
        seen = len(searches)
        while len(searches) < seen + 3 and searcher.is_alive():
            time.sleep(0.005)

    searcher = threading.Thread(target=search_until_done)
    searcher.start()
    wait_for_searches()
    began = time.monotonic()
    call_command("rebuild_index", "--quiet", "--batch-size", "1", verbosity=0)
    ended = time.monotonic()
    live.append(search_index.directory.target())
    wait_for_searches()
    for _ in range(8):  # every swap is a chance for a search to hit the directory going away
        call_command("rebuild_index", "--quiet", verbosity=0)
        live.append(search_index.directory.target())
        wait_for_searches()
    done.set()
    searcher.join(timeout=30)

    assert not errors, errors[0]
    assert {hits for _, hits, _ in searches} == {12}
    assert any(began < when < ended for when, _, _ in searches), "no search ran mid-rebuild"
    assert {folder for _, _, folder in searches} == {str(path) for path in live}
    assert index_entries(search_index) == sorted(["current", live[-1].name])


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_old_index_when_a_rebuild_is_killed(
    search_index, category, agent, editor, tmp_path
):
    """A rebuild subprocess on the same database is killed half-way (SIGKILL: no cleanup)."""
    total = 200
    publish_many(total, author=agent, category=category)
    pipeline.rebuild()
    old = search_index.directory.target()
    before = found(editor, "refund")
    assert len(before) == total

    progress = tmp_path / "rebuild.err"
    with progress.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rebuild_index", "--batch-size", "1"],
            cwd=settings.BASE_DIR,
            env=django_env(search_index, tmp_path / "var"),
            stdout=subprocess.DEVNULL,
            stderr=err,  # the progress bar: "37/200 [...]"
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            counts = re.findall(rb"(\d+)/\d+ \[", progress.read_bytes())
            if counts and int(counts[-1]) >= 20:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        process.wait(timeout=30)
    finally:
        stop(process)
    assert process.returncode == -signal.SIGKILL, progress.read_text(errors="replace")

    partial = [p for p in search_index.directory.root.glob("index-*") if p != old]
    assert len(partial) == 1
    assert any(partial[0].iterdir()), "the rebuild had started writing"
    assert search_index.directory.target() == old
    assert found(editor, "refund") == before
    assert search_index.live_index().doc_count() == total

    call_command("rebuild_index", "--quiet", verbosity=0)

    assert not partial[0].exists()
    assert index_entries(search_index) == sorted(["current", search_index.directory.target().name])
    assert found(editor, "refund") == before
    assert_index_matches_database(search_index)


def test_it_refuses_a_batch_size_below_one(search_index):
    live = search_index.directory.target()

    with pytest.raises(CommandError, match="--batch-size must be at least 1"):
        call_command("rebuild_index", "--batch-size", "0")

    assert search_index.directory.target() == live
