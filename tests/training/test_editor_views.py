"""The track editor's pages: who may create and edit tracks, the settings form with bad
input, reordering steps (plain posts and htmx), and the pages' query counts. Steps, quiz
questions and publishing: test_editor_steps.py."""

from __future__ import annotations

import pytest

from people.models import Role
from tests.factories import UserFactory, make_article
from tests.search.pages import parse
from tests.training.builders import make_session, make_track
from training.models import Track, TrackStep
from training.services import tracks

HTMX = {"HTTP_HX_REQUEST": "true"}


def _settings(**changes) -> dict:
    return {
        "title": "Calm under pressure",
        "description": "",
        "skills": "empathy, conflict resolution",
        "visibility": "everyone",
        "estimated_minutes": "45",
        **changes,
    }


def _edit(track) -> str:
    return f"/training/tracks/{track.slug}/edit/"


def _errors(response, field_id: str) -> str:
    errors = parse(response).find(id=f"{field_id}_error")
    return errors.text() if errors else ""


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def draft(editor):
    """A draft with three practical tasks, T1..T3."""
    track = make_track(owner=editor, title="Calm calls", published=False)
    for n in (1, 2, 3):
        TrackStep.objects.create(
            track=track, position=n, kind="task", title=f"T{n}", description="Do it."
        )
    return track


def _titles(track) -> list[str]:
    return list(track.steps.order_by("position").values_list("title", flat=True))


# --- who may create and edit -----------------------------------------------------------------


def test_an_agent_cannot_open_the_new_track_page(agent_client):
    assert agent_client.get("/training/tracks/new/").status_code == 403
    assert agent_client.post("/training/tracks/new/", _settings()).status_code == 403
    assert not Track.objects.exists()


def test_a_manager_creates_a_track_and_lands_in_the_editor(manager_client):
    response = manager_client.post("/training/tracks/new/", _settings())
    track = Track.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _edit(track)
    assert track.slug == "calm-under-pressure"
    assert sorted(track.skills.names()) == ["conflict resolution", "empathy"]


def test_a_kb_editor_edits_a_managers_track(editor_client, manager):
    track = make_track(owner=manager, published=False)
    assert editor_client.get(_edit(track)).status_code == 200
    response = editor_client.post(_edit(track), _settings(title="Renamed"))
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.title == "Renamed"


def test_another_owner_gets_403(client, editor):
    published = make_track(owner=editor, title="Published one")
    other_manager = UserFactory(roles=[Role.MANAGER])
    client.force_login(other_manager)
    assert client.get(_edit(published)).status_code == 403
    assert client.post(_edit(published), _settings(title="Mine now")).status_code == 403
    published.refresh_from_db()
    assert published.title == "Published one"


def test_someone_elses_draft_is_404(manager_client, editor):
    draft = make_track(owner=editor, published=False)
    assert manager_client.get(_edit(draft)).status_code == 404


def test_an_outsider_gets_404_for_a_track_of_another_team(client, outsider, editor, team):
    track = make_track(owner=editor, visibility="teams")
    track.teams.set([team])
    client.force_login(outsider)
    assert client.get(_edit(track)).status_code == 404
    step = TrackStep.objects.create(track=track, position=1, kind="task", description="x")
    url = f"/training/tracks/{track.slug}/steps/{step.pk}/move/"
    assert client.post(url, {"direction": "up"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["publish/", "steps/{step}/move/", "steps/{step}/remove/", "steps/{step}/questions/add/",
     "steps/{step}/questions/{question}/remove/"],
)  # fmt: skip
def test_post_only_actions_refuse_get(editor_client, editor, path):
    track = make_track(owner=editor, quiz=True)
    step = track.steps.get()
    url = f"/training/tracks/{track.slug}/" + path.format(
        step=step.pk, question=step.questions.first().pk
    )
    assert editor_client.get(url).status_code == 405


# --- settings: bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 10_000, "at most 200 characters"),
        ("title", "", "This field is required."),
        ("estimated_minutes", "99999999999999999999", "less than or equal to 10000"),
        ("estimated_minutes", "0", "greater than or equal to 1"),
        ("estimated_minutes", "soon", "Enter a whole number."),
        ("skills", "x" * 60, "at most 50 characters"),
        ("visibility", "teams", "Choose at least one team"),
        ("teams", "99999999999999999999", "Select a valid choice."),
        ("description", "x" * 6000, "at most 5000 characters"),
    ],
)
def test_bad_settings_are_form_errors_and_nothing_is_saved(
    manager_client, manager, field, value, message
):
    beside = "teams" if field == "visibility" else field
    response = manager_client.post("/training/tracks/new/", _settings(**{field: value}))
    assert response.status_code == 400
    assert message in _errors(response, f"id_{beside}")
    assert not Track.objects.exists()
    track = make_track(owner=manager, title="Kept", published=False)
    response = manager_client.post(_edit(track), _settings(**{field: value}))
    assert response.status_code == 400
    assert message in _errors(response, f"id_{beside}")
    track.refresh_from_db()
    assert (track.title, track.estimated_minutes) == ("Kept", 30)


def test_a_nul_byte_in_the_title_is_refused_and_nothing_is_saved(manager_client, manager):
    # The site refuses a NUL character in any form before a view runs (PostgreSQL could
    # not store it); the answer says so.
    response = manager_client.post("/training/tracks/new/", _settings(title="Calm\x00down"))
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Track.objects.exists()
    track = make_track(owner=manager, title="Kept", published=False)
    assert manager_client.post(_edit(track), _settings(title="A\x00B")).status_code == 400
    track.refresh_from_db()
    assert track.title == "Kept"


def test_the_form_itself_refuses_a_nul_byte():
    from training.forms.editor import TrackForm

    form = TrackForm(_settings(title="Calm\x00down"))
    assert form.errors["title"] == ["Null characters are not allowed."]


def test_a_refused_form_keeps_what_was_typed(manager_client):
    response = manager_client.post("/training/tracks/new/", _settings(estimated_minutes="0"))
    field = parse(response).find(id="id_title")
    assert field.attrs["value"] == "Calm under pressure"


# --- reordering ------------------------------------------------------------------------------


def _move(client, track, title: str, direction: str, **extra):
    step = track.steps.get(title=title)
    url = f"/training/tracks/{track.slug}/steps/{step.pk}/move/"
    return client.post(url, {"direction": direction}, **extra)


def test_moving_up_and_down_without_javascript_returns_to_the_editor(editor_client, draft):
    response = _move(editor_client, draft, "T3", "up")
    step = draft.steps.get(title="T3")
    assert response.status_code == 302
    assert response["Location"] == f"{_edit(draft)}?moved={step.pk}&dir=up#step-{step.pk}"
    assert _titles(draft) == ["T1", "T3", "T2"]
    page = editor_client.get(response["Location"])
    assert "Moved “T3” to position 2." in page.content.decode()
    # The button pressed keeps the focus after the page reloads.
    focused = parse(page).find(autofocus="")
    assert focused.attrs["aria-label"] == "Move up: T3, step 2"
    _move(editor_client, draft, "T1", "down")
    assert _titles(draft) == ["T3", "T1", "T2"]


def test_moving_past_either_end_is_said_not_done(editor_client, draft):
    _move(editor_client, draft, "T1", "up", **HTMX)
    response = _move(editor_client, draft, "T1", "up", **HTMX)
    assert "“T1” is already first." in response.content.decode()
    response = _move(editor_client, draft, "T3", "down", **HTMX)
    assert "“T3” is already last." in response.content.decode()
    assert _titles(draft) == ["T1", "T2", "T3"]


def test_htmx_gets_the_step_list_announcement_and_focus(editor_client, draft):
    response = _move(editor_client, draft, "T2", "up", **HTMX)
    assert response.status_code == 200
    page = parse(response)
    announcement = page.find(hx_swap_oob="innerHTML:#step-status")
    assert announcement.text() == "Moved “T2” to position 1."
    rows = page.find(id="step-list").find_all("li", class_="step-row")
    assert [row.find("strong").text() for row in rows] == ["T2", "T1", "T3"]
    # At the top "Move up" is disabled, so the focus stays on the step's "Move down".
    focused = page.find(data_focus="")
    assert focused.attrs["aria-label"] == "Move down: T2, step 1"
    assert "disabled" in rows[0].find_all("button")[0].attrs
    assert "<html" not in response.content.decode()


def test_the_move_buttons_are_forms_that_htmx_enhances(editor_client, draft):
    page = parse(editor_client.get(_edit(draft)))
    forms = page.find(id="step-list").find_all("form", hx_target="#step-list")
    assert len(forms) == 6  # up and down per step
    assert all(f.attrs["method"] == "post" and f.attrs["action"] for f in forms)
    status = page.find(id="step-status")
    assert status.attrs["aria-live"] == "polite"


def test_a_bad_direction_is_a_message_not_an_error(editor_client, draft):
    assert _move(editor_client, draft, "T2", "sideways", **HTMX).status_code == 400
    assert _titles(draft) == ["T1", "T2", "T3"]


# --- query counts ----------------------------------------------------------------------------

# Measured on a draft, the same at both sizes: the session, the user and their roles (3), the
# track with its teams and skills (3), the steps with their articles and sessions joined and
# the article and session teams (3), the publishing check (2), the learners (1), the team
# choices (1), the article and session choices of the add-step forms (2).
EDIT_PAGE_QUERIES = 15


@pytest.mark.parametrize("size", [2, 10])
def test_the_edit_page_query_count_is_constant(
    editor_client, editor, team, other_team, size, django_assert_max_num_queries
):
    articles = [
        make_article(
            author=editor,
            title=f"Article {n}",
            approved_by=editor,
            visibility="teams",
            teams=[team, other_team],
        )
        for n in range(size)
    ]
    sessions = [make_session(organiser=editor, title=f"Session {n}") for n in range(size)]
    track = make_track(
        owner=editor, articles=articles, sessions=sessions, quiz=True, task=True, published=False
    )
    track.skills.set([f"skill {n}" for n in range(size)])
    track.visibility = "teams"
    track.save()
    track.teams.set([team, other_team])
    for step in track.steps.filter(kind="quiz"):
        for n in range(size):
            tracks.question_add(
                step=step, user=editor, text=f"Q{n}", options=[("A", True), ("B", False)]
            )
    with django_assert_max_num_queries(EDIT_PAGE_QUERIES):
        response = editor_client.get(_edit(track))
    assert response.status_code == 200
    assert response.content.decode().count('class="step-row') == 2 * size + 2


# Measured, the same at both sizes: the session, the user and their roles (3), the track with
# its teams and skills (3), then for the quiz page the step, its questions and their options
# (3), and for an add-a-step page its choices (1).
STEP_PAGE_QUERIES = {"quiz": 9, "add-article": 7, "add-session": 7}


@pytest.mark.parametrize("size", [2, 10])
def test_the_step_pages_query_counts_are_constant(
    editor_client, editor, size, django_assert_max_num_queries
):
    track = make_track(owner=editor, published=False, quiz=True)
    quiz = track.steps.get()
    for n in range(size):
        options = [(f"Option {m}", m == 0) for m in range(size % 7 + 2)]
        tracks.question_add(step=quiz, user=editor, text=f"Q{n}", options=options)
        make_article(author=editor, title=f"Article {n}", approved_by=editor)
        make_session(organiser=editor, title=f"Session {n}")
    pages = {
        "quiz": f"/training/tracks/{track.slug}/steps/{quiz.pk}/edit/",
        "add-article": f"/training/tracks/{track.slug}/steps/add/?kind=article",
        "add-session": f"/training/tracks/{track.slug}/steps/add/?kind=session",
    }
    for name, url in pages.items():
        with django_assert_max_num_queries(STEP_PAGE_QUERIES[name]):
            response = editor_client.get(url)
        assert response.status_code == 200, name
    assert response.content.decode().count("<option") == size + 1
