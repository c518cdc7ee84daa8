"""The search page's read: one selector that runs a search and changes nothing (logging it
is the view's job)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

import nh3
from django.utils import timezone

from search import query as search_query
from searchkit import query as engine
from searchkit.indexes import registered

PAGE_SIZE = 10
FACETS = ("type", "category", "tags", "teams")
SINCE_DAYS = (7, 30, 90, 365)
SORTS = {"relevance": None, "newest": "-updated", "helpful": "-helpful"}


@dataclass(frozen=True)
class SearchParams:
    """What a search asks for, already validated (see `search.forms.SearchForm`)."""

    q: str = ""
    type: str = ""
    category: str = ""  # a category slug
    tag: str = ""  # a tag slug
    team: int | None = None
    since: int | None = None  # days
    sort: str = "relevance"  # or "newest", "helpful"
    page: int = 1
    verbatim: bool = False  # search exactly what was typed, never a correction
    # Only documents of these models ("kb.article"); empty: every indexed model.
    models: tuple[str, ...] = ()

    @property
    def filters(self) -> dict:
        values = {
            "type": self.type,
            "category": self.category,
            "tag": self.tag,
            "team": self.team,
            "since": self.since,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class Result:
    """One shown result: the row, its highlighted snippet, its rank on the page and the
    template that renders its model (`search/results/<app>_<model>.html`)."""

    object: object
    snippet: str
    rank: int
    template: str


@dataclass(frozen=True)
class SearchOutcome:
    params: SearchParams
    results: tuple[Result, ...] = ()
    total: int = 0
    page: int = 1
    facets: dict = field(default_factory=dict)  # facet -> [(value, count)]
    corrected: str = ""  # the corrected query whose results are shown instead of `params.q`

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))

    @property
    def start_rank(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def shown_query(self) -> str:
        return self.corrected or self.params.q


def _filters(params: SearchParams) -> list:
    # Filter values are validated choices, slugs and ids.
    filters = [
        engine.Filter(name, (str(value),))
        for name, value in (("type", params.type), ("category", params.category),
                            ("tags", params.tag), ("teams", params.team))
        if value
    ]  # fmt: skip
    if params.models:
        filters.append(engine.Filter("django_ct", params.models))
    if params.since:
        filters.append(engine.Since("updated", timezone.now() - timedelta(days=params.since)))
    return filters


def _page(user, params: SearchParams, text: str, page: int) -> engine.Page:
    parsed = search_query.parse(text)
    text_query = search_query.build(parsed, match_all=params.sort != "relevance")
    if text_query is None and not params.filters:
        return engine.Page()
    return engine.search(
        user=user,
        text=text_query,
        filters=_filters(params),
        facets=FACETS,
        sort=SORTS.get(params.sort) or ("-updated" if text_query is None else None),
        page=page,
        per_page=PAGE_SIZE,
    )


def _correction(user, params: SearchParams, found: engine.Page) -> tuple[str, engine.Page]:
    """The corrected query and what it finds, when a typed word is unknown to the index (so
    it found nothing, or only what the other words find) and the correction finds at least
    as much. The correction comes from the whole index, so it is used only when it finds
    documents `user` may read; `verbatim` and quoted phrases are searched as typed."""
    corrected = "" if params.verbatim else search_query.correct(params.q)
    if not corrected:
        return "", found
    better = _page(user, params, corrected, params.page)
    return (corrected, better) if better.total >= max(found.total, 1) else ("", found)


def document_search(*, user, params: SearchParams) -> SearchOutcome:
    """One page of what `user` may read that matches `params`: ranked results with snippets,
    facet counts, and the corrected query when a typo was fixed. A page past the end shows
    the last page."""
    found = _page(user, params, params.q, params.page)
    corrected, found = _correction(user, params, found)
    text = corrected or params.q
    page = params.page
    last = max(1, math.ceil(found.total / PAGE_SIZE))
    if page > last:
        page, found = last, _page(user, params, text, last)
    indexes = registered()
    start = (page - 1) * PAGE_SIZE + 1
    readable = engine.readable_objects(found.hits, user)
    for label in dict.fromkeys(hit.label for hit, _ in readable):
        indexes[label].result_rows([row for hit, row in readable if hit.label == label])
    results = tuple(
        Result(
            object=row,
            # Only the highlight markup survives, whatever the engine marks with.
            snippet=nh3.clean(hit.snippet, tags={"mark", "em"}, attributes={}),
            rank=start + i,
            template=indexes[hit.label].result_template,
        )
        for i, (hit, row) in enumerate(readable)
    )
    return SearchOutcome(
        params=params,
        results=results,
        total=found.total,
        page=page,
        facets=found.facets,
        corrected=corrected,
    )
