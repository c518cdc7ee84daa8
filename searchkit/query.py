"""Engine-neutral searching: the shapes of a query and of its answer, and the calls the
`search` app (or any app) makes. Each engine compiles these shapes itself (Whoosh query
objects in `searchkit.reading`, a query string for Elasticsearch), so no app imports an
engine or branches on one.

Every call narrows by the reader's principals (`searchkit.audience`), so a document is only
ever found by the people its index's audience admits; `readable_objects` then asks the
database, which has the last word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from haystack import connections

from searchkit.audience import principals
from searchkit.indexes import registered


@dataclass(frozen=True)
class Alternative:
    """One way to say a term: typed words weigh 1; synonyms and other forms weigh less.
    Text of several words is a phrase."""

    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Clause:
    """One term of the query and its alternatives; a required clause must match."""

    alternatives: tuple[Alternative, ...]
    required: bool = False


@dataclass(frozen=True)
class TextQuery:
    """Clauses matched in the document text and (weighted `title_weight`) in the title.
    Optional clauses are ORed with a bonus for documents that match all of them, so a
    question-style query still finds what matches most of its words, best first."""

    clauses: tuple[Clause, ...]
    title_weight: float = 3.0
    coordination: float = 1.0
    # An optional clause found in more than this share of documents ("customer" in a
    # customer-service knowledge base) only ranks what the rarer clauses find, as
    # Elasticsearch's common-terms query does; alone, it still matches.
    common_share: float = 0.3

    def __bool__(self) -> bool:
        return bool(self.clauses)


@dataclass(frozen=True)
class Filter:
    """Documents whose `field` holds any of `values` (exact values: ids, slugs)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Since:
    """Documents whose date `field` is at or after `start`."""

    field: str
    start: datetime


@dataclass(frozen=True)
class Hit:
    label: str  # "kb.article"
    pk: int
    score: float = 0.0
    snippet: str = ""  # HTML: the text escaped, matched words in <mark>
    fields: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Page:
    hits: tuple[Hit, ...] = ()
    total: int = 0
    facets: dict = field(default_factory=dict)  # field -> [(value, count)], most first


def _engine():
    return connections["default"].get_backend()


def audience_filter(user) -> Filter:
    return Filter("audience", tuple(sorted(principals(user))))


def search(
    *,
    user,
    text: TextQuery | None,
    filters: Sequence[Filter | Since] = (),
    facets: Sequence[str] = (),
    sort: str | None = None,
    page: int = 1,
    per_page: int = 10,
    highlight: bool = True,
) -> Page:
    """One page of what `user` may find; `text` None lists everything (by `sort`)."""
    return _engine().query(
        text,
        filters=(audience_filter(user), *filters),
        facets=tuple(facets),
        sort=sort,
        page=page,
        per_page=per_page,
        highlight=highlight,
    )


def count(*, user, text: TextQuery, filters: Sequence[Filter | Since] = ()) -> int:
    """How many documents `user` may find, without reading any."""
    return search(user=user, text=text, filters=filters, per_page=1, highlight=False).total


def more_like_this(*, user, obj, limit: int = 5, models: Sequence[str] = ()) -> list[Hit]:
    """The documents closest to `obj` by words, title, tags and category; with `models`,
    only documents of those models ("kb.article")."""
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    filters = [audience_filter(user)]
    if models:
        filters.append(Filter("django_ct", tuple(models)))
    return _engine().more_like(f"{label}.{obj.pk}", filters=tuple(filters), limit=limit)


def autocomplete(*, user, words: Sequence[str], limit: int = 8) -> list[Hit]:
    """Documents whose title has a word starting with each of `words`."""
    return _engine().autocomplete(tuple(words), filters=(audience_filter(user),), limit=limit)


def spelling(text: str) -> str | None:
    """The query with each unknown word replaced by the likeliest known one, or None."""
    return _engine().spelling(text)


def analyze(text: str) -> list[str]:
    """The index terms of `text` (stemmed, stop words dropped) as the engine makes them."""
    return _engine().analyze(text)


def knows(word: str) -> bool:
    """Whether the index holds `word` (in any form that stems like it)."""
    return _engine().knows(word)


def readable_objects(hits: Sequence[Hit], user) -> list[tuple[Hit, object]]:
    """(hit, row) for the hits `user` may open, in order, one query per model: the database
    re-checks what the index says, so a stale document never shows what it should not."""
    indexes = registered()
    rows: dict[str, dict] = {}
    for label in dict.fromkeys(hit.label for hit in hits):
        pks = [hit.pk for hit in hits if hit.label == label]
        rows[label] = indexes[label].readable(user).in_bulk(pks) if label in indexes else {}
    return [(hit, rows[hit.label][hit.pk]) for hit in hits if hit.pk in rows[hit.label]]
