""" "This answered it": a question deflected by an article or another question, from the ask
page (a new, closed record, never routed nor indexed) or for the asker's own open question;
refusals that read the same for what is missing and what is hidden; and the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from haystack import connections

from kb.models import Article
from questions.models import Question, Route
from questions.selectors.suggestions import deflection_counts
from questions.services.asking import NO_SOURCE, TEAMS_REQUIRED, question_deflect
from searchkit import pipeline
from tests.factories import make_article
from tests.questions.builders import make_question
from tests.search.pages import parse, result_titles

pytestmark = pytest.mark.django_db

TITLE = "How do I refund a split payment?"
URL = "/questions/ask/deflect/"


@pytest.fixture
def article(editor):
    return make_article(author=editor, title="Refund a split payment", approved_by=editor)


@pytest.fixture
def restricted(editor, team):
    return make_article(
        author=editor, title="Refund escalation contacts", approved_by=editor,
        visibility=Article.Visibility.TEAMS, teams=[team],
    )  # fmt: skip


# --- the service -----------------------------------------------------------------------------


def test_an_article_that_answered_it_is_kept_as_a_deflected_question(
    agent, article, search_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        question = question_deflect(user=agent, article=article, title=TITLE, body="Card + **v**")
    question.refresh_from_db()
    assert question.status == Question.Status.DEFLECTED
    assert question.closed_at is not None
    assert (question.deflected_by_article, question.deflected_by_question) == (article, None)
    assert (question.author, question.title, question.body_html) == (
        agent, TITLE, "<p>Card + <strong>v</strong></p>"
    )  # fmt: skip
    assert not Route.objects.exists()  # nobody is asked
    assert callbacks == []  # nothing queued: not indexed
    assert connections["default"].get_backend().document_versions("questions.question") == {}


def test_another_question_may_answer_it(agent, mentor):
    answered = make_question(author=mentor, title="Can a refund go to two cards at once?")
    question = question_deflect(user=agent, answered_by=answered, title=TITLE)
    assert question.deflected_by_question == answered


def test_the_asker_closes_their_open_question_as_answered_by_an_article(agent, article):
    question = make_question(author=agent)
    question_deflect(user=agent, article=article, question=question)
    question.refresh_from_db()
    assert question.status == Question.Status.DEFLECTED
    assert question.deflected_by_article == article
    assert question.closed_at is not None
    assert Question.objects.count() == 1


def test_only_the_asker_says_it_was_answered_and_only_while_open(agent, editor, article):
    question = make_question(author=agent)
    with pytest.raises(PermissionDenied):
        question_deflect(user=editor, article=article, question=question)
    question = make_question(author=agent, status=Question.Status.CLOSED)
    with pytest.raises(ValidationError, match="already closed"):
        question_deflect(user=agent, article=article, question=question)
    assert Question.objects.deflected().count() == 0


def test_hidden_and_unpublished_articles_are_refused_in_the_same_words(
    outsider, editor, restricted
):
    draft = make_article(author=editor, title="Refund draft")
    for source in (restricted, draft):
        with pytest.raises(ValidationError) as refusal:
            question_deflect(user=outsider, article=source, title=TITLE)
        assert refusal.value.messages == [NO_SOURCE]
    assert not Question.objects.exists()


def test_hidden_deflected_and_own_questions_do_not_answer_it(agent, outsider, team, article):
    hidden = make_question(author=agent, teams=[team])
    deflected = make_question(
        author=agent, title="Refund split between two cards", status=Question.Status.DEFLECTED,
        deflected_by_article=article,
    )  # fmt: skip
    for source in (hidden, deflected):
        with pytest.raises(ValidationError, match=NO_SOURCE):
            question_deflect(user=outsider, answered_by=source, title=TITLE)
    own = make_question(author=outsider, title="Refund split across two cards?")
    with pytest.raises(ValidationError, match=NO_SOURCE):
        question_deflect(user=outsider, answered_by=own, question=own)
    assert Question.objects.deflected().count() == 1


@pytest.mark.parametrize("title", ["", "Refund?", "x" * 201, "Two\nlines of a title"])
def test_a_new_deflection_needs_a_real_title(agent, article, title):
    with pytest.raises(ValidationError):
        question_deflect(user=agent, article=article, title=title)
    assert not Question.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def test_this_answered_it_from_the_ask_page_goes_to_the_article(client, agent, article):
    client.force_login(agent)
    response = client.post(
        URL,
        {"title": TITLE, "body": "Card and voucher", "tags": "whatever", "urgency": "normal",
         "target": f"kb.article:{article.pk}"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.url == article.get_absolute_url()
    question = Question.objects.get()
    assert (question.status, question.deflected_by_article, question.body) == (
        Question.Status.DEFLECTED, article, "Card and voucher"
    )  # fmt: skip


@pytest.mark.parametrize(
    "target",
    ["", "kb.article:999999", "kb.article:abc", "kb.article:99999999999999999999",
     "people.user:1", "<script>alert(1)</script>"],
)  # fmt: skip
def test_a_missing_or_odd_target_is_refused_with_nothing_saved(client, agent, article, target):
    client.force_login(agent)
    response = client.post(URL, {"title": TITLE, "target": target})
    assert response.status_code == 400
    assert NO_SOURCE in parse(response).find("div", role="alert").text()
    assert b"<script>alert(1)" not in response.content
    assert not Question.objects.exists()


def test_a_hidden_article_reads_as_a_missing_one(client, outsider, restricted):
    client.force_login(outsider)
    hidden = client.post(URL, {"title": TITLE, "target": f"kb.article:{restricted.pk}"})
    missing = client.post(URL, {"title": TITLE, "target": "kb.article:999999"})
    assert hidden.status_code == missing.status_code == 400
    alert = parse(hidden).find("div", role="alert").text()
    assert alert == parse(missing).find("div", role="alert").text()
    assert "escalation" not in hidden.content.decode().lower()


def test_the_asker_picks_what_answered_their_open_question(client, agent, article, search_index):
    from searchkit import pipeline

    question = make_question(author=agent, title="Refund a split payment with two cards?")
    pipeline.rebuild()
    client.force_login(agent)
    page = parse(client.get(URL, {"question": question.pk}))
    buttons = {b.attrs.get("value") for b in page.find_all("button", name="target")}
    assert f"kb.article:{article.pk}" in buttons
    assert page.find("input", id="id_link") is not None

    response = client.post(
        URL, {"question": question.pk, "link": f"http://testserver{article.get_absolute_url()}"}
    )
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    question.refresh_from_db()
    assert question.deflected_by_article == article


def test_a_team_only_question_deflected_from_the_ask_page_stays_team_only(
    client, agent, mentor, outsider, team, article, search_index,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    secret = "How do I refund the zebra merchant's split payment?"
    client.force_login(agent)
    # What the ask form's "This answered my question" button submits: every field of it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"title": secret, "body": "Card and voucher", "tags": "", "urgency": "normal",
             "visibility": "teams", "teams": [team.pk], "target": f"kb.article:{article.pk}"},
        )  # fmt: skip
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.status, question.visibility) == (
        Question.Status.DEFLECTED, Question.Visibility.TEAMS
    )  # fmt: skip
    assert list(question.teams.all()) == [team]
    pipeline.rebuild()  # not even a full rebuild makes it findable

    client.force_login(outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    for tab in ("unanswered", "newest", "votes", "mine", "for-me"):
        for status in ("", "deflected"):
            response = client.get("/questions/", {"tab": tab, "status": status})
            assert response.status_code == 200
            assert "zebra" not in response.content.decode(), (tab, status)
    figures = parse(client.get("/questions/")).find("ul", class_="question-figures").text()
    assert "0 answered by existing content" in figures
    # Search echoes the words typed: what must not show is the question or a link to it.
    for address in ("/search/", "/search/suggest/", "/questions/ask/suggestions/"):
        response = client.get(address, {"q": "zebra merchant", "title": "zebra merchant"})
        assert response.status_code == 200
        assert question.get_absolute_url() not in response.content.decode(), address
    assert "zebra" not in " ".join(result_titles(client.get("/search/", {"q": "zebra"})))

    client.force_login(mentor)  # the team it was limited to reads it
    assert client.get(question.get_absolute_url()).status_code == 200
    listed = client.get("/questions/", {"tab": "newest", "status": "deflected"})
    assert "zebra" in listed.content.decode()


def test_only_chosen_teams_with_no_team_is_refused_with_nothing_saved(client, agent, article):
    with pytest.raises(ValidationError) as refusal:
        question_deflect(
            user=agent, article=article, title=TITLE, visibility=Question.Visibility.TEAMS
        )
    assert refusal.value.message_dict == {"teams": [TEAMS_REQUIRED]}

    client.force_login(agent)
    data = {"title": TITLE, "visibility": "teams", "target": f"kb.article:{article.pk}"}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert TEAMS_REQUIRED in parse(response).find("div", role="alert").text()
    for changes in ({"visibility": "nobody"}, {"teams": ["999999"]}, {"teams": ["x"]}):
        assert client.post(URL, {**data, **changes}).status_code == 400
    assert not Question.objects.exists()


def test_an_open_question_deflected_keeps_its_own_audience(client, agent, team, article):
    question = make_question(author=agent, teams=[team])
    client.force_login(agent)
    response = client.post(
        URL,
        {"question": question.pk, "target": f"kb.article:{article.pk}", "visibility": "everyone"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Question.Status.DEFLECTED
    assert question.visibility == Question.Visibility.TEAMS
    assert list(question.teams.all()) == [team]


def test_a_pasted_link_to_a_question_answers_it(client, agent, mentor):
    answered = make_question(author=mentor, title="Can a refund go to two cards at once?")
    question = make_question(author=agent)
    client.force_login(agent)
    response = client.post(URL, {"question": question.pk, "link": f"/questions/{answered.pk}"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.deflected_by_question == answered


def test_the_deflect_page_is_the_askers_and_hides_from_outsiders(
    client, agent, mentor, outsider, team, article
):
    question = make_question(author=agent, teams=[team])
    client.force_login(mentor)
    assert client.get(URL, {"question": question.pk}).status_code == 403
    data = {"question": question.pk, "target": f"kb.article:{article.pk}"}
    assert client.post(URL, data).status_code == 403
    client.force_login(outsider)
    assert client.get(URL, {"question": question.pk}).status_code == 404
    assert client.post(URL, data).status_code == 404
    assert client.get(URL, {"question": "x"}).status_code == 403
    assert Question.objects.get().status == Question.Status.OPEN


# --- counting --------------------------------------------------------------------------------


def test_deflections_are_counted_with_the_articles_that_answered_most(
    agent, mentor, editor, outsider, article, restricted
):
    other = make_question(author=mentor, title="Can a refund go to two cards at once?")
    for n in range(3):
        question_deflect(user=agent, article=article, title=f"{TITLE} ({n})")
    question_deflect(user=agent, article=restricted, title=TITLE)
    question_deflect(user=agent, answered_by=other, title=TITLE)
    old = question_deflect(user=agent, article=restricted, title=TITLE)
    Question.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=40))

    counts = deflection_counts(since=timezone.now() - timedelta(days=30))
    assert (counts.total, counts.by_article, counts.by_question) == (5, 4, 1)
    assert counts.top_articles == ((article, 3), (restricted, 1))
    # Someone who may not open an article is not told its name; the totals stay.
    for_outsider = deflection_counts(since=timezone.now() - timedelta(days=30), user=outsider)
    assert for_outsider.top_articles == ((article, 3),)
    assert for_outsider.total == 5
