"""Helpers for tests that start real subprocesses (Celery workers, management commands)
which must share the test process's database."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """The URL of this test process's database, for subprocesses that must share it."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # django-environ drops the first slash of the path: "sqlite:///" + "/abs" is absolute.
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def stop(process: subprocess.Popen) -> None:
    """Stop a subprocess started in its own process group: politely, then for good."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
