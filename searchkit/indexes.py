"""What an app declares to put a model into search, and the registry that finds it.

An app's `search_indexes.py` declares a `DocumentIndex` (haystack's `SearchIndex` with three
more answers): which rows belong in the index (`index_queryset`), how to tell that a document
is stale (`version_of`), and who may find it (`audience`, an `Audience` that is also the
model's `visible_to`). Haystack discovers the index; searchkit then keeps it current (queued
on commit to the single writer, reconciled, rebuilt by swapping) and narrows every search by
the audience. Search results render from `search/results/<app>_<model>.html`, so the search
page shows any app's documents without importing it.
"""

from __future__ import annotations

from haystack import connections, indexes
from haystack import fields as haystack_fields

from searchkit.audience import Audience


class DocumentIndex(indexes.SearchIndex):
    audience = haystack_fields.FacetMultiValueField()
    version = indexes.CharField(indexed=False)

    # Set by each index: the same rule as the model's `visible_to`.
    audience_rule: Audience
    # The values this index puts in its `type` field, with the label the type filter shows
    # ({"faq": "FAQ"}); `type_labels()` merges every index's.
    type_labels: dict[str, str] = {}

    def get_model(self):
        raise NotImplementedError

    def version_of(self, obj) -> str:
        """A value that changes whenever the document should (compared by reconcile)."""
        raise NotImplementedError

    def version_queryset(self):
        """The rows that belong in the index, with just what `version_of` reads."""
        return self.index_queryset()

    def version_batch(self, rows: list) -> list:
        """Set on all of `version_queryset`'s rows at once what `version_of` reads beyond
        them (tags), in a constant number of queries; returns the rows."""
        return rows

    def versions(self) -> dict[int, str]:
        """{pk: version} of every row that belongs in the index: what reconcile compares."""
        rows = self.version_batch(list(self.version_queryset()))
        return {row.pk: self.version_of(row) for row in rows}

    def prepare_batch(self, objs) -> list:
        """Read what preparing the documents of many rows needs that `index_queryset` does
        not (tags, counts) in a constant number of queries, and set it on the rows; returns
        the rows. Called through `prepared`, never directly."""
        return list(objs)

    def prepared(self, objs) -> list:
        """The rows, with what `prepare_batch` reads: the pipeline passes every batch it
        writes through here, and `full_prepare` a row that did not come in a batch, so a row
        indexed alone (a queued sync) gets the very document a rebuild writes."""
        rows = self.prepare_batch(objs)
        for row in rows:
            row._search_batch_prepared = True
        return rows

    def readable(self, user):
        """The database's last word on what `user` may open among indexed rows: a stale
        document never shows what it should not. Select what the result template shows."""
        raise NotImplementedError

    def result_rows(self, rows: list) -> None:
        """Set on one results page's readable rows what the result template shows beyond
        `readable()` (tags, presenters), in a constant number of queries. Opening a result
        and the question suggestions need only the check, so `readable()` does not read
        them."""

    def full_prepare(self, obj, with_string_facet=True):
        """The document, with 0 for every number another index declares and this one does
        not: a document without a value of a number field sorts before every other one in a
        descending Whoosh sort ("most helpful" would list tracks above every article), while
        a missing filter field just never matches, as it should."""
        if not getattr(obj, "_search_batch_prepared", False):
            obj = self.prepared([obj])[0]
        prepared = super().full_prepare(obj, with_string_facet)
        unified = connections["default"].get_unified_index().all_searchfields()
        for field in unified.values():
            if field.field_type in ("integer", "float") and not field.is_multivalued:
                prepared.setdefault(field.index_fieldname, 0)
        return prepared

    def prepare_audience(self, obj) -> list[str]:
        return self.audience_rule.tokens(obj)

    def prepare_version(self, obj) -> str:
        return self.version_of(obj)

    @staticmethod
    def label(model) -> str:
        """A model's label in the index and in task arguments: "kb.article"."""
        return f"{model._meta.app_label}.{model._meta.model_name}"

    @property
    def result_template(self) -> str:
        return "search/results/{}.html".format(self.label(self.get_model()).replace(".", "_"))


def serve_related(rows, field: str, values_attr: str) -> None:
    """Make `row.<field>.all()` (a document template's `object.tags.all` too) return the list
    in `row.<values_attr>`, read for the whole batch, without a query. This is where Django's
    `prefetch_related` puts its results and where taggit's manager looks for them; taggit's
    own prefetch would build a manager and a filtered queryset for every row."""
    for row in rows:
        if not hasattr(row, "_prefetched_objects_cache"):
            row._prefetched_objects_cache = {}
        row._prefetched_objects_cache[field] = getattr(row, values_attr)


def registered() -> dict[str, DocumentIndex]:
    """Every declared index, by model label ("kb.article")."""
    unified = connections["default"].get_unified_index()
    return {
        DocumentIndex.label(model): index
        for model, index in unified.get_indexes().items()
        if isinstance(index, DocumentIndex)
    }


def type_labels() -> dict[str, str]:
    """The label of every `type` value any declared index writes, for the type filter."""
    labels: dict[str, str] = {}
    for index in registered().values():
        labels.update(index.type_labels)
    return labels


def index_for(label: str) -> DocumentIndex:
    try:
        return registered()[label]
    except KeyError:
        raise LookupError(f"No search index is declared for {label!r}.") from None
