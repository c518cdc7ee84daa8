"""Who writes the search index: a real Celery worker consuming the `search-index` queue, and
writers that meet at Whoosh's single write lock.

In the worker tests nothing runs eagerly: the services queue `searchkit.tasks.index_sync` when their
transaction commits, the test process publishes it to a real broker (the filesystem transport,
or Redis), and a worker subprocess on the same test database and Whoosh index writes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app
from kb.models import Article
from kb.services import (
    article_approve,
    article_archive,
    article_delete,
    article_submit,
    article_update,
)
from searchkit.indexes import index_for
from tests.conftest import requires_redis
from tests.kb.test_search_index import (
    assert_index_matches_database,
    documents,
    edit,
    index_sync,
    index_version,
)
from tests.subprocesses import database_url, stop

DEADLINE_SECONDS = 60
# A Redis database of its own, so that no other worker on this Redis takes our tasks.
REDIS_DB = 15


def django_env(backend, var_dir: Path) -> dict[str, str]:
    """The environment of a Django subprocess on this test's database and search index."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url(),
        "SEARCH_URL": str(backend.path),
        "VAR_DIR": str(var_dir),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
        ),
    }


@dataclass
class Broker:
    url: str
    transport_options: dict
    worker_env: dict[str, str]


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker never got to: {what}\n{self.log()}")
            time.sleep(0.1)


def filesystem_broker(folder: Path) -> Broker:
    queue_dir = folder / "queue"
    queue_dir.mkdir()
    options = {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    # An empty REDIS_URL (rather than none) also wins over one in a .env file.
    return Broker("filesystem://", options, {"REDIS_URL": "", "CELERY_QUEUE_DIR": str(queue_dir)})


def redis_broker() -> Broker:
    url = urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{REDIS_DB}"))
    return Broker(url, {"visibility_timeout": 3600}, {"REDIS_URL": url})


@pytest.fixture
def start_index_worker(
    transactional_db, search_index, tmp_path, monkeypatch
) -> Iterator[Callable[[Broker], Worker]]:
    """Point this process's Celery publisher at `broker` (tasks are no longer eager) and start
    a worker subprocess consuming the `search-index` queue there; it is stopped at the end."""
    started: list[Worker] = []

    def start(broker: Broker) -> Worker:
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        monkeypatch.setitem(app.conf, "broker_url", broker.url)
        monkeypatch.setitem(app.conf, "broker_transport_options", broker.transport_options)
        # Pools made for the configured broker would ignore the new one. (Kombu keeps pools
        # per broker, shared with eager calls: they must stay open after the test.)
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        log_path = tmp_path / "worker.log"
        command = [
            *("celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"),
            *("--queues", settings.SEARCH_INDEX_QUEUE, "--hostname", f"idx-{os.getpid()}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        env = {**django_env(search_index, tmp_path / "var"), **broker.worker_env}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", *command],
                cwd=tmp_path,  # the filesystem transport keeps exchange bindings in ./control
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so teardown stops all of it
            )
        started.append(Worker(process, log_path))
        return started[-1]

    yield start
    for worker in started:
        stop(worker.process)


def _assert_worker_follows_the_articles(
    worker: Worker, backend, make_article, editor, team
) -> None:
    """Publish, edit, restrict, archive and delete; the worker's index follows each step.
    The editor writes and approves everything, so no notification email is queued."""

    def indexed() -> dict[int, dict]:
        return documents(backend)

    def in_step(article: Article) -> bool:
        article = Article.objects.get(pk=article.pk)
        return indexed().get(article.pk, {}).get("version") == index_version(article)

    refund = make_article(author=editor, approved_by=editor)
    contacts = make_article(author=editor, title="Escalation contacts", approved_by=editor)
    worker.wait_until(lambda: in_step(refund) and in_step(contacts), "publish two articles")

    edit(refund, editor, title="Refund handbook")  # waits for review: readers keep the old one
    worker.wait_until(lambda: in_step(refund), "sync the pending edit")
    assert indexed()[refund.pk]["title"] == "How to issue a refund"
    article = Article.objects.get(pk=refund.pk)
    article_submit(article=article, user=editor)
    article_approve(article=article, editor=editor)
    worker.wait_until(lambda: in_step(refund), "index the approved edit")
    assert indexed()[refund.pk]["title"] == "Refund handbook"

    contacts.refresh_from_db()
    revision = contacts.latest_revision
    article_update(
        article=contacts,
        editor=editor,
        content={"title": revision.title, "summary": revision.summary, "body": revision.body},
        meta={"visibility": Article.Visibility.TEAMS, "teams": [team], "tags": ["escalation"]},
    )
    worker.wait_until(lambda: in_step(contacts), "restrict an article to one team")
    audience = indexed()[contacts.pk]["audience"].split(",")
    assert f"team{team.pk}" in audience
    assert "everyone" not in audience
    assert indexed()[contacts.pk]["tags"] == "escalation"

    article_archive(article=Article.objects.get(pk=refund.pk), editor=editor)
    article_delete(article=Article.objects.get(pk=contacts.pk), editor=editor)
    worker.wait_until(lambda: indexed() == {}, "remove the archived and the deleted article")
    log = worker.log()
    assert "Task searchkit.tasks.index_sync[" in log  # the worker did it, not this process
    assert "raised unexpected" not in log


def test_it_follows_the_articles_on_a_filesystem_queue_worker(
    start_index_worker, search_index, make_article, editor, team, tmp_path
):
    worker = start_index_worker(filesystem_broker(tmp_path))
    _assert_worker_follows_the_articles(worker, search_index, make_article, editor, team)


@requires_redis
def test_it_follows_the_articles_on_a_redis_worker(
    start_index_worker, search_index, make_article, editor, team
):
    worker = start_index_worker(redis_broker())
    _assert_worker_follows_the_articles(worker, search_index, make_article, editor, team)


# --- Writers meeting at the lock -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_never_lets_an_earlier_sync_overwrite_a_later_one(
    search_index, published_article, agent
):
    """Edit 1 commits and its sync waits for the lock; edit 2 commits and its sync wins the
    lock first. The document must end up as the database is (edit 2), not as edit 1 was."""
    revision = published_article.latest_revision
    content = {"title": revision.title, "summary": revision.summary, "body": revision.body}
    first = threading.Thread(
        target=lambda: (
            article_update(
                article=Article.objects.get(pk=published_article.pk),
                editor=agent,
                content=content,
                meta={"tags": ["first"]},
            ),
            connection.close(),
        )
    )
    with search_index.write_session() as session:  # Whoosh's single write lock
        first.start()
        time.sleep(1.0)  # edit 1 has committed; its sync is waiting for the lock
        assert first.is_alive()
        published_article.tags.set(["second"])
        Article.objects.filter(pk=published_article.pk).update(updated_at=timezone.now())
        # Edit 2's sync, holding the lock first, indexes the database as it now is.
        index = index_for("kb.article")
        session.update(index, index.index_queryset().filter(pk=published_article.pk))
    first.join(timeout=30)

    assert documents(search_index)[published_article.pk]["tags"] == "second"
    assert_index_matches_database(search_index)


@pytest.mark.django_db(transaction=True)
def test_it_waits_for_a_held_write_lock_and_then_syncs(search_index, published_article):
    search_index.clear()  # the approval indexed it at commit; start from an empty index
    results: list[str] = []
    worker = threading.Thread(
        target=lambda: (results.append(index_sync(published_article.pk)), connection.close())
    )

    writer = search_index.writer()  # Whoosh's single write lock, held by this thread
    try:
        worker.start()
        time.sleep(1.0)
        assert worker.is_alive(), "the sync should be waiting for the lock"
        assert documents(search_index) == {}
    finally:
        writer.commit()
    worker.join(timeout=30)

    assert results == ["updated"]
    assert_index_matches_database(search_index)
