"""What every benchmark starts from: Huddle on its embedded defaults (SQLite, Whoosh, the
filesystem queue) in a throw-away VAR_DIR that is deleted afterwards (made inside the VAR_DIR
the benchmark was started with, else in TMPDIR), run as production runs
(DEBUG off, so no query log), optionally with the demo organisation seeded and indexed."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def huddle(prefix: str, *, keep: bool = False, eager: bool = True, demo: bool = False) -> Iterator:
    """Set up Django in a new VAR_DIR (migrated; with `demo`, seeded and indexed), yield the
    folder, then delete it (unless `keep`). `eager` runs Celery tasks in-process."""
    parent = os.environ.get("VAR_DIR")  # else tempfile's choice: TMPDIR, then /tmp
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix=f"huddle-{prefix}-", dir=parent or None))
    try:
        _configure(var_dir, eager=eager, demo=demo)
        yield var_dir
    finally:
        if keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def _configure(var_dir: Path, *, eager: bool, demo: bool) -> None:
    os.environ.update(
        VAR_DIR=str(var_dir), DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver,localhost", CELERY_TASK_ALWAYS_EAGER=str(eager).lower(),
        EMAIL_URL="dummymail://", LOG_LEVEL=os.environ.get("LOG_LEVEL", "ERROR"),
    )  # fmt: skip
    for name in ("DATABASE_URL", "SEARCH_URL", "CELERY_QUEUE_DIR", "REDIS_URL"):
        os.environ.pop(name, None)  # the embedded defaults
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise's STATIC_ROOT
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # DEBUG=true only lets settings start without a SECRET_KEY; run as production does, without
    # the query log (which would also keep every bulk insert's SQL in memory).
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if demo:
        call_command("seed_demo", stdout=io.StringIO())
        call_command("rebuild_index", quiet=True, verbosity=0)
