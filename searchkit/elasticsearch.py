"""The same engine interface over haystack's Elasticsearch 7 / OpenSearch backend, for
`SEARCH_URL=http(s)://…` (install with `pip install ".[elasticsearch]"`).

Elasticsearch orders its own writes and keeps serving while documents are replaced, so a
write session writes directly and a rebuild updates in place (the reconcile after it removes
what no longer belongs). Queries are compiled to Lucene query-string syntax, which carries the
same boosts and phrases as the Whoosh compilation.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.apps import apps
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)
from haystack.constants import DJANGO_CT, DJANGO_ID
from haystack.query import SearchQuerySet

from searchkit.query import Filter, Hit, Page, Since, TextQuery

SPECIAL = str.maketrans({c: f"\\{c}" for c in '+-=&|><!(){}[]^"~*?:\\/'})


def _quoted(text: str) -> str:
    return '"{}"'.format(text.replace("\\", "\\\\").replace('"', '\\"'))


def compile_text(text: TextQuery, content_field: str = "text", title_field: str = "title") -> str:
    clauses = []
    for clause in text.clauses:
        alternatives = " OR ".join(
            f"{field}:{_quoted(alt.text)}^{alt.weight * weight:g}"
            for alt in clause.alternatives
            for field, weight in ((content_field, 1.0), (title_field, text.title_weight))
        )
        clauses.append(f"{'+' if clause.required else ''}({alternatives})")
    return " ".join(clauses)


def compile_filter(item: Filter | Since) -> str:
    if isinstance(item, Since):
        return f"{item.field}:[{item.start.isoformat()} TO *]"
    return "{}:({})".format(item.field, " OR ".join(_quoted(v) for v in item.values))


class _Session:
    def __init__(self, backend):
        self.backend = backend

    def update(self, index, objs) -> None:
        self.backend.update(index, list(objs))

    def remove(self, identifier: str) -> None:
        self.backend.remove(identifier)


class HuddleElasticsearchBackend(Elasticsearch7SearchBackend):
    @contextmanager
    def write_session(self):
        yield _Session(self)

    @contextmanager
    def building(self):
        yield lambda index, objs: self.update(index, list(objs))

    def document_versions(self, label: str) -> dict[int, str]:
        sqs = SearchQuerySet().filter(**{DJANGO_CT: label})
        return {int(pk): version for pk, version in sqs.values_list(DJANGO_ID, "version")}

    def query(self, text, *, filters, facets, sort, page, per_page, highlight) -> Page:
        found = self.search(
            compile_text(text) if text is not None else "*:*",
            narrow_queries={compile_filter(item) for item in filters},
            facets={name: {} for name in facets} or None,
            sort_by=[sort] if sort else None,
            start_offset=(page - 1) * per_page,
            end_offset=page * per_page,
            highlight=highlight,
        )
        return Page(
            hits=tuple(self._hit(result) for result in found["results"]),
            total=found["hits"],
            facets=found.get("facets", {}).get("fields", {}),
        )

    def _hit(self, result) -> Hit:
        snippet = (getattr(result, "highlighted", None) or [""])[0]
        return Hit(
            label=f"{result.app_label}.{result.model_name}",
            pk=int(result.pk),
            score=result.score or 0.0,
            snippet=snippet,
            fields=result.get_additional_fields(),
        )

    def more_like(self, identifier: str, *, filters, limit: int) -> list[Hit]:
        label, pk = identifier.rsplit(".", 1)
        obj = apps.get_model(label)._base_manager.filter(pk=pk).first()
        if obj is None:
            return []
        found = self.more_like_this(
            obj, narrow_queries={compile_filter(item) for item in filters}, end_offset=limit
        )
        return [self._hit(result) for result in found["results"]]

    def autocomplete(self, words, *, filters, limit: int) -> list[Hit]:
        query = " AND ".join(f"title_auto:{_quoted(w.lower())}" for w in words if len(w) >= 2)
        if not query:
            return []
        found = self.search(
            query, narrow_queries={compile_filter(item) for item in filters}, end_offset=limit
        )
        return [self._hit(result) for result in found["results"]]

    def spelling(self, text: str) -> str | None:
        suggestion = self.create_spelling_suggestion(text.translate(SPECIAL))
        return suggestion if suggestion and suggestion != text.lower() else None

    def analyze(self, text: str) -> list[str]:
        if not self.setup_complete:
            self.setup()
        found = self.conn.indices.analyze(
            index=self.index_name, body={"analyzer": "snowball", "text": text}
        )
        return [token["token"] for token in found.get("tokens", [])]

    def knows(self, word: str) -> bool:
        return bool(self.search(f"text:{_quoted(word)}", end_offset=1)["hits"])


class HuddleElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = HuddleElasticsearchBackend
