"""Haystack's Whoosh backend, made fit for a live service.

Haystack's stock backend is the source of the failures its users report (haystack#1556,
whoosh#369): it opens a fresh searcher and re-runs every narrowing filter as a full scored
search on each request, writes through `AsyncWriter` (a background thread that gives up
silently when the lock is held), and `rebuild_index` deletes the live index before refilling
it. This engine keeps haystack's API, so project code stays engine-neutral, and changes how:

- The live index is a directory that the `current` symlink under `SEARCH_URL` points at. A
  rebuild fills a new directory and swaps the symlink atomically; searches never see a
  half-built index, and a rebuild that dies leaves the old one in place.
- Writes take Whoosh's file lock with a timeout and retry, so contention means waiting, not
  an error or a lost update.
- Each thread keeps one searcher and refreshes it only when the index changed; narrowing
  filters become cached sets of document numbers instead of searches (`searchkit.reading`).
- Facets are counted from Whoosh list columns during the same search, and highlights are
  computed only for what a page shows.

Besides haystack's backend API it offers what the pipeline (`write_session`, `building`,
`document_versions`) and `searchkit.query` (`query`, `more_like`, `autocomplete`,
`spelling`, `analyze`, `knows`) call; the Elasticsearch engine offers the same.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.fields import FacetField
from haystack.utils import get_identifier
from whoosh.columns import VarBytesListColumn
from whoosh.fields import KEYWORD, STORED
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.qparser import QueryParser

from searchkit.codec import HuddleCodec
from searchkit.reading import WhooshReading

log = logging.getLogger(__name__)

CURRENT = "current"


class ExactValues(KEYWORD):
    """Exact values (ids, slugs) for filters and facets: never stemmed, comma-separated, and
    kept in a list column so that facets are counted from columns, not postings."""

    def __init__(self):
        super().__init__(stored=True, commas=True)
        self.column_type = VarBytesListColumn()  # KEYWORD's own `sortable` takes no type

    def to_column_value(self, value):
        return [part.strip().encode() for part in value.split(",") if part.strip()]


class IndexLocked(Exception):
    """Another writer held the index for longer than we were willing to wait."""


class LiveIndexDirectory:
    """The `current` symlink under `root` and the index directories it may point at.

    Several rebuilds may run at once (two operators, a deploy hook and a cron job). Each
    fills its own directory and holds a lock (`flock`) on it while it does, which the
    operating system releases if the process dies. Swapping the link and removing stale
    directories happen under a lock on `root`, so a cleanup never removes a directory that
    is being built or that has just become the live one. The locks are on the directories
    themselves: nothing but `current` and the indexes is ever kept in `root`.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def link(self) -> Path:
        return self.root / CURRENT

    def target(self) -> Path:
        return self.root / os.readlink(self.link)

    def ensure(self, create: Callable[[Path], object]) -> Path:
        """The live directory; the first call makes one, `create`s an empty index in it and
        only then points `current` at it, so a live directory always holds an index."""
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.link.is_symlink():
            with _locked(self.root):
                if not self.link.is_symlink():  # another process may have made it meanwhile
                    path = self._new_directory()
                    create(path)
                    self._swap(path)
        return self.target()

    @contextmanager
    def reserved(self) -> Iterator[Path]:
        """A new, empty index directory that no cleanup removes until the block ends: then
        it is either live (after `swap`) or stale, and the next cleanup removes it."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _locked(self.root):  # no cleanup runs between making it and locking it
            path = self._new_directory()
            building = _lock(path, blocking=True)
        try:
            yield path
        finally:
            os.close(building)

    def swap(self, directory: Path) -> None:
        """Point `current` at `directory` in one rename, which POSIX makes atomic."""
        with _locked(self.root):
            self._swap(directory)

    def remove_stale(self) -> list[Path]:
        """Delete every index directory but the live one and those being built: older
        indexes, and rebuilds that died half-way. Processes still reading an old one keep
        their open files (POSIX)."""
        removed = []
        with _locked(self.root):
            live = self.target().name
            for path in sorted(self.root.glob("index-*")):
                if path.name == live or not path.is_dir():
                    continue
                held = _lock(path, blocking=False)
                if held is None:
                    continue  # another rebuild is filling it
                try:
                    shutil.rmtree(path, ignore_errors=True)
                finally:
                    os.close(held)
                removed.append(path)
        return removed

    def _new_directory(self) -> Path:
        path = self.root / f"index-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path

    def _swap(self, directory: Path) -> None:
        tmp = self.root / f".{CURRENT}-{uuid.uuid4().hex}"
        tmp.symlink_to(directory.name)
        os.replace(tmp, self.link)


def _lock(directory: Path, *, blocking: bool) -> int | None:
    """An open descriptor of `directory` holding an exclusive `flock` on it, or None when
    another descriptor holds it and `blocking` is false. Each call opens the directory
    anew, so two threads of one process exclude each other as two processes do."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    fd = _lock(directory, blocking=True)
    try:
        yield
    finally:
        os.close(fd)


class HuddleWhooshBackend(WhooshReading, WhooshSearchBackend):
    lock_timeout = 10.0  # seconds one attempt waits for Whoosh's write lock
    lock_attempts = 6
    open_attempts = 8  # reads of the folder that may race a commit (see `open_index`)

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.directory = LiveIndexDirectory(self.path)
        self.include_spelling = True
        self._local = threading.local()

    # --- Schema and opening ------------------------------------------------------------

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if isinstance(field, FacetField):
                schema.remove(name)
                schema.add(name, ExactValues())
            elif not field.indexed and not field.is_multivalued:
                schema.remove(name)  # haystack would index it anyway
                schema.add(name, STORED())
        # Snippets come from the stored `snippet_field`; the document itself need not be kept.
        if self.snippet_field in schema:
            schema[content_field_name].stored = False
        return content_field_name, schema

    def setup(self):
        from haystack import connections

        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        # Haystack's own query-string API; Huddle's searches are compiled (searchkit.reading).
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.index = self.open_index(
            self.directory.ensure(lambda path: self.open_index(path, create=True))
        )
        self.setup_complete = True

    def open_index(self, path: Path, create: bool = False):
        storage = FileStorage(str(path))
        if create:
            return storage.create_index(self.schema)
        for attempt in range(self.open_attempts):
            try:
                return storage.open_index(schema=self.schema)
            except (EmptyIndexError, FileNotFoundError):
                # Whoosh finds the newest generation by listing the folder; a commit at that
                # moment renames the new table of contents in and deletes the old one, and the
                # listing can miss both (EmptyIndexError) or name one already gone. Read again.
                # Never create an index here: `create_index` clears the folder, and a live
                # directory always holds an index (`LiveIndexDirectory.ensure`).
                if attempt == self.open_attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def live_index(self):
        """The live index, reopened when a rebuild swapped the directory underneath us."""
        if not self.setup_complete:
            self.setup()
        target = self.directory.target()
        if Path(self.index.storage.folder) != target:
            self.index = self.open_index(target)
        return self.index

    # --- Writing -------------------------------------------------------------------------

    def writer(self, index=None):
        """Whoosh allows one writer: wait for the lock, retry with backoff, then give up
        with `IndexLocked` so the caller (a Celery task) can retry later."""
        index = index or self.live_index()
        for attempt in range(self.lock_attempts):
            try:
                return index.writer(timeout=self.lock_timeout, delay=0.05, codec=HuddleCodec())
            except LockError:
                log.info("Search index is locked; waiting (attempt %d)", attempt + 1)
                time.sleep(min(2**attempt * 0.1, 2.0))
        raise IndexLocked(f"The search index stayed locked for {self.lock_attempts} attempts.")

    def prepare(self, index, obj) -> dict:
        doc = index.full_prepare(obj)
        doc.pop("boost", None)  # document boosts are not supported by Whoosh >= 2.5
        return {key: self._from_python(value) for key, value in doc.items()}

    def update(self, index, iterable, commit=True):
        with self.write_session() as session:
            session.update(index, iterable)

    def remove(self, obj_or_string, commit=True):
        with self.write_session() as session:
            session.remove(get_identifier(obj_or_string))

    @contextmanager
    def write_session(self):
        """Hold the write lock around a read-then-write, committing on success."""
        writer = self.writer()
        try:
            yield _Session(self, writer)
            writer.commit()
        except BaseException:
            _abandon(writer)
            raise

    @contextmanager
    def building(self):
        """Yield `add(index, objs)` that fills a new index directory; on success the live
        link swaps to it in one rename, and the stale directories are removed. Another
        rebuild running at the same time keeps its directory; the last to finish is live."""
        self.live_index()  # opens (or creates) the live index, so there is one to swap out
        with self.directory.reserved() as fresh:
            writer = self.writer(self.open_index(fresh, create=True))

            def add(index, objs) -> None:
                for obj in objs:
                    writer.add_document(**self.prepare(index, obj))

            try:
                yield add
                writer.commit()
            except BaseException:
                _abandon(writer)
                shutil.rmtree(fresh, ignore_errors=True)
                raise
            self.directory.swap(fresh)
        self.directory.remove_stale()

    def clear(self, models=None, commit=True):
        """Clearing swaps in an empty index, so no reader ever sees a half-deleted one."""
        if not self.setup_complete:
            self.setup()
        with self.directory.reserved() as fresh:
            self.open_index(fresh, create=True)
            self.directory.swap(fresh)
        self.directory.remove_stale()
        self._local = threading.local()

    def document_versions(self, label: str) -> dict[int, str]:
        """{pk: version} of every document of model `label`: what reconcile compares."""
        with self.live_index().searcher() as searcher:
            return {
                int(stored[DJANGO_ID]): stored.get("version")
                for stored in searcher.documents(**{DJANGO_CT: label})
            }


def _abandon(writer) -> None:
    """Cancel a writer whose work or commit failed. A commit that raised leaves Whoosh's
    writer half-closed, and its `cancel` may raise in turn: the lock is released either way,
    or every later write would wait for a lock nobody holds."""
    if writer.is_closed:
        return
    try:
        writer.cancel()
    except Exception:
        if writer.writelock:
            writer.writelock.release()


class _Session:
    """Writes under one held lock (see `write_session`)."""

    def __init__(self, backend: HuddleWhooshBackend, writer):
        self.backend, self.writer = backend, writer

    def update(self, index, objs) -> None:
        for obj in objs:
            self.writer.update_document(**self.backend.prepare(index, obj))

    def remove(self, identifier: str) -> None:
        self.writer.delete_by_term(ID, identifier)


class HuddleWhooshEngine(BaseEngine):
    backend = HuddleWhooshBackend
    query = WhooshSearchQuery
