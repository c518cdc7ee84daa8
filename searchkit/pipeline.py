"""Keeping every declared index in step with the database.

Writes happen only here, called from the single-writer Celery queue (`searchkit.tasks`) or
the `rebuild_index` and `reconcile_index` commands; never inside a web request. Apps call
`queue_update(obj)` (or `queue_update(Model, pk)`) after any change that touches what is
indexed; the task refetches the row, so queueing is always safe, late or twice.

The engine does the engine-specific part behind three methods every Huddle backend has
(`write_session`, `document_versions`, `building`), so this module never asks which engine
it talks to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from haystack import connections
from tqdm import tqdm

from searchkit.indexes import DocumentIndex, index_for, registered

BATCH_SIZE = 500


def backend():
    return connections["default"].get_backend()


def queue_update(model_or_obj, pk: int | None = None) -> None:
    """Queue the document of one row for an update once this transaction commits."""
    from searchkit.tasks import index_sync

    label = DocumentIndex.label(model_or_obj._meta.model)
    index_sync.delay_on_commit(label, model_or_obj.pk if pk is None else pk)


def sync(label: str, pk: int) -> str:
    """Make the index agree with row `pk` of `label` as it is now: "updated" or "removed".
    The row is read while the engine's write lock is held, so a sync that read older data
    can never write after one that read newer data."""
    index = index_for(label)
    with backend().write_session() as session:
        obj = index.index_queryset().filter(pk=pk).first()
        if obj is not None:
            session.update(index, index.prepared([obj]))
            return "updated"
        session.remove(f"{label}.{pk}")
        return "removed"


@dataclass
class ReconcileReport:
    updated: list[str] = field(default_factory=list)  # "kb.article.12"
    removed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.updated)} updated, {len(self.removed)} removed"


def reconcile() -> ReconcileReport:
    """Compare every document's version with the database and fix the drift: missing or
    stale documents are reindexed, documents of rows that no longer belong are removed."""
    engine, report = backend(), ReconcileReport()
    for label, index in registered().items():
        indexed = engine.document_versions(label)
        wanted = index.versions()
        stale = sorted(pk for pk, version in wanted.items() if indexed.get(pk) != version)
        gone = sorted(indexed.keys() - wanted.keys())
        with engine.write_session() as session:
            for batch in _chunks(stale, BATCH_SIZE):
                rows = index.index_queryset().filter(pk__in=batch)
                session.update(index, index.prepared(rows))
            for pk in gone:
                session.remove(f"{label}.{pk}")
        report.updated += [f"{label}.{pk}" for pk in stale]
        report.removed += [f"{label}.{pk}" for pk in gone]
    return report


def rebuild(*, progress: bool = False, batch_size: int = BATCH_SIZE) -> int:
    """Build a complete new index of every declared model and put it in place of the live
    one; searches keep using the old index until then, and a crash before it leaves the old
    index as it was. Changes made during the build are caught by a reconcile right after."""
    indexes = registered().values()
    total = sum(index.index_queryset().count() for index in indexes)
    done = 0
    with (
        backend().building() as add,
        tqdm(total=total, unit="doc", disable=not progress) as bar,
    ):
        for index in indexes:
            for batch in _batches(index.index_queryset(), batch_size):
                add(index, index.prepared(batch))
                done += len(batch)
                bar.update(len(batch))
    reconcile()
    return done


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batches(queryset, size):
    """Keyset pagination, keys first: a batch reads its next `size` primary keys (an index
    range scan, whatever joins the rows need), then those rows by key with their prefetches.
    Every batch costs the same queries, at any offset and any table size."""
    queryset = queryset.order_by("pk")
    keys = queryset.prefetch_related(None).values_list("pk", flat=True)
    last = None
    while True:
        with transaction.atomic():
            pks = list((keys if last is None else keys.filter(pk__gt=last))[:size])
            if not pks:
                return
            batch = list(queryset.filter(pk__in=pks))
        yield batch
        last = pks[-1]
