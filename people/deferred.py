"""Write-behind buffers: records that read pages produce (a search, an article view) are kept
in a durable queue and written to the database in bulk by a Celery task, so a reader never
waits for the database's write lock (SQLite runs every transaction as BEGIN IMMEDIATE).

A buffer is a Redis list when `REDIS_URL` is set, else one small file per record in a folder
under `VAR_DIR`. Either survives the worker being down for as long as it is down: records
wait in the buffer, not in task messages that expire.

Each app owns its stream, its flush task and its handler (`Buffer("search.log")`,
`search.tasks.search_logs_flush`). The handler gets a batch of records in order and writes
them; it must be idempotent (unique keys, upserts, conditional updates), because a flush
that dies after writing (all or part of a batch) and before dropping the batch from the
buffer writes that batch again next time. So no transaction is needed around a batch, and
none is taken: a flush costs its inserts and nothing else. Flushes of one stream never run
at once (a lock), so the batch a flush drops is always the one it wrote.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from functools import cache
from hashlib import blake2b
from pathlib import Path

from django.conf import settings
from django.db import connection

BATCH_SIZE = 500
LOCK_SECONDS = 120  # a flush holding the lock longer than this is taken to have died
# A flush is asked for once per this many seconds at most (beat runs the rest).
SOON_SECONDS = 2


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def _database_tag() -> str:
    # One buffer per database, so two deployments (or two test databases) sharing a Redis or
    # a folder never write each other's records.
    name = str(connection.settings_dict.get("NAME") or "")
    return blake2b(name.encode(), digest_size=6).hexdigest()


class Buffer:
    """One stream of records (JSON-serialisable dicts), appended by requests and drained in
    order by `flush`."""

    def __init__(self, stream: str):
        self.stream = stream

    # --- appending (web requests) ----------------------------------------------------------

    def append(self, record: dict, *, flush_soon: Callable[[], None] | None = None) -> None:
        """Keep `record` for the next flush; `flush_soon` (a task's `delay`) is called when no
        flush has been asked for in the last few seconds."""
        data = json.dumps(record, separators=(",", ":"))
        if url := settings.REDIS_URL:
            client = _redis(url)
            client.rpush(self._key(), data)
            asked = flush_soon and client.set(self._key("soon"), 1, nx=True, ex=SOON_SECONDS)
        else:
            folder = self._folder()
            # Written aside and renamed in, so a flush never reads half a record; the name
            # sorts by time, so the folder drains in order.
            name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
            tmp = folder / f".{name}.tmp"
            tmp.write_text(data)
            os.replace(tmp, folder / f"{name}.json")
            asked = flush_soon and self._claim_soon_file(folder)
        if asked and flush_soon and settings.DEFERRED_WRITES_FLUSH_SOON:
            flush_soon()

    def _claim_soon_file(self, folder: Path) -> bool:
        marker = folder / ".soon"
        for _ in range(2):
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return True
            except FileExistsError:
                try:
                    if time.time() - marker.stat().st_mtime < SOON_SECONDS:
                        return False
                    marker.unlink()  # a flush asked for long ago and never run: ask again
                except FileNotFoundError:
                    pass
        return False

    # --- draining (the worker) -------------------------------------------------------------

    def flush(self, handler: Callable[[list[dict]], None], *, batch_size: int = BATCH_SIZE) -> int:
        """Write everything buffered through `handler`, a batch at a time; returns how
        many records were written. Waits for a flush of the same stream already running."""
        written = 0
        with self._lock():
            self._forget_soon()
            while True:
                batch, taken = self._peek(batch_size)
                if not batch:
                    break
                handler(batch)
                self._drop(taken)
                written += len(batch)
        return written

    def __len__(self) -> int:
        if url := settings.REDIS_URL:
            return _redis(url).llen(self._key())
        return len(self._files())

    def peek(self, count: int = BATCH_SIZE) -> list[dict]:
        """The oldest `count` records still waiting for a flush."""
        return self._peek(count)[0]

    def discard(self) -> None:
        """Drop every buffered record (tests and `flush` of a database that is gone)."""
        if url := settings.REDIS_URL:
            _redis(url).delete(self._key(), self._key("soon"))
        else:
            for path in self._files():
                path.unlink(missing_ok=True)

    def _peek(self, count: int) -> tuple[list[dict], int | list[Path]]:
        """The oldest `count` records, and what `_drop` needs to remove them."""
        if url := settings.REDIS_URL:
            rows = _redis(url).lrange(self._key(), 0, count - 1)
            return [json.loads(row) for row in rows], len(rows)
        paths = self._files()[:count]
        return [json.loads(path.read_text()) for path in paths], paths

    def _drop(self, taken: int | list[Path]) -> None:
        if url := settings.REDIS_URL:
            # Only this flush removes from the head (the lock); requests push at the tail.
            _redis(url).ltrim(self._key(), taken, -1)
        else:
            for path in taken:
                path.unlink(missing_ok=True)

    def _forget_soon(self) -> None:
        # Cleared before reading, so a record appended during this flush asks for another.
        if url := settings.REDIS_URL:
            _redis(url).delete(self._key("soon"))
        else:
            (self._folder() / ".soon").unlink(missing_ok=True)

    @contextmanager
    def _lock(self):
        if url := settings.REDIS_URL:
            lock = _redis(url).lock(self._key("lock"), timeout=LOCK_SECONDS, blocking_timeout=60)
            if not lock.acquire():
                raise TimeoutError(f"Another flush of {self.stream} is still running.")
            try:
                yield
            finally:
                lock.release()
            return
        # An open file's lock is released by the kernel when its process dies.
        with open(self._folder() / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _key(self, suffix: str = "") -> str:
        return ":".join(filter(None, ("huddle:deferred", _database_tag(), self.stream, suffix)))

    def _folder(self) -> Path:
        folder = Path(settings.VAR_DIR) / "deferred" / _database_tag() / self.stream
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _files(self) -> list[Path]:
        return sorted(self._folder().glob("*.json"))
