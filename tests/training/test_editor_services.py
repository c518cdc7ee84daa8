"""The track editor's services: who may change a track, dense step positions, quiz questions,
and what publishing refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kb.models import Article
from tests.factories import UserFactory, make_article
from tests.training.builders import enrol, make_session, make_track
from training.models import QuizQuestion, StepCompletion, Track, TrackStep
from training.services import tracks

RIGHT_AND_WRONG = [("Listen first", True), ("Interrupt", False)]


def _positions(track) -> list[tuple[int, int]]:
    return list(track.steps.order_by("position").values_list("pk", "position"))


def _data(**changes) -> dict:
    return {
        "title": "Calm under pressure",
        "description": "De-escalating an angry caller.",
        "skills": ["conflict resolution", "empathy"],
        "visibility": "everyone",
        "teams": [],
        "estimated_minutes": 45,
        **changes,
    }


# --- creating and changing tracks ------------------------------------------------------------


def test_a_kb_editor_creates_a_draft_with_skills_and_a_slug_from_the_title(editor):
    track = tracks.track_create(owner=editor, data=_data())
    assert track.status == Track.Status.DRAFT
    assert track.slug == "calm-under-pressure"
    assert sorted(track.skills.names()) == ["conflict resolution", "empathy"]


def test_a_manager_creates_a_track(manager):
    assert tracks.track_create(owner=manager, data=_data()).owner == manager


def test_an_agent_cannot_create_a_track(agent):
    with pytest.raises(PermissionDenied):
        tracks.track_create(owner=agent, data=_data())
    assert not Track.objects.exists()


def test_slugs_stay_unique(editor):
    first = tracks.track_create(owner=editor, data=_data())
    second = tracks.track_create(owner=editor, data=_data())
    assert (first.slug, second.slug) == ("calm-under-pressure", "calm-under-pressure-2")


def test_a_track_for_teams_needs_a_team(editor):
    with pytest.raises(ValidationError) as refused:
        tracks.track_create(owner=editor, data=_data(visibility="teams", teams=[]))
    assert "teams" in refused.value.message_dict
    assert not Track.objects.exists()


def test_a_track_open_to_everyone_forgets_its_teams(editor, team):
    track = tracks.track_create(owner=editor, data=_data(visibility="teams", teams=[team]))
    tracks.track_update(track=track, user=editor, data=_data(visibility="everyone"))
    assert not track.teams.exists()


def test_the_slug_follows_the_title_until_first_published(editor, article):
    track = tracks.track_create(owner=editor, data=_data())
    tracks.track_update(track=track, user=editor, data=_data(title="Staying calm"))
    assert track.slug == "staying-calm"
    tracks.step_add(track=track, user=editor, data={"kind": "article", "article": article})
    tracks.track_publish(track=track, user=editor)
    tracks.track_update(track=track, user=editor, data=_data(title="Calm, always"))
    track.refresh_from_db()
    assert (track.title, track.slug) == ("Calm, always", "staying-calm")


def test_another_owner_cannot_change_a_track(manager, editor):
    track = make_track(owner=editor, published=False)
    other_manager = UserFactory(roles=["Manager"])
    with pytest.raises(PermissionDenied):
        tracks.track_update(track=track, user=other_manager, data=_data())
    track.refresh_from_db()
    assert track.title == "Refunds basics"


def test_a_kb_editor_changes_someone_elses_track(manager, editor):
    track = make_track(owner=manager, published=False)
    tracks.track_update(track=track, user=editor, data=_data(estimated_minutes=90))
    track.refresh_from_db()
    assert track.estimated_minutes == 90


@pytest.mark.parametrize("minutes", [0, 10_001, 10**12])
def test_an_estimate_out_of_range_is_refused(editor, minutes):
    with pytest.raises(ValidationError):
        tracks.track_create(owner=editor, data=_data(estimated_minutes=minutes))
    assert not Track.objects.exists()


# --- steps -----------------------------------------------------------------------------------


def test_steps_are_added_at_the_end_in_order(editor, article):
    track = make_track(owner=editor, published=False)
    kinds = [
        {"kind": "article", "article": article},
        {"kind": "external", "title": "Talk", "url": "https://example.com/talk"},
        {"kind": "task", "title": "Practise", "description": "Take a call."},
        {"kind": "quiz", "title": "Check", "pass_mark": 80},
    ]
    added = [tracks.step_add(track=track, user=editor, data=data) for data in kinds]
    assert [s.position for s in added] == [1, 2, 3, 4]


def test_a_step_keeps_only_the_fields_of_its_kind(editor, article):
    track = make_track(owner=editor, published=False)
    step = tracks.step_add(
        track=track,
        user=editor,
        data={"kind": "task", "title": "Practise", "description": "Do it.", "pass_mark": 50,
              "url": "https://example.com", "article": article, "requires_confirmation": True},
    )  # fmt: skip
    step.refresh_from_db()
    assert (step.pass_mark, step.url, step.article_id) == (None, "", None)
    assert step.requires_confirmation


@pytest.mark.parametrize("pass_mark", [0, 101, None])
def test_a_quiz_needs_a_pass_mark_from_1_to_100(editor, pass_mark):
    track = make_track(owner=editor, published=False)
    with pytest.raises(ValidationError) as refused:
        tracks.step_add(track=track, user=editor, data={"kind": "quiz", "pass_mark": pass_mark})
    assert "pass_mark" in refused.value.message_dict
    assert not track.steps.exists()


def test_an_article_the_editor_cannot_read_is_refused(manager, editor, other_team):
    hidden = make_article(
        author=editor, title="Tech only", visibility="teams", teams=[other_team],
        approved_by=editor,
    )  # fmt: skip
    track = make_track(owner=manager, published=False)
    with pytest.raises(ValidationError) as refused:
        tracks.step_add(track=track, user=manager, data={"kind": "article", "article": hidden})
    assert "article" in refused.value.message_dict


def test_a_step_keeps_its_archived_article_when_edited(editor, article):
    track = make_track(owner=editor, published=False, articles=[article])
    step = track.steps.get()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    tracks.step_update(step=step, user=editor, data={"article": article, "title": "Renamed"})
    step.refresh_from_db()
    assert (step.title, step.article_id) == ("Renamed", article.pk)


def test_a_cancelled_session_cannot_be_chosen(editor):
    session = make_session(organiser=editor, status="cancelled")
    track = make_track(owner=editor, published=False)
    with pytest.raises(ValidationError):
        tracks.step_add(track=track, user=editor, data={"kind": "session", "session": session})


@pytest.fixture
def five(editor):
    track = make_track(owner=editor, published=False)
    for n in range(5):
        tracks.step_add(
            track=track, user=editor, data={"kind": "task", "title": f"T{n}", "description": "x"}
        )
    return track, list(track.steps.order_by("position"))


def test_moving_up_swaps_with_the_step_above(editor, five):
    track, steps = five
    moved = tracks.step_move(step=steps[2], user=editor, direction="up")
    assert moved.position == 2
    order = list(track.steps.order_by("position").values_list("title", flat=True))
    assert order == ["T0", "T2", "T1", "T3", "T4"]


def test_moving_down_swaps_with_the_step_below(editor, five):
    track, steps = five
    assert tracks.step_move(step=steps[0], user=editor, direction="down").position == 2
    assert [p for _, p in _positions(track)] == [1, 2, 3, 4, 5]


def test_moving_past_either_end_changes_nothing(editor, five):
    track, steps = five
    before = _positions(track)
    assert tracks.step_move(step=steps[0], user=editor, direction="up").position == 1
    assert tracks.step_move(step=steps[-1], user=editor, direction="down").position == 5
    assert _positions(track) == before


def test_a_direction_other_than_up_or_down_is_refused(editor, five):
    with pytest.raises(ValidationError):
        tracks.step_move(step=five[1][0], user=editor, direction="sideways")


def test_moving_closes_gaps_left_by_earlier_data(editor, five):
    track, steps = five
    TrackStep.objects.filter(pk=steps[4].pk).update(position=40)
    tracks.step_move(step=steps[4], user=editor, direction="up")
    assert [p for _, p in _positions(track)] == [1, 2, 3, 4, 5]


def test_removing_a_step_renumbers_the_rest(editor, five):
    track, steps = five
    tracks.step_remove(step=steps[1], user=editor)
    assert list(track.steps.order_by("position").values_list("title", "position")) == [
        ("T0", 1), ("T2", 2), ("T3", 3), ("T4", 4),
    ]  # fmt: skip


def test_an_agent_cannot_move_or_remove_steps(agent, five):
    track, steps = five
    with pytest.raises(PermissionDenied):
        tracks.step_move(step=steps[1], user=agent, direction="up")
    with pytest.raises(PermissionDenied):
        tracks.step_remove(step=steps[1], user=agent)
    assert len(_positions(track)) == 5


def test_a_published_track_keeps_its_last_step(editor, article):
    track = make_track(owner=editor, articles=[article])
    with pytest.raises(ValidationError, match="at least one step"):
        tracks.step_remove(step=track.steps.get(), user=editor)
    assert track.steps.count() == 1


def test_removing_the_last_step_left_completes_learners_who_did_the_rest(editor, agent, track):
    enrolment = enrol(agent, track)
    article_step, quiz_step, task_step = track.steps.order_by("position")
    for step in (article_step, quiz_step):
        StepCompletion.objects.create(enrolment=enrolment, step=step)
    tracks.step_remove(step=task_step, user=editor)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert enrolment.certificate_code


# --- quiz questions --------------------------------------------------------------------------


@pytest.fixture
def quiz(editor):
    track = make_track(owner=editor, published=False)
    return tracks.step_add(track=track, user=editor, data={"kind": "quiz", "pass_mark": 80})


def test_a_question_with_one_or_several_correct_options_is_added(editor, quiz):
    one = tracks.question_add(step=quiz, user=editor, text="First?", options=RIGHT_AND_WRONG)
    several = tracks.question_add(
        step=quiz, user=editor, text="All that apply?",
        options=[("A", True), ("B", True), ("C", False)], explanation="A and B both work.",
    )  # fmt: skip
    assert (one.position, several.position) == (1, 2)
    assert list(several.options.values_list("text", "is_correct")) == [
        ("A", True), ("B", True), ("C", False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([("A", False), ("B", False)], "at least one option as correct"),
        ([("A", True)], "at least 2 options"),
        ([("A", True), ("", False), ("  ", False)], "at least 2 options"),
        ([(str(n), n == 0) for n in range(9)], "at most 8 options"),
        ([("A", True), ("", True)], "needs its text"),
        ([("Same", True), ("same", False)], "say the same"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_saved(editor, quiz, options, message):
    with pytest.raises(ValidationError, match=message) as refused:
        tracks.question_add(step=quiz, user=editor, text="Which?", options=options)
    assert "options" in refused.value.message_dict
    assert not QuizQuestion.objects.exists()


def test_only_a_quiz_has_questions(editor, five):
    with pytest.raises(ValidationError):
        tracks.question_add(step=five[1][0], user=editor, text="?", options=RIGHT_AND_WRONG)


def test_removing_a_question_renumbers_the_rest(editor, quiz):
    for text in ("One", "Two", "Three"):
        tracks.question_add(step=quiz, user=editor, text=text, options=RIGHT_AND_WRONG)
    tracks.question_remove(question=quiz.questions.get(text="One"), user=editor)
    assert list(quiz.questions.values_list("text", "position")) == [("Two", 1), ("Three", 2)]


def test_a_published_quiz_keeps_its_last_question(editor):
    track = make_track(owner=editor, quiz=True)
    quiz = track.steps.get()
    quiz.questions.last().delete()
    with pytest.raises(ValidationError, match="at least one question"):
        tracks.question_remove(question=quiz.questions.get(), user=editor)


# --- publishing ------------------------------------------------------------------------------


def test_publishing_an_empty_track_is_refused(editor):
    track = make_track(owner=editor, published=False)
    with pytest.raises(ValidationError, match="Add at least one step"):
        tracks.track_publish(track=track, user=editor)
    track.refresh_from_db()
    assert track.status == Track.Status.DRAFT


def test_a_quiz_without_questions_blocks_publishing(editor, quiz):
    with pytest.raises(ValidationError, match="add at least one question"):
        tracks.track_publish(track=quiz.track, user=editor)


def test_a_question_without_a_correct_option_blocks_publishing(editor, quiz):
    question = tracks.question_add(step=quiz, user=editor, text="?", options=RIGHT_AND_WRONG)
    question.options.update(is_correct=False)  # as an admin edit could leave it
    with pytest.raises(ValidationError, match="question 1 has no correct option"):
        tracks.track_publish(track=quiz.track, user=editor)


def test_an_article_step_whose_article_was_deleted_blocks_publishing(editor, article):
    track = make_track(owner=editor, published=False, articles=[article])
    TrackStep.objects.filter(track=track).update(article=None)
    with pytest.raises(ValidationError, match="its article was deleted"):
        tracks.track_publish(track=track, user=editor)


def test_every_problem_is_listed_at_once(editor, quiz, article):
    tracks.step_add(track=quiz.track, user=editor, data={"kind": "article", "article": article})
    TrackStep.objects.filter(kind="article").update(article=None)
    with pytest.raises(ValidationError) as refused:
        tracks.track_publish(track=quiz.track, user=editor)
    assert len(refused.value.messages) == 2


def test_a_track_with_steps_is_published_and_unpublished(editor, article):
    track = make_track(owner=editor, published=False, articles=[article])
    tracks.track_publish(track=track, user=editor)
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED
    assert track.published_at is not None
    tracks.track_unpublish(track=track, user=editor)
    track.refresh_from_db()
    assert track.status == Track.Status.DRAFT


def test_only_an_editor_of_the_track_publishes(agent, editor, article):
    track = make_track(owner=editor, published=False, articles=[article])
    with pytest.raises(PermissionDenied):
        tracks.track_publish(track=track, user=agent)
    track.refresh_from_db()
    assert track.status == Track.Status.DRAFT
