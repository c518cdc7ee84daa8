"""A deflected question outlives what answered it: deleting that article or question (an
editor's last resort; archiving is the usual way) keeps the deflection on record."""

from __future__ import annotations

import pytest

from kb.services import article_delete
from questions.models import Question
from questions.services.asking import question_deflect
from tests.factories import make_article
from tests.questions.builders import make_question

pytestmark = pytest.mark.django_db


def test_deleting_the_article_that_answered_a_question_keeps_the_deflection(agent, editor):
    article = make_article(author=editor, title="Refund a split payment", approved_by=editor)
    question = question_deflect(user=agent, article=article, title="How do I refund a split?")
    article_delete(article=article, editor=editor)
    question.refresh_from_db()
    assert question.status == Question.Status.DEFLECTED
    assert question.deflected_by_article is None


def test_deleting_the_question_that_answered_another_keeps_the_deflection(agent, editor):
    source = make_question(author=editor, title="Refunding a payment split over two cards")
    question = question_deflect(user=agent, answered_by=source, title="How do I refund a split?")
    source.delete()
    question.refresh_from_db()
    assert question.status == Question.Status.DEFLECTED
