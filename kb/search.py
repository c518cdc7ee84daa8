"""Keeping the search index in step with the database, and reading it with visibility.

Index writes happen only here, called from Celery tasks on the single-writer queue
(`kb.tasks`) or from the `rebuild_index` command; never inside a web request.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from haystack import connections
from haystack.query import SearchQuerySet
from tqdm import tqdm

from kb.models import Article
from kb.querysets import is_editor
from kb.search_indexes import EVERYONE, ArticleIndex, index_version

log = logging.getLogger(__name__)

BATCH_SIZE = 500


def _backend():
    return connections["default"].get_backend()


def _index() -> ArticleIndex:
    return connections["default"].get_unified_index().get_index(Article)


def audience_filter(user) -> str | None:
    """The narrowing query that keeps what `user` may not read out of every search path;
    None for editors, who read everything published."""
    if is_editor(user):
        return None
    tokens = [EVERYONE, f"user{user.pk}"]
    if user.team_id:
        tokens.append(f"team{user.team_id}")
    return "audience:({})".format(" OR ".join(f'"{token}"' for token in tokens))


def searchable_by(user) -> SearchQuerySet:
    """Every search of articles starts here: the index, narrowed to what `user` may read."""
    sqs = SearchQuerySet().models(Article)
    audience = audience_filter(user)
    return sqs.narrow(audience) if audience else sqs


def articles_in_order(ids, user, queryset=None) -> list[Article]:
    """The readable articles among `ids`, in that order. The database has the last word on
    visibility, so a stale index entry never shows what it should not."""
    if queryset is None:
        queryset = Article.objects.select_related(
            "category__parent", "owner", "published_revision", "verified_by"
        )
    by_pk = queryset.published().visible_to(user).in_bulk([int(pk) for pk in ids])
    return [by_pk[int(pk)] for pk in ids if int(pk) in by_pk]


def related_articles(article: Article, user, limit: int = 5) -> list[Article]:
    """More like this: the articles whose words are closest to `article`'s."""
    if article.status != Article.Status.PUBLISHED:
        return []
    try:
        results = list(searchable_by(user).more_like_this(article)[:limit])
    except Exception:  # a missing or broken index must not break the article page
        log.exception("More-like-this failed for article %s", article.pk)
        return []
    ids = [r.pk for r in results if r.pk != str(article.pk)]
    return articles_in_order(ids, user, Article.objects.select_related("published_revision"))


# --- Writes (Celery tasks and commands only) ----------------------------------------------


def should_index(article: Article) -> bool:
    return article.status == Article.Status.PUBLISHED and article.published_revision_id


def index_sync(article_id: int) -> str:
    """Make the index agree with article `article_id` as it is now; safe to run late or twice.
    Returns what it did: "updated" or "removed"."""
    backend, index = _backend(), _index()
    # Whoosh: read the row while holding the write lock, so a sync that read older data can
    # never write after one that read newer data. Other engines order writes themselves.
    locked = getattr(backend, "locked_writer", None)
    with locked() if locked else nullcontext() as writer:
        article = index.index_queryset().filter(pk=article_id).first()
        extra = {"writer": writer} if writer is not None else {}
        if article is not None and should_index(article):
            backend.update(index, [article], **extra)
            return "updated"
        backend.remove(f"kb.article.{article_id}", **extra)
        return "removed"


@dataclass
class ReconcileReport:
    updated: list[int] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.updated)} updated, {len(self.removed)} removed"


def reconcile() -> ReconcileReport:
    """Compare every document's version with the database and fix the drift: missing or
    stale documents are reindexed, documents of unpublished or deleted articles removed."""
    backend, index = _backend(), _index()
    indexed = dict(_indexed_versions(backend))
    wanted = {
        article.pk: index_version(article)
        for article in Article.objects.published().only("pk", "published_revision", "updated_at")
    }
    report = ReconcileReport(
        updated=sorted(pk for pk, version in wanted.items() if indexed.get(pk) != version),
        removed=[f"kb.article.{pk}" for pk in sorted(indexed.keys() - wanted.keys())],
    )
    queryset = index.index_queryset()
    for start in range(0, len(report.updated), BATCH_SIZE):
        backend.update(index, queryset.filter(pk__in=report.updated[start : start + BATCH_SIZE]))
    if report.removed and hasattr(backend, "remove_many"):
        backend.remove_many(report.removed)
    else:
        for doc_id in report.removed:
            backend.remove(doc_id)
    return report


def _indexed_versions(backend):
    """(article pk, version) of every indexed document."""
    if hasattr(backend, "stored_documents"):  # Whoosh: read stored fields directly
        for pk, stored in backend.stored_documents(("version",)):
            yield int(pk), stored["version"]
        return
    sqs = SearchQuerySet().models(Article)
    for pk, version in sqs.values_list("django_id", "version")[: sqs.count()]:
        yield int(pk), version


def rebuild(*, progress: bool = False, batch_size: int = BATCH_SIZE) -> int:
    """Build a complete new index beside the live one and swap it in; searches keep using the
    old index until the swap, and a crash before it leaves the old index as it was. Changes
    made during the build are caught by a reconcile right after the swap."""
    backend, index = _backend(), _index()
    queryset = index.index_queryset()
    total = queryset.count()
    directory = getattr(backend, "directory", None)
    if directory is None:
        # Elasticsearch/OpenSearch: update in place (the live index stays searchable), then
        # remove what should no longer be there.
        with tqdm(total=total, unit="article", disable=not progress) as bar:
            for batch in _batches(queryset, batch_size):
                backend.update(index, batch)
                bar.update(len(batch))
        reconcile()
        return total
    backend.live_index()  # opens (or creates) the live index, so there is one to swap out
    directory.remove_stale()
    fresh = directory.new_directory()
    writer = backend.writer(backend.open_index(fresh, create=True))
    done = 0
    try:
        with tqdm(total=total, unit="article", disable=not progress) as bar:
            for batch in _batches(queryset, batch_size):
                for article in batch:
                    writer.add_document(**backend.prepare(index, article))
                done += len(batch)
                bar.update(len(batch))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    directory.swap(fresh)
    directory.remove_stale()
    reconcile()
    return done


def _batches(queryset, size):
    """Keyset pagination: each batch is one query (plus its prefetches), whatever the size."""
    last = 0
    while True:
        with transaction.atomic():
            batch = list(queryset.filter(pk__gt=last)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
