"""The reminder sweep end to end: a real Celery worker process, a real broker, sent twice.

The test process publishes; a worker subprocess on the same test database consumes. Nothing
is mocked and nothing runs eagerly, so this is what production does on each beat tick.
"""

from __future__ import annotations

import email
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from pathlib import Path

import pytest
from celery.result import EagerResult
from django.conf import settings
from django.utils import timezone

from config.celery import app
from notifications.models import Notification
from notifications.tasks import notification_email_send, reminders_sweep
from tests.conftest import requires_redis
from tests.factories import UserFactory
from tests.subprocesses import database_url, stop

DEADLINE_SECONDS = 60
WORKER_COMMAND = shlex.split(
    "celery -A config worker --pool=solo --concurrency=1 --loglevel=INFO"
    " --without-gossip --without-mingle --without-heartbeat"
)


@dataclass
class Broker:
    url: str
    transport_options: dict
    worker_env: dict[str, str]


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    mail_dir: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_worker(transactional_db, tmp_path, monkeypatch) -> Iterator[Callable[[Broker], Worker]]:
    """Start a Celery worker subprocess on `broker`; it is killed when the test ends."""
    # settings_test makes tasks eager; here the test process must publish, never run them.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    started: list[Worker] = []

    def start(broker: Broker) -> Worker:
        mail_dir, var_dir = tmp_path / "mail", tmp_path / "var"
        mail_dir.mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": database_url(),
            # Same first-slash rule as the database URL: this gives an absolute folder.
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "VAR_DIR": str(var_dir),
            "ONBOARDING_REMINDER_DAYS": "3",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
            **broker.worker_env,
        }
        log_path = tmp_path / "worker.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", *WORKER_COMMAND],
                # The filesystem transport keeps exchange bindings in ./control by default.
                cwd=tmp_path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so teardown kills all of it
            )
        worker = Worker(process, log_path, mail_dir)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        stop(worker.process)


def _redis_broker() -> Broker:
    url = os.environ["REDIS_URL"]
    return Broker(url, {"visibility_timeout": 3600}, {"REDIS_URL": url})


def _filesystem_broker(folder: Path) -> Broker:
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


def _publish(broker: Broker, task, *args) -> str:
    with app.connection_for_write(broker.url, transport_options=broker.transport_options) as conn:
        result = task.apply_async(args, connection=conn)
    assert not isinstance(result, EagerResult)
    return result.id


def _emails(folder: Path) -> list[Message]:
    """Messages written by Django's file email backend (one or more per file)."""
    chunks = (c for p in sorted(folder.glob("*.log")) for c in p.read_bytes().split(b"-" * 79))
    return [email.message_from_bytes(c.strip()) for c in chunks if c.strip()]


def _wait_for_results(worker: Worker, task_ids: list[str]) -> list[str]:
    """What each task returned, read from the worker's log once all of them have succeeded."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        log = worker.log()
        found = [
            re.search(rf"\[{re.escape(i)}\] succeeded in [\d.]+s: (.*)", log) for i in task_ids
        ]
        if all(found):
            return [match.group(1).strip() for match in found]
        crashed = worker.process.poll() is not None or "raised unexpected" in log
        if crashed or time.monotonic() > deadline:
            stop(worker.process)
            pytest.fail(f"tasks {task_ids} did not all succeed:\n{log}")
        time.sleep(0.2)


def _assert_onboarding_reminder_arrives_once(start_worker, broker: Broker) -> None:
    long_ago = timezone.now() - timedelta(days=10)
    due = UserFactory(date_joined=long_ago)  # a job title, but no skills or interests yet
    UserFactory(date_joined=long_ago, skills=["refunds"], interests=["coaching"])
    UserFactory(date_joined=timezone.now() - timedelta(days=1))
    worker = start_worker(broker)

    sweeps = _wait_for_results(
        worker, [_publish(broker, reminders_sweep), _publish(broker, reminders_sweep)]
    )
    # The worker takes one task at a time in queue order, and the sweeps queued their emails
    # before this no-op (no notification 0) was sent: once it has run, so have they all.
    _wait_for_results(worker, [_publish(broker, notification_email_send, 0)])
    print(worker.log())  # pytest shows it only when an assertion below fails

    assert list(Notification.objects.values_list("recipient", "kind", "dedupe_key")) == [
        (due.pk, "onboarding", f"people.onboarding:{due.pk}")
    ]
    assert sorted(sweeps) == ["{'sent': 0, 'already_sent': 1}", "{'sent': 1, 'already_sent': 0}"]
    assert Notification.objects.get().emailed_at is not None
    assert [message["To"] for message in _emails(worker.mail_dir)] == [due.email]


@requires_redis
def test_onboarding_reminder_arrives_once_on_redis_worker(start_worker):
    _assert_onboarding_reminder_arrives_once(start_worker, _redis_broker())


def test_onboarding_reminder_arrives_once_on_filesystem_worker(start_worker, tmp_path):
    _assert_onboarding_reminder_arrives_once(start_worker, _filesystem_broker(tmp_path))
