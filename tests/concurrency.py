"""Running the same work in several threads at once, each on its own database connection:
how the tests race requests and services (truly parallel on PostgreSQL; SQLite serialises
the writes, which the same assertions must survive)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_in_threads(target: Callable[[int], object], count: int) -> list:
    """Run `target(i)` for i in range(count) in threads started together; return the
    results in order, re-raising the first failure."""
    barrier, errors, results = threading.Barrier(count), [], [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [t for t in threads if t.is_alive()], "a thread is still running"
    if errors:
        raise errors[0]
    return results
