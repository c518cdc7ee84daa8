"""Questions' search index (`questions.search_indexes.QuestionIndex`): which questions are
documents (listed ones, never deflected), what they are found by (title, details, the
accepted answer and the best voted others), their fields, and a version reconcile reads."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kb.models import Article, Category
from questions.models import Question, Vote
from questions.search_indexes import QuestionIndex
from searchkit import pipeline
from searchkit.indexes import index_for, type_labels
from tests.factories import UserFactory, make_article
from tests.questions.builders import make_answer, make_question
from tests.search.pages import result_titles

pytestmark = pytest.mark.django_db
LABEL = "questions.question"


@pytest.fixture
def reader(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def billing(db) -> Category:
    parent = Category.objects.create(name="Billing", slug="billing")
    return Category.objects.create(name="Vouchers", slug="vouchers", parent=parent)


@pytest.fixture
def answered(agent, mentor, billing) -> Question:
    question = make_question(
        author=agent,
        title="Customer paid with two cards",
        body="The order was split between a **debit** card and a credit card.",
        tags=["split-payments"],
        category=billing,
    )
    make_answer(
        question=question,
        author=mentor,
        body="Refund through the payment gateway, one chargeback per card.",
        accepted_by=agent,
    )
    return question


def _found(reader, q: str) -> list[str]:
    return result_titles(reader.get("/search/", {"q": q}))


def test_the_index_is_registered_with_its_type_label():
    assert isinstance(index_for(LABEL), QuestionIndex)
    assert type_labels()["question"] == "Question"


def test_a_question_is_found_by_its_title_details_and_accepted_answer(
    reader, answered, search_index
):
    pipeline.rebuild()
    for q in ("two cards", "debit", "gateway chargeback"):
        assert _found(reader, q) == ["Customer paid with two cards"], q


def test_only_the_best_voted_other_answers_lend_their_words(
    reader, answered, mentor, manager, outsider, search_index
):
    liked = make_answer(question=answered, author=outsider, body="Mention the loyalty ledger.")
    make_answer(question=answered, author=outsider, body="Try the telepathy button.")
    Vote.objects.create(voter=manager, post_author=outsider, answer=liked, value=Vote.UP)
    pipeline.rebuild()
    assert _found(reader, "ledger") == ["Customer paid with two cards"]
    assert _found(reader, "telepathy") == []


@pytest.mark.parametrize("status", ["open", "answered", "closed"])
def test_listed_questions_are_documents(agent, status, search_index):
    question = make_question(author=agent, status=status)
    assert pipeline.sync(LABEL, question.pk) == "updated"


def test_a_deflected_question_is_not_indexed(agent, editor, reader, search_index):
    article = make_article(author=editor, approved_by=editor)
    question = make_question(
        author=agent,
        title="Where is the voucher ledger?",
        status=Question.Status.DEFLECTED,
        deflected_by_article=article,
    )
    assert pipeline.sync(LABEL, question.pk) == "removed"
    pipeline.rebuild()
    assert _found(reader, "ledger") == []


def test_a_question_deflected_after_indexing_leaves_the_index(agent, reader, editor, search_index):
    question = make_question(author=agent, title="Where is the voucher ledger?")
    pipeline.rebuild()
    assert _found(reader, "ledger") == ["Where is the voucher ledger?"]
    Question.objects.filter(pk=question.pk).update(
        status=Question.Status.DEFLECTED,
        closed_at=timezone.now(),
        deflected_by_article=make_article(author=editor, approved_by=editor),
    )
    report = pipeline.reconcile()
    assert f"{LABEL}.{question.pk}" in report.removed
    assert _found(reader, "ledger") == []


def test_fields_hold_type_categories_tags_teams_and_the_snippet_text(answered, team, agent):
    restricted = make_question(author=agent, teams=[team])
    index = index_for(LABEL)
    obj = index.index_queryset().get(pk=answered.pk)
    prepared = index.full_prepare(obj)
    assert prepared["type"] == "question"
    assert sorted(prepared["category"]) == ["billing", "vouchers"]
    assert prepared["tags"] == ["split-payments"]
    assert prepared["teams"] == []
    assert "debit card" in prepared["body"]
    assert "payment gateway" in prepared["body"]
    assert "**" not in prepared["body"]  # words, not Markdown
    assert "everyone" in prepared["audience"]
    restricted_doc = index.full_prepare(index.index_queryset().get(pk=restricted.pk))
    assert restricted_doc["teams"] == [str(team.pk)]
    assert "everyone" not in restricted_doc["audience"]
    assert f"team{team.pk}" in restricted_doc["audience"]


def test_the_version_is_the_same_from_both_querysets_and_changes_with_the_answer(
    answered, agent, mentor
):
    index = index_for(LABEL)
    indexed = index.version_of(index.index_queryset().get(pk=answered.pk))
    compared = index.version_of(index.version_queryset().get(pk=answered.pk))
    assert indexed == compared
    answered.answers.update(accepted_at=None, accepted_by=None)
    make_answer(question=answered, author=UserFactory(), body="Another way.", accepted_by=agent)
    assert index.version_of(index.version_queryset().get(pk=answered.pk)) != compared


def test_reconcile_leaves_fresh_documents_alone_and_picks_up_changes(answered, search_index):
    pipeline.rebuild()
    assert not [d for d in pipeline.reconcile().updated if d.startswith(LABEL)]
    Question.objects.filter(pk=answered.pk).update(
        title="Customer paid with three cards", updated_at=timezone.now()
    )
    assert pipeline.reconcile().updated == [f"{LABEL}.{answered.pk}"]


def test_questions_and_articles_are_found_together_and_filter_by_type(
    reader, answered, editor, search_index
):
    make_article(
        author=editor, title="Chargeback rules", body="Each card gets its own chargeback.",
        approved_by=editor, type=Article.Type.FAQ,
    )  # fmt: skip
    pipeline.rebuild()
    assert set(_found(reader, "chargeback")) == {"Customer paid with two cards", "Chargeback rules"}
    only = result_titles(reader.get("/search/", {"q": "chargeback", "type": "question"}))
    assert only == ["Customer paid with two cards"]
