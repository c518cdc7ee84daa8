"""What may already answer a question as it is typed: published articles and questions the
asker may read, found through the search index and re-checked against the database; never a
restricted, unpublished or deflected one (nor in the count shown), nothing for under three
characters."""

from __future__ import annotations

import pytest

from kb.models import Article
from kb.services import article_archive
from questions.models import Question
from questions.selectors.suggestions import answer_suggestions
from searchkit import pipeline
from tests.factories import make_article
from tests.questions.builders import make_question
from tests.search.pages import parse

pytestmark = pytest.mark.django_db

URL = "/questions/ask/suggestions/"


@pytest.fixture
def written(agent, editor, team, search_index):
    """Refund articles and questions: open to everyone, limited to `team`, unpublished,
    deflected; indexed."""
    found = {
        "article": make_article(
            author=editor, title="Refund a split payment", body="Refund each part.",
            approved_by=editor,
        ),
        "restricted": make_article(
            author=editor, title="Refund escalation contacts", body="Call the refund lead.",
            visibility=Article.Visibility.TEAMS, teams=[team], approved_by=editor,
        ),
        "draft": make_article(author=editor, title="Refund draft notes", body="Refund ideas."),
        "question": make_question(author=agent, title="Can a refund go to another card?"),
        "team_question": make_question(
            author=agent, title="Refund a VIP customer without approval?", teams=[team]
        ),
    }  # fmt: skip
    found["deflected"] = make_question(
        author=agent, title="Refund split between card and voucher",
        status=Question.Status.DEFLECTED, deflected_by_article=found["article"],
    )  # fmt: skip
    pipeline.rebuild()
    return found


def _titles(suggestions) -> set[str]:
    return {s.title for s in suggestions}


def test_a_reader_of_the_team_is_offered_every_published_article_and_question(agent, written):
    found = answer_suggestions(user=agent, title="refund")
    assert _titles(found) == {
        "Refund a split payment", "Refund escalation contacts",
        "Can a refund go to another card?", "Refund a VIP customer without approval?",
    }  # fmt: skip
    article = next(s for s in found if s.title == "Refund a split payment")
    assert article.target == f"kb.article:{written['article'].pk}"
    assert article.url == written["article"].get_absolute_url()
    question = next(s for s in found if s.title == "Can a refund go to another card?")
    assert (question.target, question.kind) == (
        f"questions.question:{written['question'].pk}",
        "Question",
    )


def test_an_outsider_is_never_offered_what_they_may_not_read(outsider, written):
    found = answer_suggestions(user=outsider, title="refund")
    assert _titles(found) == {"Refund a split payment", "Can a refund go to another card?"}
    hidden = {
        "Refund escalation contacts",
        "Refund draft notes",
        "Refund a VIP customer without approval?",
        "Refund split between card and voucher",
    }
    for words in ("escalation contacts", "VIP approval", "draft notes", "voucher split"):
        assert not _titles(answer_suggestions(user=outsider, title=words)) & hidden


def test_the_partial_shows_an_outsider_only_what_they_may_read_and_its_count(
    client, outsider, written
):
    client.force_login(outsider)
    response = client.get(URL, {"title": "How do I refund?"})
    assert response.status_code == 200
    page = parse(response)
    links = [a.text() for a in page.find_all("a")]
    assert sorted(links) == ["Can a refund go to another card?", "Refund a split payment"]
    assert page.find("h2").text() == "2 already written that may answer it"
    raw = response.content.decode()
    for hidden in ("escalation", "VIP", "draft", "voucher"):
        assert hidden not in raw


def test_a_stale_document_never_shows_what_is_no_longer_readable(editor, outsider, written):
    article_archive(article=written["article"], editor=editor)  # the index is not told yet
    assert "Refund a split payment" not in _titles(
        answer_suggestions(user=outsider, title="refund")
    )


def test_at_most_five_are_offered(agent, editor, search_index):
    for n in range(7):
        make_article(author=editor, title=f"Refund case {n}", approved_by=editor)
    pipeline.rebuild()
    assert len(answer_suggestions(user=agent, title="refund case")) == 5


@pytest.mark.parametrize("title", ["", "re", "  r  ", "\t\t\n"])
def test_under_three_characters_nothing_is_searched(client, agent, written, title):
    assert answer_suggestions(user=agent, title=title) == ()
    client.force_login(agent)
    response = client.get(URL, {"title": title})
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_each_suggestion_has_a_link_and_a_deflect_button_once_the_title_is_a_question(
    client, agent, written
):
    client.force_login(agent)
    short = parse(client.get(URL, {"title": "refund"}))
    assert short.find("button") is None
    assert "Type your whole question" in short.text()

    page = parse(client.get(URL, {"title": "Can I refund a split payment?"}))
    item = next(
        li for li in page.find_all("li", class_="question-suggestion")
        if li.find("a").text() == "Refund a split payment"
    )  # fmt: skip
    button = item.find("button")
    assert button.attrs["formaction"] == "/questions/ask/deflect/"
    assert button.attrs["form"] == "question-form"
    assert (button.attrs["name"], button.attrs["value"]) == (
        "target",
        f"kb.article:{written['article'].pk}",
    )
    assert item.find("a").attrs["href"] == written["article"].get_absolute_url()
    assert "target" not in item.find("a").attrs  # the same tab


def test_nothing_found_says_so(client, agent, written):
    client.force_login(agent)
    response = client.get(URL, {"title": "zebra migration"})
    assert "Nothing written yet" in parse(response).text()


def test_a_long_or_odd_title_is_answered_not_failed(client, agent, written):
    client.force_login(agent)
    for title in ("refund " * 500, 'AND OR NOT * ( ) : "refund', "<script>refund</script>"):
        response = client.get(URL, {"title": title})
        assert response.status_code == 200
        assert b"<script>refund" not in response.content
