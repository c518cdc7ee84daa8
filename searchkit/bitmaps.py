"""Hit counts and facet counts from bitmaps of document numbers.

Counting facets by reading each hit's list column costs ~17 µs a hit, most of a page when a
common word matches most of a large index. Here every term, facet value and filter the
searches need becomes a bitmap (a Python int, bit n = document n) once per index segment,
and a search's hits, total and facet counts are `&` and `int.bit_count()` over them.

Bitmaps are built per segment and keyed by the segment's id and its number of deletions.
A segment's documents never change, and Whoosh only ever adds deletions to it, so a key
names one exact set of live documents: a commit that adds a small segment or deletes a few
documents builds bitmaps for what changed and reuses the rest, and a key whose segment was
merged away or swapped out by a rebuild is simply never asked for again (the cache is a
bounded LRU). Deleted documents are never in a bitmap: segment postings already skip them.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np
from whoosh import query as wq


def bits_of(docnums: Iterable[int]) -> int:
    """The bitmap of `docnums` (numpy sets the bits; a loop over `1 << n` is ~20 times slower)."""
    ids = np.fromiter(docnums, dtype=np.int64)
    if not ids.size:
        return 0
    flags = np.zeros(int(ids.max()) + 1, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def docnums_of(bits: int) -> set[int]:
    """The document numbers set in `bits`."""
    if not bits:
        return set()
    raw = np.frombuffer(bits.to_bytes((bits.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return set(np.flatnonzero(np.unpackbits(raw, bitorder="little")).tolist())


class SegmentCache:
    """Bounded LRU of segment-relative bitmaps shared by every thread's searcher."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build: Callable[[], object]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: two threads may build the same value, both right
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


SEGMENTS = SegmentCache()


def _segment_key(folder, reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return None  # an empty index's reader: no documents, nothing to cache
    # A segment's name is random, and a name can come back (a process whose `random` was
    # seeded alike, a rebuilt index): the segment file's inode and modification time tell a
    # new segment of an old name apart, and the deleted set itself, not its size, says which
    # documents are gone. A bitmap is never read for documents it was not built from.
    try:
        stat = os.stat(os.path.join(folder, segment.make_filename(".seg")))
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        identity = object()  # not a compound segment: built again for each searcher
    deleted = hash(frozenset(segment.deleted_docs()))
    return folder, segment.segment_id(), identity, segment.doc_count_all(), deleted


class Bitmaps:
    """The bitmaps of one opened searcher (one index generation): made with the searcher and
    dropped with it, so its own combined bitmaps can never outlive the index they describe."""

    def __init__(self, searcher, folder: str, cache: SegmentCache = SEGMENTS):
        self.cache = cache
        self.leaves = [
            (leaf, offset, _segment_key(folder, leaf.reader()))
            for leaf, offset in searcher.leaf_searchers()
        ]
        self._values: dict[str, dict[str, int]] = {}

    # --- Building ----------------------------------------------------------------------

    def _combined(self, name, build: Callable) -> int:
        """OR of every segment's bitmap for `name`, shifted to the searcher's numbering."""
        bits = 0
        for leaf, offset, key in self.leaves:
            if key is None:
                continue
            bits |= self.cache.get((key, name), lambda leaf=leaf: build(leaf)) << offset
        return bits

    def live(self) -> int:
        return self._combined(("live",), lambda leaf: bits_of(leaf.reader().all_doc_ids()))

    def term(self, field: str, text) -> int:
        text = text.decode() if isinstance(text, bytes) else text
        return self._combined(("term", field, text), lambda leaf: _postings(leaf, field, text))

    def matching(self, q) -> int:
        """The documents `q` matches (scores aside), from term bitmaps where the query is
        boolean algebra over terms; anything else (phrases, ranges) from its own matcher."""
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, wq.And):
            bits = -1
            for sub in q.subqueries:
                bits &= self.matching(sub)
                if not bits:
                    break
            return max(bits, 0)
        if isinstance(q, wq.Or) and not getattr(q, "minmatch", 0):
            bits = 0
            for sub in q.subqueries:
                bits |= self.matching(sub)
            return bits
        if isinstance(q, wq.AndMaybe):  # the optional part only ranks
            return self.matching(q.a)
        if isinstance(q, wq.AndNot):
            return self.matching(q.a) & ~self.matching(q.b)
        if isinstance(q, wq.Every):
            return self.live()
        if q is wq.NullQuery:
            return 0
        # A phrase can only match where all its words are: its matcher is skipped otherwise.
        if isinstance(q, wq.Phrase) and not self.matching(
            wq.And([wq.Term(q.fieldname, w) for w in q.words])
        ):
            return 0
        return self._combined(("query", repr(q)), lambda leaf: bits_of(q.docs(leaf)))

    def filtered(self, item, q) -> int:
        """The bitmap of one narrowing filter (`item` names it, `q` finds its documents)."""
        return self._combined(("filter", item), lambda leaf: bits_of(q.docs(leaf)))

    # --- Facets ------------------------------------------------------------------------

    def values(self, field: str) -> dict[str, int]:
        """{value: bitmap} of every value of the facet field that a live document has."""
        if field not in self._values:
            combined: dict[str, int] = {}
            for leaf, offset, key in self.leaves:
                if key is None:
                    continue
                per_value = self.cache.get(
                    (key, ("values", field)), lambda leaf=leaf: _values(leaf, field)
                )
                for value, bits in per_value.items():
                    combined[value] = combined.get(value, 0) | bits << offset
            self._values[field] = combined
        return self._values[field]

    def facet(self, field: str, hits: int) -> list[tuple[str, int]]:
        """(value, number of `hits` that have it), most first, then by value."""
        counts = [(value, (hits & bits).bit_count()) for value, bits in self.values(field).items()]
        return sorted(((v, n) for v, n in counts if n), key=lambda item: (-item[1], item[0]))


def _postings(leaf, field: str, text: str) -> int:
    reader = leaf.reader()
    if (field, text) not in reader:
        return 0
    return bits_of(reader.postings(field, text).all_ids())


def _values(leaf, field: str) -> dict[str, int]:
    reader = leaf.reader()
    if field not in reader.schema:
        return {}
    per_value = {}
    for raw in reader.lexicon(field):
        value = raw.decode() if isinstance(raw, bytes) else raw
        if bits := bits_of(reader.postings(field, raw).all_ids()):
            per_value[value] = bits
    return per_value
