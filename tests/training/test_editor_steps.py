"""The track editor's step pages: adding a step of each kind (the article and session lists,
what is flagged to the owner), editing and removing steps, quiz questions, and publishing."""

from __future__ import annotations

import pytest

from kb.models import Article
from tests.factories import make_article
from tests.search.pages import parse
from tests.training.builders import make_session, make_track

# The editor's fixtures, shared with the editor's other pages.
from tests.training.test_editor_views import _edit, _errors
from tests.training.test_editor_views import draft as draft
from tests.training.test_editor_views import editor_client as editor_client
from training.models import QuizQuestion, TrackStep
from training.services import tracks

# --- adding, editing, removing steps ---------------------------------------------------------


def test_the_editor_offers_a_form_for_each_kind(editor_client, draft):
    page = parse(editor_client.get(_edit(draft)))
    kinds = [i.attrs["value"] for i in page.find(id="add-step").find_all("input", name="kind")]
    assert kinds == ["article", "external", "task", "quiz", "session"]


def test_adding_an_article_step(editor_client, draft, article):
    response = editor_client.post(
        f"/training/tracks/{draft.slug}/steps/add/",
        {"kind": "article", "article": str(article.pk), "title": ""},
    )
    assert response.status_code == 302
    step = draft.steps.get(kind="article")
    assert (step.position, step.article_id) == (4, article.pk)


def test_the_article_list_holds_only_articles_the_editor_can_read_grouped_by_category(
    client, manager, editor, article, other_team
):
    make_article(
        author=editor, title="Tech secrets", visibility="teams", teams=[other_team],
        approved_by=editor,
    )  # fmt: skip
    make_article(author=editor, title="Unfinished draft")
    track = make_track(owner=manager, published=False)
    client.force_login(manager)
    page = parse(client.get(f"/training/tracks/{track.slug}/steps/add/?kind=article"))
    select = page.find("select", name="article")
    groups = select.find_all("optgroup")
    assert [g.attrs["label"] for g in groups] == [str(article.category)]
    assert [o.text() for o in select.find_all("option")] == ["Choose an article", article.title]


def test_an_article_for_some_teams_is_marked_and_flagged(editor_client, draft, editor, team):
    restricted = make_article(
        author=editor, title="Billing only", visibility="teams", teams=[team], approved_by=editor
    )
    page = parse(editor_client.get(_edit(draft)))
    labels = [o.text() for o in page.find("select", name="article").find_all("option")]
    assert "Billing only (only some teams)" in labels
    response = editor_client.post(
        f"/training/tracks/{draft.slug}/steps/add/",
        {"kind": "article", "article": str(restricted.pk)},
        follow=True,
    )
    body = response.content.decode()
    assert "Only some teams can read the article: learners who cannot read it skip" in body


def test_a_track_for_the_articles_own_team_is_not_flagged(editor_client, editor, team):
    restricted = make_article(
        author=editor, title="Billing only", visibility="teams", teams=[team], approved_by=editor
    )
    track = make_track(owner=editor, published=False, articles=[restricted], visibility="teams")
    track.teams.set([team])
    page = parse(editor_client.get(_edit(track)))
    assert page.find(id="step-list").find("p", class_="notice") is None


def test_archived_and_deleted_articles_are_flagged_to_the_owner(editor_client, editor, article):
    gone = make_article(author=editor, title="Old policy", approved_by=editor)
    track = make_track(owner=editor, published=False, articles=[article, gone])
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    TrackStep.objects.filter(article=gone).update(article=None)
    body = parse(editor_client.get(_edit(track)))
    flags = [n.text() for n in body.find_all("p", class_="notice")]
    assert flags == [
        "⚠ The article is archived: learners who cannot read it skip this step.",
        "⚠ The article was deleted: choose another article or remove the step.",
    ]


def test_a_missing_field_of_a_kind_is_an_error_beside_it(editor_client, draft):
    url = f"/training/tracks/{draft.slug}/steps/add/"
    response = editor_client.post(url, {"kind": "external", "title": "Talk", "url": ""})
    assert response.status_code == 400
    assert "This field is required." in _errors(response, "id_external_url")
    response = editor_client.post(url, {"kind": "task", "title": "Practise", "description": ""})
    assert "This field is required." in _errors(response, "id_task_description")
    assert draft.steps.count() == 3


@pytest.mark.parametrize("pass_mark", ["0", "101", "99999999999999999999", "-5"])
def test_a_pass_mark_outside_1_to_100_is_refused(editor_client, draft, pass_mark):
    response = editor_client.post(
        f"/training/tracks/{draft.slug}/steps/add/",
        {"kind": "quiz", "title": "Check", "pass_mark": pass_mark},
    )
    assert response.status_code == 400
    assert "The pass mark is a percentage from 1 to 100." in _errors(response, "id_quiz_pass_mark")
    assert not draft.steps.filter(kind="quiz").exists()


def test_an_unknown_kind_returns_to_the_editor(editor_client, draft):
    response = editor_client.post(f"/training/tracks/{draft.slug}/steps/add/", {"kind": "dance"})
    assert response.status_code == 302
    assert draft.steps.count() == 3


def test_a_session_step_offers_upcoming_sessions_the_editor_can_see(
    editor_client, draft, editor, manager, other_team
):
    upcoming = make_session(organiser=editor, title="Roundtable")
    make_session(organiser=editor, title="Last week", days=-7)
    make_session(organiser=editor, title="Called off", status="cancelled")
    page = parse(editor_client.get(f"/training/tracks/{draft.slug}/steps/add/?kind=session"))
    labels = [o.text() for o in page.find("select", name="session").find_all("option")]
    assert len(labels) == 2
    assert labels[1].startswith("Roundtable · ")
    editor_client.post(
        f"/training/tracks/{draft.slug}/steps/add/", {"kind": "session", "session": upcoming.pk}
    )
    assert draft.steps.get(kind="session").session == upcoming


def test_editing_a_step(editor_client, draft):
    step = draft.steps.get(title="T2")
    url = f"/training/tracks/{draft.slug}/steps/{step.pk}/edit/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {"title": "Role-play", "description": "With a colleague.", "requires_confirmation": "on"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.requires_confirmation, step.position) == ("Role-play", True, 2)


def test_editing_a_step_with_bad_input_changes_nothing(editor_client, draft):
    step = draft.steps.get(title="T2")
    url = f"/training/tracks/{draft.slug}/steps/{step.pk}/edit/"
    response = editor_client.post(url, {"title": "x" * 10_000, "description": "y"})
    assert response.status_code == 400
    assert "at most 200 characters" in _errors(response, "id_task_title")
    step.refresh_from_db()
    assert step.title == "T2"


def test_removing_asks_first_then_renumbers(editor_client, draft):
    step = draft.steps.get(title="T1")
    url = f"/training/tracks/{draft.slug}/steps/{step.pk}/remove/"
    response = editor_client.post(url)
    assert response.status_code == 200
    assert "Remove step 1, “T1”?" in response.content.decode()
    assert draft.steps.count() == 3
    response = editor_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert list(draft.steps.values_list("title", "position")) == [("T2", 1), ("T3", 2)]


def test_a_step_of_another_track_is_404(editor_client, draft, editor):
    other = make_track(owner=editor, title="Other", published=False)
    step = TrackStep.objects.create(track=other, position=1, kind="task", description="x")
    url = f"/training/tracks/{draft.slug}/steps/{step.pk}/edit/"
    assert editor_client.get(url).status_code == 404


# --- quiz questions --------------------------------------------------------------------------


@pytest.fixture
def quiz(editor, draft):
    return tracks.step_add(
        track=draft, user=editor, data={"kind": "quiz", "title": "Check", "pass_mark": 80}
    )


def _question(**changes) -> dict:
    data = {
        "text": "What comes first?",
        "option_1": "Listen",
        "correct_1": "on",
        "option_2": "Interrupt",
        "explanation": "Listening calms the caller.",
    }
    return {**data, **changes}


def test_the_quiz_page_offers_eight_option_rows_four_of_them_at_once(editor_client, draft, quiz):
    page = parse(editor_client.get(f"/training/tracks/{draft.slug}/steps/{quiz.pk}/edit/"))
    options = page.find("fieldset", class_="question-options")
    texts = options.find_all("input", type="text")
    boxes = options.find_all("input", type="checkbox")
    assert [t.attrs["name"] for t in texts] == [f"option_{n}" for n in range(1, 9)]
    assert [b.attrs["name"] for b in boxes] == [f"correct_{n}" for n in range(1, 9)]
    more = options.find("details", class_="more-options")
    assert len(more.find_all("input", type="text")) == 4
    assert "open" not in more.attrs
    labels = {label.attrs.get("for"): label.text() for label in options.find_all("label")}
    assert labels[boxes[0].attrs["id"]] == "Option 1 is correct"
    assert labels[texts[0].attrs["id"]] == "Option 1"


def test_adding_a_question_with_several_correct_options(editor_client, draft, quiz):
    url = f"/training/tracks/{draft.slug}/steps/{quiz.pk}/questions/add/"
    response = editor_client.post(url, _question(option_3="Acknowledge", correct_3="on"))
    assert response.status_code == 302
    question = quiz.questions.get()
    assert list(question.options.values_list("text", "is_correct")) == [
        ("Listen", True), ("Interrupt", False), ("Acknowledge", True),
    ]  # fmt: skip
    page = editor_client.get(f"/training/tracks/{draft.slug}/steps/{quiz.pk}/edit/")
    assert "What comes first?" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"correct_1": ""}, "Mark at least one option as correct."),
        ({"option_2": ""}, "Give at least 2 options."),
        ({"correct_5": "on"}, "An option marked correct needs its text."),
    ],
)
def test_a_bad_question_is_an_error_beside_the_options(
    editor_client, draft, quiz, changes, message
):
    url = f"/training/tracks/{draft.slug}/steps/{quiz.pk}/questions/add/"
    response = editor_client.post(url, _question(**changes))
    assert response.status_code == 400
    page = parse(response)
    assert message in page.find(id="id_q_options_error").text()
    options = page.find("fieldset", class_="question-options")
    assert "id_q_options_error" in options.attrs["aria-describedby"]
    # What was typed is kept.
    assert page.find(id="id_q_text").text() == "What comes first?"
    assert page.find(id="id_q_option_1").attrs["value"] == "Listen"
    more = page.find("details", class_="more-options")
    assert ("open" in more.attrs) is ("correct_5" in changes)
    assert not QuizQuestion.objects.exists()


def test_a_question_with_a_nul_byte_is_refused(editor_client, draft, quiz):
    url = f"/training/tracks/{draft.slug}/steps/{quiz.pk}/questions/add/"
    response = editor_client.post(url, _question(option_2="Inter\x00rupt"))
    assert response.status_code == 400
    assert not QuizQuestion.objects.exists()


def test_questions_belong_to_quizzes_only(editor_client, draft):
    step = draft.steps.get(title="T1")
    url = f"/training/tracks/{draft.slug}/steps/{step.pk}/questions/add/"
    assert editor_client.post(url, _question()).status_code == 404


def test_removing_a_question(editor_client, editor, draft, quiz):
    question = tracks.question_add(
        step=quiz, user=editor, text="?", options=[("A", True), ("B", False)]
    )
    url = f"/training/tracks/{draft.slug}/steps/{quiz.pk}/questions/{question.pk}/remove/"
    assert editor_client.post(url).status_code == 302
    assert not quiz.questions.exists()


# --- publishing ------------------------------------------------------------------------------


def test_publishing_an_empty_track_shows_why_on_the_edit_page(editor_client, editor):
    track = make_track(owner=editor, published=False)
    response = editor_client.post(f"/training/tracks/{track.slug}/publish/")
    assert response.status_code == 400
    alert = parse(response).find(role="alert")
    assert "Add at least one step before publishing." in alert.text()
    track.refresh_from_db()
    assert track.status == "draft"


def test_the_edit_page_lists_what_stops_publishing(editor_client, draft, quiz):
    body = editor_client.get(_edit(draft)).content.decode()
    assert "Step 4 “Check”: add at least one question to the quiz." in body


def test_publishing_and_unpublishing(editor_client, draft):
    url = f"/training/tracks/{draft.slug}/publish/"
    assert editor_client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert editor_client.post(url, {"action": "unpublish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_agent_cannot_publish(agent_client, editor):
    track = make_track(owner=editor, published=False, task=True)
    track_url = f"/training/tracks/{track.slug}/publish/"
    assert agent_client.post(track_url).status_code == 404  # a draft is hidden from them
    track.status, track.published_at = "published", track.created_at
    track.save()
    assert agent_client.post(track_url, {"action": "unpublish"}).status_code == 403
    track.refresh_from_db()
    assert track.status == "published"
