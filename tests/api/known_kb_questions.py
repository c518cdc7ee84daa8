"""Rows for the API schema run (`api_data`): real path-parameter values, by name, for this
area's operations, so generated requests reach rows instead of 404s."""

from __future__ import annotations

from typing import Any

from kb.models import Article, Category
from tests.factories import make_article
from tests.questions.builders import make_answer, make_question


def add(*, agent, editor, outsider) -> dict[str, list[Any]]:
    """An article everyone reads and one for the outsider's team only (a 404 for the agent);
    a question the agent may vote on and answer, with an answer by someone else, and the
    agent's own question with an answer the agent may accept."""
    topic = Category.objects.create(name="Refund topic", slug="refund-topic")
    public = make_article(author=editor, approved_by=editor, title="Refund a card payment",
                          category=topic, tags=["refunds"])  # fmt: skip
    hidden = make_article(
        author=outsider, approved_by=editor, title="Technical escalation steps",
        visibility=Article.Visibility.TEAMS, teams=[outsider.team],
    )  # fmt: skip
    theirs = make_question(author=editor, title="How do I refund a voucher?")
    answer_to_theirs = make_answer(question=theirs, author=outsider)
    mine = make_question(author=agent, title="Can a refund go to another card?")
    answer_to_mine = make_answer(question=mine, author=editor, body="No: the original card.")
    return {
        "slug": [public.slug, hidden.slug],
        "id": [theirs.pk, mine.pk, answer_to_theirs.pk, answer_to_mine.pk],
    }
