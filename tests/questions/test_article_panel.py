"""Questions' panel on an article's page (kb's `article_panels` hook): "Grew from the question
“…” asked by X", only for readers who may read that question, in one query."""

from __future__ import annotations

import pytest

from kb.hooks import article_panels
from kb.models import Category
from kb.services import article_approve
from questions.article_panels import source_question
from questions.services.promotion import question_promote
from tests.factories import make_article
from tests.questions.builders import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds(db):
    return Category.objects.create(name="Refunds", slug="refunds")


def _promoted(*, asker, answerer, editor, category, **fields):
    question = make_question(author=asker, category=category, **fields)
    make_answer(question=question, author=answerer, accepted_by=asker)
    article = question_promote(question=question, user=editor)
    return question, article_approve(article=article, editor=editor)


def test_it_names_the_question_and_its_asker(agent, mentor, editor, refunds):
    question, article = _promoted(asker=agent, answerer=mentor, editor=editor, category=refunds)
    panel = source_question(mentor, article)
    assert panel.context["question"] == question
    assert panel.template == "questions/includes/article_source.html"


def test_the_article_page_shows_it_with_a_link(client, agent, mentor, editor, refunds):
    question, article = _promoted(asker=agent, answerer=mentor, editor=editor, category=refunds)
    client.force_login(mentor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Grew from the question" in page
    assert f'href="{question.get_absolute_url()}"' in page
    assert agent.name in page


def test_it_stays_hidden_from_who_may_not_read_the_question(
    agent, mentor, editor, outsider, refunds, team
):
    # The article was opened to everyone after promotion; the question is still team-only.
    _, article = _promoted(
        asker=agent, answerer=mentor, editor=editor, category=refunds, teams=[team]
    )
    article.visibility = "everyone"
    article.save(update_fields=["visibility"])
    assert source_question(outsider, article) is None
    assert all(p.template != "questions/includes/article_source.html"
               for p in article_panels(viewer=outsider, article=article))  # fmt: skip
    assert source_question(mentor, article) is not None


def test_an_article_written_in_the_knowledge_base_has_no_panel(agent, editor):
    article = make_article(author=agent, approved_by=editor)
    assert source_question(agent, article) is None


def test_it_reads_one_query(agent, mentor, editor, refunds, django_assert_num_queries):
    _, article = _promoted(asker=agent, answerer=mentor, editor=editor, category=refunds)
    assert not mentor.is_kb_editor  # the viewer's roles are read once per request, before
    with django_assert_num_queries(1):
        panel = source_question(mentor, article)
        assert panel.context["question"].author.name
