"""The promote page (`/questions/<pk>/promote/`) and the question page's promotion panel:
who may promote (the asker and editors; 403 for other readers, 404 for who may not read the
question), where the promoter lands, refusals as form errors with nothing stored, and the
article's state shown after promotion."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from kb.models import Article, Category
from kb.services import article_approve
from questions.models import Question
from questions.services.promotion import question_promote
from tests.questions.builders import make_answer, make_question
from tests.search.pages import parse

pytestmark = pytest.mark.django_db
# Session, user, roles; the question; its accepted answer; the categories (one list).
QUERIES = 6


@pytest.fixture
def refunds(db) -> Category:
    return Category.objects.create(name="Refunds", slug="refunds")


@pytest.fixture
def answered(agent, mentor, refunds, team) -> Question:
    question = make_question(author=agent, category=refunds, teams=[team], tags=["refunds"])
    make_answer(question=question, author=mentor, body="Refund each part.", accepted_by=agent)
    return question


def _url(question) -> str:
    return f"/questions/{question.pk}/promote/"


def test_the_asker_sees_the_form_with_the_questions_category(client, agent, answered, refunds):
    client.force_login(agent)
    response = client.get(_url(answered))
    assert response.status_code == 200
    page = parse(response)
    selected = page.find("select", name="category").find("option", selected="")
    assert selected.attrs["value"] == str(refunds.pk)
    assert page.find("input", type="radio", value="faq", checked="") is not None
    assert "Refund each part." in page.text()


def test_the_asker_lands_on_the_question_as_they_may_not_open_the_draft(client, agent, answered):
    client.force_login(agent)
    response = client.post(_url(answered), {"type": "faq", "category": ""})
    assert response.status_code == 302
    assert response["Location"] == answered.get_absolute_url()
    answered.refresh_from_db()
    assert answered.article.status == Article.Status.IN_REVIEW


def test_an_editor_lands_on_the_draft(client, editor, answered):
    client.force_login(editor)
    response = client.post(_url(answered), {"type": "troubleshooting"})
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.type == Article.Type.TROUBLESHOOTING
    assert client.get(response["Location"]).status_code == 200


def test_a_reader_who_did_not_ask_gets_403(client, mentor, answered):
    client.force_login(mentor)
    assert client.get(_url(answered)).status_code == 403
    assert client.post(_url(answered), {"type": "faq"}).status_code == 403
    assert not Article.objects.exists()


def test_an_outsider_gets_404(client, outsider, answered):
    client.force_login(outsider)
    assert client.get(_url(answered)).status_code == 404
    assert client.post(_url(answered), {"type": "faq"}).status_code == 404
    assert not Article.objects.exists()


def test_a_missing_question_is_404(client, editor):
    client.force_login(editor)
    assert client.get("/questions/999999/promote/").status_code == 404


def test_without_an_accepted_answer_it_goes_back_with_why(client, agent, mentor, refunds):
    question = make_question(author=agent, category=refunds)
    make_answer(question=question, author=mentor)
    client.force_login(agent)
    response = client.post(_url(question), {"type": "faq"}, follow=True)
    assert response.redirect_chain == [(question.get_absolute_url(), 302)]
    assert "accepted answer" in " ".join(str(m) for m in response.context["messages"])
    assert not Article.objects.exists()


def test_a_promoted_question_goes_back_with_why(client, agent, answered):
    question_promote(question=answered, user=agent)
    client.force_login(agent)
    response = client.get(_url(answered))
    assert response["Location"] == answered.get_absolute_url()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"type": "howto"},
        {"type": "faq\x00"},
        {"type": "faq", "category": "999999"},
        {"type": "faq", "category": "x" * 10_000},
        {},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(client, agent, answered, data):
    client.force_login(agent)
    response = client.post(_url(answered), data)
    assert response.status_code == 400
    # NUL is refused before the view, with its own message.
    if not any("\x00" in value for value in data.values()):
        assert parse(response).find("ul", class_="errorlist") is not None
    answered.refresh_from_db()
    assert answered.article is None
    assert not Article.objects.exists()


def test_no_category_anywhere_is_an_error_beside_the_field(client, agent, mentor):
    question = make_question(author=agent)
    make_answer(question=question, author=mentor, accepted_by=agent)
    client.force_login(agent)
    response = client.post(_url(question), {"type": "faq", "category": ""})
    assert response.status_code == 400
    field = parse(response).find("select", name="category").parent
    assert "Choose the category" in field.text()
    assert not Article.objects.exists()


def test_a_title_kb_refuses_shows_the_error_and_changes_nothing(client, agent, answered):
    Question.objects.filter(pk=answered.pk).update(title="Refund a split\x07 payment")
    client.force_login(agent)
    response = client.post(_url(answered), {"type": "faq"})
    assert response.status_code == 400
    assert "Article title:" in parse(response).find("div", role="alert").text()
    answered.refresh_from_db()
    assert (answered.article, answered.promoted_at) == (None, None)
    assert not Article.objects.exists()


@pytest.mark.parametrize("categories", [2, 20])
def test_the_page_reads_a_constant_number_of_queries(
    client, agent, answered, categories, django_assert_max_num_queries
):
    Category.objects.bulk_create(
        Category(name=f"Topic {n}", slug=f"topic-{n}") for n in range(categories)
    )
    client.force_login(agent)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(_url(answered)).status_code == 200


# --- The question page's panel -------------------------------------------------------------


def _panel(user, question) -> str:
    request = RequestFactory().get(question.get_absolute_url())
    request.user = user
    question = Question.objects.get(pk=question.pk)
    html = render_to_string(
        "questions/includes/promote_panel.html", {"question": question}, request=request
    )
    return " ".join(parse(html).text().split()) if html.strip() else ""


def test_the_panel_offers_promotion_to_the_asker_and_editors_only(agent, mentor, editor, answered):
    assert "Promote to article" in _panel(agent, answered)
    assert "Promote to article" in _panel(editor, answered)
    assert _panel(mentor, answered) == ""


def test_after_promotion_the_panel_shows_the_state_and_links_for_who_may_open_it(
    agent, mentor, editor, answered
):
    article = question_promote(question=answered, user=agent)
    assert "In review" in _panel(agent, answered)
    assert "Open “" not in _panel(agent, answered)  # the asker may not open the draft
    assert "Open “" in _panel(mentor, answered)  # its author may
    assert "Promote to article" not in _panel(editor, answered)
    article_approve(article=article, editor=editor)
    shown = _panel(agent, answered)
    assert "Published" in shown
    assert "Open “" in shown
