"""Promoting a question and its accepted answer into a knowledge base draft
(`question_promote`): through kb's authoring services, into kb's review queue with the
answerer as author; the asker or an editor, once, only with an accepted answer; and when kb
refuses, nothing changes anywhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.models import Article, Category
from notifications.models import Notification
from questions.models import Question
from questions.services.promotion import question_promote
from tests.factories import UserFactory
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds(db) -> Category:
    return Category.objects.create(name="Refunds", slug="refunds")


@pytest.fixture
def answered(agent, mentor, refunds) -> Question:
    """The agent's question, answered by the mentor (accepted by the agent)."""
    question = make_question(
        author=agent,
        title="How do I refund a split payment?",
        body="The customer paid half by card and half with a **voucher**.",
        tags=["refunds", "vouchers"],
        category=refunds,
    )
    make_answer(question=question, author=mentor, body="Ask for a refund once.")  # not accepted
    make_answer(
        question=question,
        author=mentor,
        body="Refund the card part first.\n\nThen reissue the voucher from the admin page.",
        accepted_by=agent,
    )
    return question


def _unchanged(question: Question) -> None:
    question.refresh_from_db()
    assert (question.article, question.promoted_at, question.promoted_by) == (None, None, None)
    assert not Article.objects.exists()


def test_it_creates_a_draft_in_review_with_the_answerer_as_author(answered, agent, mentor):
    article = question_promote(question=answered, user=agent)

    assert (article.status, article.type) == (Article.Status.IN_REVIEW, Article.Type.FAQ)
    assert article.submitted_at is not None
    assert (article.author, article.owner) == (mentor, mentor)
    revision = article.latest_revision
    assert revision.title == "How do I refund a split payment?"
    assert revision.summary == "Refund the card part first."
    assert revision.body.index("## Question") < revision.body.index("## Answer")
    assert "half with a **voucher**" in revision.body
    assert "reissue the voucher" in revision.body
    assert "Ask for a refund once." not in revision.body  # only the accepted answer
    assert f"]({answered.get_absolute_url()})" in revision.body
    assert f'href="{answered.get_absolute_url()}"' in revision.rendered_html
    assert article.published_revision is None


def test_it_links_the_question_to_the_article(answered, agent):
    article = question_promote(question=answered, user=agent)
    answered.refresh_from_db()
    assert answered.article == article
    assert answered.promoted_by == agent
    assert answered.promoted_at is not None


def test_tags_category_and_audience_carry_over(agent, mentor, refunds, team):
    question = make_question(author=agent, tags=["refunds"], teams=[team], category=refunds)
    make_answer(question=question, author=mentor, accepted_by=agent)
    article = question_promote(question=question, user=agent, type="troubleshooting")
    assert article.type == Article.Type.TROUBLESHOOTING
    assert article.category == refunds
    assert list(article.tags.names()) == ["refunds"]
    assert (article.visibility, list(article.teams.all())) == ("teams", [team])


def test_the_chosen_category_wins_over_the_questions(answered, agent):
    other = Category.objects.create(name="Payments", slug="payments")
    assert question_promote(question=answered, user=agent, category=other).category == other


def test_editors_are_told_by_kb_and_the_answerer_by_questions(answered, agent, mentor, editor):
    article = question_promote(question=answered, user=editor)
    review = Notification.objects.get(kind="kb.review")
    assert (review.recipient, review.url) == (editor, article.get_absolute_url())
    told = Notification.objects.get(kind="questions.promoted")
    assert told.recipient == mentor
    assert agent not in {n.recipient for n in Notification.objects.all()}


def test_a_kb_editor_who_did_not_ask_may_promote(answered, editor, mentor):
    assert question_promote(question=answered, user=editor).author == mentor


def test_another_agent_may_not(answered, mentor):
    # The answerer is not the asker: answering gives no right to promote.
    with pytest.raises(PermissionDenied):
        question_promote(question=answered, user=mentor)
    _unchanged(answered)


def test_a_question_without_an_accepted_answer_is_refused(agent, mentor, refunds):
    question = make_question(author=agent, category=refunds)
    make_answer(question=question, author=mentor)
    with pytest.raises(ValidationError, match="accepted answer"):
        question_promote(question=question, user=agent)
    _unchanged(question)


def test_a_question_is_promoted_once(answered, agent, editor):
    first = question_promote(question=answered, user=agent)
    with pytest.raises(ValidationError, match="already promoted"):
        question_promote(question=answered, user=editor)
    assert list(Article.objects.all()) == [first]


def test_without_any_category_nothing_changes(agent, mentor):
    question = make_question(author=agent)
    make_answer(question=question, author=mentor, accepted_by=agent)
    with pytest.raises(ValidationError) as refusal:
        question_promote(question=question, user=agent)
    assert "category" in refusal.value.message_dict
    _unchanged(question)


def test_an_unknown_type_is_refused(answered, agent):
    with pytest.raises(ValidationError) as refusal:
        question_promote(question=answered, user=agent, type="howto")
    assert "type" in refusal.value.message_dict
    _unchanged(answered)


def test_when_kb_refuses_the_title_nothing_changes_anywhere(answered, agent):
    # A title kb's revision refuses (a control character), stored before that rule existed.
    Question.objects.filter(pk=answered.pk).update(title="Refund a split\u202e payment")
    answered.refresh_from_db()
    notifications = Notification.objects.count()
    with pytest.raises(ValidationError) as refusal:
        question_promote(question=answered, user=agent)
    assert any(m.startswith("Article title:") for m in refusal.value.messages)
    _unchanged(answered)
    assert Notification.objects.count() == notifications


def test_an_inactive_answerer_still_becomes_the_author_without_a_note(agent, refunds, editor):
    gone = UserFactory(is_active=False)
    question = make_question(author=agent, category=refunds)
    make_answer(question=question, author=gone, accepted_by=agent)
    article = question_promote(question=question, user=editor)
    assert article.author == gone
    assert not Notification.objects.filter(kind="questions.promoted").exists()
