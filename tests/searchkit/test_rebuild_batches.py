"""The rebuild reads rows back in batches, each with the same number of queries whatever the
batch's position and the table's size (keys first, then the rows; one tag query per batch),
and the documents it writes are exactly those a single row's preparation (a queued sync)
writes."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import ArticleFeedback
from questions.models import Question
from searchkit import pipeline
from searchkit.indexes import index_for
from tests.factories import make_article
from tests.questions.builders import make_answer, make_question
from tests.training.builders import make_session, make_track
from training.models import Session, Track

BATCH = 3
TRANSACTION = ("SAVEPOINT", "RELEASE SAVEPOINT")  # the batch's read is atomic
# Queries per batch: the batch's keys, its rows, each prefetch, and what `prepare_batch`
# reads (tags, votes). The same at any size: a query per row would show as a failure.
PER_BATCH = {
    "kb.article": 5,  # keys, rows, teams, tags, votes
    "questions.question": 5,  # keys, rows, teams, answers, tags
    "training.track": 5,  # keys, rows, teams, steps, skills
    "training.session": 5,  # keys, rows, teams, presenters, skills
}


def make_rows(count: int, *, editor, agent, team) -> None:
    """`count` rows of every indexed kind, each with tags (or skills), some restricted to a
    team, articles with votes, questions with answers, tracks of articles."""
    for i in range(count):
        restricted = {"visibility": "teams", "teams": [team]} if i % 2 else {}
        article = make_article(
            author=agent, title=f"Refund case {i}", approved_by=editor,
            tags=["refunds", f"case-{i}", "billing"], **restricted,
        )  # fmt: skip
        helpful = bool(i % 3)
        ArticleFeedback.objects.create(
            article=article, user=editor, helpful=helpful, reason="" if helpful else "unclear"
        )
        question = make_question(
            author=agent, title=f"Refund question {i}?", tags=["refunds", f"q-{i}"],
            teams=[team] if i % 2 else (),
        )  # fmt: skip
        make_answer(question=question, author=editor, body=f"Answer {i}.", accepted_by=agent)
        track = make_track(owner=editor, title=f"Refund track {i}", articles=[article], task=True)
        # Added out of alphabetical order: a document must not depend on the order in which
        # the batch and the per-row reads (reconcile's) return the skills.
        for skill in (f"zendesk-{i}", "refunds", f"apis-{i}"):
            track.skills.add(skill)
        session = make_session(organiser=editor, title=f"Refund session {i}")
        for skill in ("refunds", f"escalations-{i}"):
            session.skills.add(skill)


def queries_per_batch(label: str) -> list[int]:
    index, backend = index_for(label), pipeline.backend()
    counts, batches = [], pipeline._batches(index.index_queryset(), BATCH)
    ContentType.objects.get_for_model(index.get_model())  # read once per process, then cached
    while True:
        with CaptureQueriesContext(connection) as captured:
            batch = next(batches, None)
            if batch is not None:
                [backend.prepare(index, obj) for obj in index.prepared(batch)]
        if batch is None:
            return counts
        counts.append(sum(not q["sql"].startswith(TRANSACTION) for q in captured))


@pytest.mark.parametrize("size", [BATCH, 3 * BATCH])
def test_each_batch_costs_the_same_queries_at_two_sizes(search_index, editor, agent, team, size):
    make_rows(size, editor=editor, agent=agent, team=team)

    for label, pinned in PER_BATCH.items():
        assert queries_per_batch(label) == [pinned] * (size // BATCH), label


def test_batched_documents_are_those_of_a_single_row_preparation(search_index, editor, agent, team):
    make_rows(4, editor=editor, agent=agent, team=team)
    backend = pipeline.backend()

    for label in PER_BATCH:
        index = index_for(label)
        batched = {
            obj.pk: backend.prepare(index, obj)
            for batch in pipeline._batches(index.index_queryset(), BATCH)
            for obj in index.prepared(batch)
        }
        # As a queued sync prepares one row: fetched alone, prepared alone.
        alone = {
            obj.pk: backend.prepare(index, index.index_queryset().get(pk=obj.pk))
            for obj in index.index_queryset()
        }
        assert len(batched) == 4, label
        assert batched == alone, label
    assert Question.objects.count() == Track.objects.count() == Session.objects.count() == 4


def test_a_rebuild_indexes_every_row_of_every_kind(search_index, editor, agent, team):
    make_rows(4, editor=editor, agent=agent, team=team)

    assert pipeline.rebuild(batch_size=BATCH) >= 16
    for label in PER_BATCH:
        index = index_for(label)
        wanted = {obj.pk: index.version_of(obj) for obj in index.version_queryset()}
        assert len(wanted) == 4, label
        assert search_index.document_versions(label) == wanted, label


# Queries for every row's version (reconcile): the rows, each prefetch, and `version_batch`.
VERSION_QUERIES = {
    "kb.article": 1,  # rows
    "questions.question": 3,  # rows (with the accepted answer), teams, tags
    "training.track": 4,  # rows, teams, steps, skills
    "training.session": 4,  # rows, teams, presenters, skills
}


@pytest.mark.parametrize("size", [2, 6])
def test_every_rows_version_costs_the_same_queries_at_two_sizes(
    search_index, editor, agent, team, size
):
    make_rows(size, editor=editor, agent=agent, team=team)

    for label, pinned in VERSION_QUERIES.items():
        index = index_for(label)
        with CaptureQueriesContext(connection) as captured:
            versions = index.versions()
        assert len(versions) == size, label
        assert len(captured) == pinned, label
        # The same versions as each row read alone (a row's own tags and skills).
        alone = {pk: index.version_of(index.version_queryset().get(pk=pk)) for pk in versions}
        assert versions == alone, label
