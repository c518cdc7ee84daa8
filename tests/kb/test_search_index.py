"""The search index follows the database: what readers may find is the published revision of
published articles, updated by the queued task once each change commits (eager in tests).

Everything here reads and writes the real Whoosh index on disk (the `search_index` fixture).
"""

from __future__ import annotations

import logging

import pytest
from haystack.constants import DJANGO_CT, DJANGO_ID

from kb.models import Article
from kb.services import (
    article_approve,
    article_archive,
    article_delete,
    article_submit,
    article_update,
)
from searchkit import pipeline, query
from searchkit.indexes import index_for
from tests.concurrency import run_in_threads

LABEL = "kb.article"
FIELDS = ("title", "version", "audience", "tags")


def index_sync(pk: int) -> str:
    """What the queued task runs for one article: "updated" or "removed"."""
    return pipeline.sync(LABEL, pk)


def index_version(article: Article) -> str:
    """The version the index should hold for `article` (what reconcile compares)."""
    return index_for(LABEL).version_of(article)


def documents(backend) -> dict[int, dict]:
    """Every indexed article document's stored fields, by article pk."""
    with backend.live_index().searcher() as searcher:
        return {
            int(stored[DJANGO_ID]): {name: stored.get(name) for name in FIELDS}
            for stored in searcher.documents(**{DJANGO_CT: LABEL})
        }


def text_query(text: str) -> query.TextQuery:
    """Every word of `text` required, as typed (no synonyms)."""
    return query.TextQuery(
        tuple(query.Clause((query.Alternative(word),), required=True) for word in text.split())
    )


def found(user, text: str) -> list[int]:
    """The article pks the index lets `user` find (searchkit's audience narrowing, the path
    every search takes), before the database re-check."""
    page = query.search(user=user, text=text_query(text), per_page=1000, highlight=False)
    return sorted(hit.pk for hit in page.hits if hit.label == LABEL)


def edit(article: Article, editor, *, approve_as=None, **content) -> Article:
    """Edit `article` (a fresh copy); with `approve_as`, also submit and approve the edit."""
    article = Article.objects.get(pk=article.pk)
    revision = article.latest_revision
    text = {"title": revision.title, "summary": revision.summary, "body": revision.body}
    article = article_update(article=article, editor=editor, content={**text, **content}, meta={})
    if approve_as is not None:
        article_submit(article=article, user=editor)
        article_approve(article=article, editor=approve_as)
    return article


def assert_index_matches_database(backend) -> None:
    """One document per published article, holding its current published revision."""
    docs = documents(backend)
    published = Article.objects.published().select_related("published_revision")
    assert sorted(docs) == sorted(a.pk for a in published)
    for article in published:
        assert docs[article.pk]["version"] == index_version(article)
        assert docs[article.pk]["title"] == article.published_revision.title
    assert backend.document_versions(LABEL) == {pk: doc["version"] for pk, doc in docs.items()}
    assert backend.live_index().doc_count() == len(docs)


# --- What is indexed ------------------------------------------------------------------------


def test_it_indexes_only_published_articles(
    search_index, make_article, agent, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_article(author=agent, title="Draft about refunds")
        in_review = make_article(author=agent, title="Refunds under review")
        article_submit(article=in_review, user=agent)
        published = make_article(author=agent, approved_by=editor)
        archived = make_article(author=agent, title="Old refunds", approved_by=editor)
        article_archive(article=archived, editor=editor)

    assert sorted(documents(search_index)) == [published.pk]
    # A late or repeated sync of every article, and a full rebuild, agree.
    for article in (draft, in_review, published, archived):
        index_sync(article.pk)
    assert sorted(documents(search_index)) == [published.pk]
    assert pipeline.rebuild() == 1
    assert found(editor, "refunds") == [published.pk]


def test_it_keeps_the_published_revision_indexed_until_an_edit_is_approved(
    search_index, published_article, agent, editor, django_capture_on_commit_callbacks
):
    index_sync(published_article.pk)
    with django_capture_on_commit_callbacks(execute=True):
        edit(published_article, agent, title="Chargeback handbook", body="Dispute a chargeback.")

    assert documents(search_index)[published_article.pk]["title"] == "How to issue a refund"
    assert found(agent, "chargeback") == []
    assert found(agent, "issue") == [published_article.pk]

    with django_capture_on_commit_callbacks(execute=True):
        article = Article.objects.get(pk=published_article.pk)
        article_submit(article=article, user=agent)
        article_approve(article=article, editor=editor)

    assert documents(search_index)[published_article.pk]["title"] == "Chargeback handbook"
    assert found(agent, "chargeback") == [published_article.pk]
    assert found(agent, "issue") == []
    assert_index_matches_database(search_index)


def test_it_applies_visibility_and_tag_changes_of_a_published_article_at_once(
    search_index, published_article, agent, outsider, team, django_capture_on_commit_callbacks
):
    index_sync(published_article.pk)
    assert found(outsider, "refund") == [published_article.pk]

    revision = published_article.latest_revision
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            article=published_article,
            editor=agent,
            content={"title": revision.title, "summary": revision.summary, "body": revision.body},
            meta={"visibility": Article.Visibility.TEAMS, "teams": [team], "tags": ["payouts"]},
        )

    doc = documents(search_index)[published_article.pk]
    assert "everyone" not in doc["audience"].split(",")
    assert f"team{team.pk}" in doc["audience"].split(",")
    assert doc["tags"] == "payouts"
    assert found(outsider, "refund") == []
    assert found(agent, "refund") == [published_article.pk]
    assert found(agent, "payouts") == [published_article.pk]
    assert_index_matches_database(search_index)


def test_it_removes_archived_and_deleted_articles(
    search_index, make_article, agent, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = make_article(author=agent, approved_by=editor)
        archived = make_article(author=agent, title="Refunds in 2019", approved_by=editor)
        deleted = make_article(author=agent, title="Refunds by fax", approved_by=editor)
    assert sorted(documents(search_index)) == sorted([kept.pk, archived.pk, deleted.pk])

    with django_capture_on_commit_callbacks(execute=True):
        article_archive(article=archived, editor=editor)
        article_delete(article=deleted, editor=editor)

    assert sorted(documents(search_index)) == [kept.pk]
    assert found(editor, "refunds") == [kept.pk]
    assert_index_matches_database(search_index)


def test_it_finds_what_was_indexed_after_the_previous_search(
    search_index, make_article, agent, editor
):
    """Each thread keeps its searcher; it must follow index changes, not break on them."""
    first = make_article(author=agent, approved_by=editor)
    second = make_article(author=agent, title="Refunds for gift cards", approved_by=editor)
    index_sync(first.pk)
    assert found(agent, "refunds") == [first.pk]

    index_sync(second.pk)
    assert found(agent, "refunds") == [first.pk, second.pk]

    search_index.remove(f"kb.article.{first.pk}")
    assert found(agent, "refunds") == [second.pk]


# --- Late and repeated tasks ------------------------------------------------------------------


def test_it_keeps_one_document_when_a_sync_runs_twice(search_index, published_article):
    assert index_sync(published_article.pk) == "updated"
    assert index_sync(published_article.pk) == "updated"

    assert search_index.live_index().doc_count() == 1
    assert_index_matches_database(search_index)


def test_it_removes_the_document_when_a_late_sync_finds_the_article_deleted(
    search_index, published_article
):
    index_sync(published_article.pk)
    # Deleted behind the services' back, so its own queued sync never ran.
    rows = Article.objects.filter(pk=published_article.pk)
    rows.update(status=Article.Status.ARCHIVED)  # a published row cannot lose its revision
    rows.delete()

    assert index_sync(published_article.pk) == "removed"
    assert index_sync(published_article.pk) == "removed"
    assert documents(search_index) == {}


def test_it_removes_the_document_when_a_late_sync_finds_a_draft(
    search_index, published_article, make_article, agent
):
    draft = make_article(author=agent, title="Refunds, first draft")
    index_sync(published_article.pk)
    Article.objects.filter(pk=published_article.pk).update(status=Article.Status.DRAFT)

    assert index_sync(published_article.pk) == "removed"
    assert index_sync(draft.pk) == "removed"
    assert documents(search_index) == {}


# --- Concurrent writers -----------------------------------------------------------------------


def assert_no_lock_errors(caplog) -> None:
    """Waiting for the lock is fine; failing (or retrying) because of it is not."""
    failures = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        or any(word in record.getMessage() for word in ("IndexLocked", "LockError", "Retry"))
    ]
    assert failures == []


@pytest.mark.django_db(transaction=True)
def test_it_stays_consistent_under_twenty_concurrent_edits(
    search_index, make_article, agent, editor, caplog
):
    articles = [
        make_article(author=agent, title=f"Refund case {i}", approved_by=editor) for i in range(20)
    ]
    assert len(documents(search_index)) == 20  # indexed as each approval committed

    with caplog.at_level(logging.INFO):
        run_in_threads(
            lambda i: edit(articles[i], agent, approve_as=editor, title=f"Refund case {i} (v2)"),
            count=20,
        )

    assert_no_lock_errors(caplog)
    assert_index_matches_database(search_index)
    assert {doc["title"] for doc in documents(search_index).values()} == {
        f"Refund case {i} (v2)" for i in range(20)
    }
