"""Editing a question (the asker or a KB editor; the earlier text kept as a revision), its
history page, and closing it; who may do each, and the pages' answers to everyone else."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from questions.models import Question, Revision
from questions.services.asking import question_close, question_edit
from tests.factories import make_article
from tests.questions.builders import make_question
from tests.search.pages import parse

pytestmark = pytest.mark.django_db

NEW_TITLE = "How do I refund a payment split over two cards?"


@pytest.fixture
def question(agent, editor):
    make_article(author=editor, tags=["refunds"], approved_by=editor)
    return make_question(author=agent, created_at=timezone.now() - timezone.timedelta(hours=1))


def _edit(question, editor, **changes):
    arguments = {"title": NEW_TITLE, "body": "Two *cards*.", "tags": ["refunds"]}
    return question_edit(question=question, editor=editor, **{**arguments, **changes})


# --- the service -----------------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_and_renders_the_new_one(question, agent):
    old_title, old_body, asked = question.title, question.body, question.updated_at
    _edit(question, agent)

    question.refresh_from_db()
    assert (question.title, question.body_html) == (NEW_TITLE, "<p>Two <em>cards</em>.</p>")
    assert [t.name for t in question.tags.all()] == ["refunds"]
    assert question.updated_at > asked
    assert question.last_activity_at == question.updated_at
    revision = Revision.objects.get()
    assert (revision.question, revision.editor) == (question, agent)
    assert (revision.title, revision.body) == (old_title, old_body)


def test_an_edit_of_tags_only_adds_no_revision(question, agent):
    _edit(question, agent, title=question.title, body=question.body)
    assert not Revision.objects.exists()


def test_a_kb_editor_edits_anyones_question_and_nobody_else_does(question, editor, mentor):
    with pytest.raises(PermissionDenied):
        _edit(question, mentor)
    assert Question.objects.get().title != NEW_TITLE
    _edit(question, editor)
    assert Revision.objects.get().editor == editor


def test_a_tag_the_question_already_has_stays_valid(question, agent):
    question.tags.set(["legacy"])  # no article uses it (any more)
    _edit(question, agent, tags=["legacy", "refunds"])
    assert sorted(t.name for t in question.tags.all()) == ["legacy", "refunds"]
    with pytest.raises(ValidationError):
        _edit(question, agent, tags=["unknown"])


@pytest.mark.parametrize(
    "changes", [{"title": "Short"}, {"title": "x" * 201}, {"body": "x" * 10_001},
                {"title": "Refund a split payment\x00"}],
)  # fmt: skip
def test_a_bad_edit_changes_nothing(question, agent, changes):
    before = Question.objects.values().get()
    with pytest.raises(ValidationError):
        _edit(question, agent, **changes)
    assert Question.objects.values().get() == before
    assert not Revision.objects.exists()


def test_close_closes_an_open_question_once(question, agent, mentor):
    with pytest.raises(PermissionDenied):
        question_close(question=question, user=mentor)
    question_close(question=question, user=agent)
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    assert question.closed_at is not None
    with pytest.raises(ValidationError, match="already closed"):
        question_close(question=question, user=agent)


# --- the pages -------------------------------------------------------------------------------


def test_the_edit_page_saves_and_goes_back_to_the_question(client, question, agent):
    client.force_login(agent)
    url = f"/questions/{question.pk}/edit/"
    page = parse(client.get(url))
    assert page.find("input", id="id_title").attrs["value"] == question.title
    assert page.find("input", id="id_visibility_0") is None  # chosen when asking
    response = client.post(url, {"title": NEW_TITLE, "body": "", "tags": "refunds"})
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert Question.objects.get().title == NEW_TITLE


def test_a_bad_edit_comes_back_with_the_reason_beside_the_field(client, question, agent):
    client.force_login(agent)
    url = f"/questions/{question.pk}/edit/"
    response = client.post(url, {"title": "<b>Hi</b>", "tags": "refunds"})
    assert response.status_code == 400
    assert "at least 10 characters" in parse(response).find(id="id_title_error").text()
    assert b"<b>Hi</b>" not in response.content  # shown as text

    response = client.post(url, {"title": NEW_TITLE, "tags": "refunds, <script>x</script>"})
    assert response.status_code == 400
    assert "“<script>x</script>”" in parse(response).find(id="id_tags_error").text()
    assert b"<script>x</script>" not in response.content
    assert not Revision.objects.exists()
    assert Question.objects.get().title == question.title


def test_the_edit_page_refuses_others_and_hides_from_outsiders(
    client, agent, mentor, outsider, team
):
    hidden = make_question(author=agent, teams=[team])
    client.force_login(mentor)
    assert client.get(f"/questions/{hidden.pk}/edit/").status_code == 403
    assert client.post(f"/questions/{hidden.pk}/close/").status_code == 403
    client.force_login(outsider)
    for page in ("edit", "history", "close"):
        assert client.get(f"/questions/{hidden.pk}/{page}/").status_code == 404
    assert client.post(f"/questions/{hidden.pk}/close/").status_code == 404
    assert Question.objects.get().status == Question.Status.OPEN


def test_the_history_lists_earlier_texts_newest_first_as_text(client, question, agent, editor):
    _edit(question, agent, body="<script>alert(1)</script> first edit")
    _edit(question, editor, title="How do I refund a payment split three ways?", body="2nd")
    client.force_login(agent)
    response = client.get(f"/questions/{question.pk}/history/")
    assert response.status_code == 200
    entries = parse(response).find_all("li", class_="question-revision")
    titles = [e.find("p", class_="question-old-title").text() for e in entries]
    assert titles == [
        "How do I refund a payment split three ways?", NEW_TITLE, "How do I refund a split payment?"
    ]  # fmt: skip
    assert f"Before the edit by {editor.name}" in entries[1].text()
    assert "<script>alert(1)</script>" in entries[1].text()  # shown as text
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize("edits", [2, 20])
def test_the_history_page_reads_a_fixed_number_of_queries(
    client, question, agent, edits, django_assert_max_num_queries
):
    for n in range(edits):
        Revision.objects.create(question=question, editor=agent, title=f"Title {n}", body="b")
    client.force_login(agent)
    # Session, user, roles, the question, its revisions with their editors.
    with django_assert_max_num_queries(5):
        response = client.get(f"/questions/{question.pk}/history/")
    assert len(parse(response).find_all("li", class_="question-revision")) == edits + 1


def test_closing_from_the_page_asks_first_then_closes(client, question, agent):
    client.force_login(agent)
    url = f"/questions/{question.pk}/close/"
    page = parse(client.get(url))
    assert page.find("form", action=url) is not None
    assert Question.objects.get().status == Question.Status.OPEN
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert Question.objects.get().status == Question.Status.CLOSED
    again = client.post(url, follow=True)
    assert "already closed" in again.content.decode()


def test_the_tools_show_each_person_what_they_may_do(question, agent, editor, mentor):
    def tools(user) -> set[str]:
        request = RequestFactory().get("/")
        request.user = user
        html = render_to_string(
            "questions/includes/question_tools.html", {"question": question, "user": user},
            request=request,
        )  # fmt: skip
        page = parse(html)
        return {e.text() for e in (*page.find_all("a"), *page.find_all("button"))}

    assert tools(agent) == {"Edit", "History", "An article answered this", "Close question"}
    assert tools(editor) == {"Edit", "History", "Close question"}
    assert tools(mentor) == {"History"}
    question_close(question=question, user=agent)
    assert tools(agent) == {"Edit", "History"}
