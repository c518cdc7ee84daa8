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
  filters become cached sets of document numbers instead of searches.
- Facets are counted from Whoosh list columns during the same search, and highlights and
  spelling suggestions are computed only for what a page shows.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.fields import FacetField
from haystack.models import SearchResult
from haystack.utils import get_identifier
from haystack.utils.app_loading import haystack_get_model
from whoosh import highlight as whoosh_highlight
from whoosh.columns import VarBytesListColumn
from whoosh.fields import KEYWORD, STORED
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.searching import ResultsPage
from whoosh.sorting import Count, FieldFacet

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
    """The `current` symlink under `root` and the index directories it may point at."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @property
    def link(self) -> Path:
        return self.root / CURRENT

    def target(self) -> Path:
        return self.root / os.readlink(self.link)

    def ensure(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.link.is_symlink():
            self.swap(self.new_directory())
        return self.target()

    def new_directory(self) -> Path:
        path = self.root / f"index-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        return path

    def swap(self, directory: Path) -> None:
        """Point `current` at `directory` in one rename, which POSIX makes atomic."""
        tmp = self.root / f".{CURRENT}-{uuid.uuid4().hex}"
        tmp.symlink_to(directory.name)
        os.replace(tmp, self.link)

    def remove_stale(self) -> list[Path]:
        """Delete every index directory but the live one: older indexes, and rebuilds that
        died half-way. Processes still reading an old one keep their open files (POSIX)."""
        live = self.target().name
        stale = [p for p in self.root.glob("index-*") if p.is_dir() and p.name != live]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        return stale


class HuddleWhooshBackend(WhooshSearchBackend):
    lock_timeout = 10.0  # seconds one attempt waits for Whoosh's write lock
    lock_attempts = 6
    filter_cache_size = 128
    spelling_below = 5  # suggest a spelling only when a search finds fewer hits than this
    snippet_field = "body"  # stored text that highlighted snippets are cut from
    snippet_chars = 3000

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
        self.parser = self._make_parser()
        self.index = self.open_index(self.directory.ensure())
        self.setup_complete = True

    def _make_parser(self):
        from whoosh.qparser import FuzzyTermPlugin, QueryParser

        parser = QueryParser(self.content_field_name, schema=self.schema)
        parser.add_plugins([FuzzyTermPlugin])
        return parser

    def open_index(self, path: Path, create: bool = False):
        storage = FileStorage(str(path))
        if create:
            return storage.create_index(self.schema)
        try:
            return storage.open_index(schema=self.schema)
        except EmptyIndexError:
            return storage.create_index(self.schema)

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
                return index.writer(timeout=self.lock_timeout, delay=0.05)
            except LockError:
                log.info("Search index is locked; waiting (attempt %d)", attempt + 1)
                time.sleep(min(2**attempt * 0.1, 2.0))
        raise IndexLocked(f"The search index stayed locked for {self.lock_attempts} attempts.")

    def prepare(self, index, obj) -> dict:
        doc = index.full_prepare(obj)
        doc.pop("boost", None)  # document boosts are not supported by Whoosh >= 2.5
        return {key: self._from_python(value) for key, value in doc.items()}

    def update(self, index, iterable, commit=True, writer=None):
        own_writer = writer is None
        # Read the rows only once the lock is held, so an earlier read never lands last.
        writer = writer or self.writer()
        objs = list(iterable)
        try:
            for obj in objs:
                writer.update_document(**self.prepare(index, obj))
        except BaseException:
            if own_writer:
                writer.cancel()
            raise
        if own_writer:
            writer.commit()

    def remove(self, obj_or_string, commit=True, writer=None):
        own_writer = writer is None
        writer = writer or self.writer()
        writer.delete_by_term(ID, get_identifier(obj_or_string))
        if own_writer:
            writer.commit()

    @contextmanager
    def locked_writer(self):
        """Hold the write lock around a read-then-write, committing on success."""
        writer = self.writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove_many(self, identifiers) -> None:
        writer = self.writer()
        for identifier in identifiers:
            writer.delete_by_term(ID, identifier)
        writer.commit()

    def clear(self, models=None, commit=True):
        """Clearing swaps in an empty index, so no reader ever sees a half-deleted one."""
        if not self.setup_complete:
            self.setup()
        fresh = self.directory.new_directory()
        self.open_index(fresh, create=True)
        self.directory.swap(fresh)
        self.directory.remove_stale()
        self._local = threading.local()

    def stored_documents(self, fields: tuple[str, ...]):
        """(django_id, {field: value}) for every document: what the reconcile compares."""
        with self.live_index().searcher() as searcher:
            for stored in searcher.all_stored_fields():
                yield stored[DJANGO_ID], {name: stored.get(name) for name in fields}

    # --- Reading ---------------------------------------------------------------------------

    def _searcher(self):
        """This thread's searcher, refreshed only when the index has changed. A rebuild may
        swap and delete the directory between reading the link and opening it: read again."""
        for attempt in range(3):
            try:
                return self._current_searcher()
            except (EmptyIndexError, FileNotFoundError):
                self._local.searcher = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _current_searcher(self):
        index = self.live_index()
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None or local.folder != index.storage.folder:
            searcher, local.folder = index.searcher(), index.storage.folder
        elif not searcher.up_to_date():
            # refresh() closes the readers it does not reuse itself; closing the old searcher
            # again would raise ReaderClosed.
            searcher = searcher.refresh()
        if searcher is not getattr(local, "searcher", None):
            local.searcher, local.filters = searcher, OrderedDict()
        return searcher

    def _allowed(self, searcher, narrow_queries) -> set | None:
        """Document numbers matching every narrowing query, each set cached per searcher."""
        allowed = None
        for text in sorted(narrow_queries or ()):
            docs = self._local.filters.get(text)
            if docs is None:
                docs = set(searcher.docs_for_query(self.parser.parse(text)))
                self._local.filters[text] = docs
                if len(self._local.filters) > self.filter_cache_size:
                    self._local.filters.popitem(last=False)
            allowed = docs if allowed is None else allowed & docs
        return allowed

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        highlight=False,
        facets=None,
        narrow_queries=None,
        spelling_query=None,
        result_class=None,
        **kwargs,
    ):
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        query_string = str(query_string or "").strip()
        if not query_string:
            return empty
        searcher = self._searcher()
        parsed = self.parser.parse(query_string)
        if parsed is None:
            return empty
        allowed = self._allowed(searcher, narrow_queries)
        if allowed is not None and not allowed:
            return empty
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        options = {"filter": allowed}
        if sort_by:
            options["sortedby"] = [field.lstrip("-") for field in sort_by]
            options["reverse"] = sort_by[0].startswith("-")
        if facets:
            options["groupedby"] = {
                name: FieldFacet(name, allow_overlap=True, maptype=Count) for name in facets
            }
        results = searcher.search(parsed, limit=page_num * page_length, **options)
        page = ResultsPage(results, page_num, page_length)
        if page.pagenum < page_num:  # Whoosh returns the last page for one past the end
            page = []
        hits = len(results)
        terms = self._highlight_terms(parsed) if highlight else None
        return {
            "results": [
                self._result(hit, page.score(i), terms, result_class) for i, hit in enumerate(page)
            ]
            if page
            else [],
            "hits": hits,
            "facets": {"fields": self._facets(results, facets)} if facets else {},
            "spelling_suggestion": (
                self.create_spelling_suggestion(spelling_query or query_string, searcher)
                if hits < self.spelling_below
                else None
            ),
        }

    def _facets(self, results, facets) -> dict:
        counts = {}
        for name in facets:
            groups = results.groups(name)
            counts[name] = sorted(
                (
                    (key.decode() if isinstance(key, bytes) else key, n)
                    for key, n in groups.items()
                    if key is not None
                ),
                key=lambda item: (-item[1], item[0]),
            )
        return counts

    def _highlight_terms(self, parsed) -> frozenset:
        return frozenset(
            text.decode() if isinstance(text, bytes) else text
            for field, text in parsed.iter_all_terms()
            if field == self.content_field_name
        )

    def _result(self, hit, score, terms, result_class) -> SearchResult:
        from haystack import connections

        stored = hit.fields()
        app_label, model_name = stored[DJANGO_CT].split(".")
        index = (
            connections[self.connection_alias]
            .get_unified_index()
            .get_index(haystack_get_model(app_label, model_name))
        )
        fields = {}
        for key, value in stored.items():
            if key in (DJANGO_CT, DJANGO_ID):
                continue
            field = index.fields.get(key)
            if field is not None and field.is_multivalued:
                fields[key] = [v for v in (value or "").split(",") if v]
            elif field is not None and hasattr(field, "convert"):
                fields[key] = field.convert(value)
            else:
                fields[key] = self._to_python(value)
        if terms is not None:
            fields["highlighted"] = {self.content_field_name: [self.snippet(hit, terms)]}
        return (result_class or SearchResult)(
            app_label, model_name, stored[DJANGO_ID], score, **fields
        )

    def snippet(self, hit, terms) -> str:
        """Up to three fragments around the matched words in `<mark>`, the text escaped."""
        # Highlighting analyses (stems) the whole text; the head of an article is enough for
        # a snippet and keeps a page of long articles fast.
        text = (hit.get(self.snippet_field) or hit.get(self.content_field_name) or "")[
            : self.snippet_chars
        ]
        analyzer = self.schema[self.content_field_name].analyzer
        html = whoosh_highlight.highlight(
            text,
            terms,
            analyzer,
            whoosh_highlight.ContextFragmenter(maxchars=160, surround=60),
            whoosh_highlight.HtmlFormatter(tagname="mark", between=" … "),
            top=3,
        )
        return html or ""

    def create_spelling_suggestion(self, query_string, searcher=None):
        """A correction for each word Whoosh does not know, from the words in the index
        (unstemmed); None when every word is already known."""
        searcher = searcher or self._searcher()
        corrector = searcher.reader().corrector(self.content_field_name)
        words = [w for w in "".join(c if c.isalnum() else " " for c in query_string).split()]
        suggested = []
        reader, field = searcher.reader(), self.content_field_name
        analyzer = self.schema[field].analyzer
        for word in words:
            lowered = word.lower()
            # A word the index knows (or a stop word, which it drops) is not a typo, however
            # much more frequent a neighbour is.
            if all((field, token.text) in reader for token in analyzer(lowered)):
                suggested.append(lowered)
                continue
            found = corrector.suggest(lowered, limit=1, maxdist=2, prefix=1)
            suggested.append(found[0] if found else lowered)
        suggestion = " ".join(suggested)
        return suggestion if suggested and suggestion != " ".join(words).lower() else None

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        narrow_queries=None,
        result_class=None,
        **kwargs,
    ):
        searcher = self._searcher()
        narrow = set(narrow_queries or ())
        if additional_query_string and additional_query_string != "*":
            narrow.add(additional_query_string)
        allowed = self._allowed(searcher, narrow)
        docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
        if docnum is None or (allowed is not None and not allowed):
            return {"results": [], "hits": 0}
        top = end_offset or 10
        # Key terms come from the stored snippet text (title + body), analysed like the
        # document field, so the index needs no term vectors.
        stored = searcher.stored_fields(docnum)
        text = " ".join(str(stored.get(name) or "") for name in ("title", self.snippet_field))
        similar = searcher.more_like(
            docnum, self.content_field_name, text=text, top=top, numterms=12, filter=allowed
        )
        hits = list(similar)[start_offset or 0 : top]
        return {
            "results": [self._result(hit, hit.score, None, result_class) for hit in hits],
            "hits": len(hits),
        }


class HuddleWhooshSearchQuery(WhooshSearchQuery):
    def run_mlt(self, **kwargs):
        # Haystack drops narrow queries for more-like-this; keep them, so the similar
        # articles are chosen among those the reader may open.
        if self.narrow_queries:
            kwargs.setdefault("narrow_queries", self.narrow_queries)
        return super().run_mlt(**kwargs)


class HuddleWhooshEngine(BaseEngine):
    backend = HuddleWhooshBackend
    query = HuddleWhooshSearchQuery
