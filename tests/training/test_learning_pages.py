"""The track page and the step pages as a learner takes a track: who may open them, each
step's state, completing steps in and out of order, enrolling and leaving, and constant
query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kb.services.workflow import article_archive
from tests.factories import UserFactory, make_article
from tests.training.builders import (
    enrol,
    make_session,
    make_track,
    publish_new_revision,
    quiz_answers,
)
from training.models import (
    Enrolment,
    QuizAttempt,
    Session,
    SessionSignup,
    StepCompletion,
    TrackStep,
)
from training.services import learning
from training.services.progress import step_complete


def _page(client, track) -> str:
    response = client.get(f"/training/tracks/{track.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _step_url(step, end=""):
    return f"/training/tracks/{step.track.slug}/steps/{step.pk}/{end}"


def _steps(track):
    return {step.kind: step for step in track.steps.all()}


# --- Who may open it ----------------------------------------------------------------------


def test_a_teams_track_is_404_for_outsiders(client, outsider, agent, editor, team, article):
    track = make_track(owner=editor, title="Billing only", articles=[article], visibility="teams")
    track.teams.set([team])
    step = track.steps.first()
    client.force_login(outsider)
    for url in (f"/training/tracks/{track.slug}/", _step_url(step)):
        assert client.get(url).status_code == 404
    assert client.post(f"/training/tracks/{track.slug}/enrol/").status_code == 404
    assert not Enrolment.objects.exists()
    client.force_login(agent)
    assert client.get(f"/training/tracks/{track.slug}/").status_code == 200


def test_a_draft_is_for_its_owner_and_kb_editors_with_a_banner(client, agent, manager, article):
    owner = manager
    draft = make_track(owner=owner, title="In the works", articles=[article], published=False)
    client.force_login(agent)
    assert client.get(f"/training/tracks/{draft.slug}/").status_code == 404
    for person in (owner, UserFactory(roles=["KB Editor"])):
        client.force_login(person)
        html = _page(client, draft)
        assert "Draft." in html
        assert f'href="/training/tracks/{draft.slug}/edit/"' in html
        assert "Learners can enrol once the track is published." in html


def test_the_page_shows_what_the_track_is(client, agent, editor, track):
    track.description = "Hear what the customer means."
    track.estimated_minutes = 90
    track.save()
    track.skills.set(["listening", "empathy"])
    client.force_login(agent)
    html = _page(client, track)
    assert "Hear what the customer means." in html
    assert "listening" in html
    assert "empathy" in html
    assert "<dt>Estimated time</dt><dd>1 h 30 min</dd>" in html
    assert editor.name in html
    assert "<dt>Status</dt>" not in html  # the track's status is the editors' business
    assert 'action="/training/tracks/refunds-basics/enrol/"' in html
    assert f"/training/tracks/{track.slug}/edit/" not in html  # agents do not edit
    assert "/assign/" not in html  # nor assign


def test_editors_see_the_tracks_status(client, editor, track):
    client.force_login(editor)
    assert "<dt>Status</dt><dd>Published</dd>" in _page(client, track)


def test_the_learners_place_comes_before_the_steps(client, agent, track):
    """On a phone the page is one column in the order of the markup: progress, due date and
    certificate first, then the steps."""
    enrol(agent, track, due_on=timezone.localdate() + timedelta(days=3))
    client.force_login(agent)
    html = _page(client, track)
    assert html.index("Your progress") < html.index('id="steps-h"')
    assert html.index("Due ") < html.index('id="steps-h"')


def test_a_skipped_step_is_named_without_a_link(client, agent, editor, track, article):
    enrol(agent, track)
    article_archive(article=article, editor=editor)
    client.force_login(agent)
    html = _page(client, track)
    step = _steps(track)["article"]
    assert f'href="{_step_url(step)}"' not in html
    assert "Skipped: you cannot read this article" in html
    assert f'href="{_step_url(_steps(track)["quiz"])}"' in html
    assert "<dt>Steps</dt><dd>2 <span" in html  # the two that count, and the skipped one apart


def test_managers_see_a_link_to_assign(manager_client, track):
    assert f'href="/training/tracks/{track.slug}/assign/"' in _page(manager_client, track)


# --- Enrolling and leaving ------------------------------------------------------------------


def test_enrolling_twice_through_the_page_is_one_enrolment(agent_client, agent, track):
    for _ in range(2):
        response = agent_client.post(f"/training/tracks/{track.slug}/enrol/")
        assert response.status_code == 302
    assert Enrolment.objects.filter(user=agent, track=track).count() == 1


@pytest.mark.parametrize("action", ["enrol", "withdraw"])
def test_enrol_and_withdraw_refuse_get(agent_client, agent, track, action):
    enrol(agent, track)
    assert agent_client.get(f"/training/tracks/{track.slug}/{action}/").status_code == 405


def test_leaving_asks_for_confirmation_then_keeps_the_progress(agent_client, agent, track):
    enrolment = enrol(agent, track)
    step_complete(enrolment=enrolment, step=_steps(track)["article"])
    html = _page(agent_client, track)
    assert "<summary>Leave track…</summary>" in html
    assert "Your progress is kept" in html
    response = agent_client.post(f"/training/tracks/{track.slug}/withdraw/", follow=True)
    assert "You left the track." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    html = _page(agent_client, track)
    assert "Enrol again" in html


def test_someone_not_enrolled_cannot_withdraw(agent_client, track):
    assert agent_client.post(f"/training/tracks/{track.slug}/withdraw/").status_code == 404


# --- Progress and step states ----------------------------------------------------------------


def test_progress_bar_due_date_and_overdue_badge(client, agent, track):
    enrolment = enrol(agent, track, due_on=timezone.localdate() - timedelta(days=2))
    step_complete(enrolment=enrolment, step=_steps(track)["article"])
    client.force_login(agent)
    html = _page(client, track)
    assert "1 of 3 steps done (33%)" in html
    assert re.search(
        r'<progress max="100" value="33" aria-labelledby="track-progress" '
        r'aria-valuetext="33%, 1 of 3 steps">',
        html,
    )
    assert '<span class="pill overdue">Overdue</span>' in html


def test_each_state_reads_for_the_learner(client, agent, editor, team, other_team):
    readable = make_article(author=editor, title="Readable", approved_by=editor)
    hidden = make_article(
        author=editor,
        title="Tech secrets",
        visibility="teams",
        teams=[other_team],
        approved_by=editor,
    )
    changing = make_article(author=editor, title="Changing", approved_by=editor)
    track = make_track(
        owner=editor, title="States", articles=[readable, hidden, changing], task=True, quiz=True
    )
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    steps = list(track.steps.all())
    enrolment = enrol(agent, track)
    step_complete(enrolment=enrolment, step=steps[0])
    step_complete(enrolment=enrolment, step=steps[2])
    learning.task_evidence_submit(enrolment=enrolment, step=steps[4], evidence="Did it")
    publish_new_revision(changing, editor=editor, body="New text.")

    client.force_login(agent)
    html = _page(client, track)
    assert "Done" in html
    assert "To do" in html  # the quiz
    assert "Waiting for a reviewer" in html
    assert "Skipped: you cannot read this article" in html
    assert "Tech secrets" not in html  # a title the learner may not read is not shown
    assert "Updated since you completed it" in html
    # kb's compare page shows a reader what changed between the two published revisions.
    compare = f"/kb/a/{steps[2].article.slug}/compare/?from=1&to=2"
    assert f'href="{compare.replace("&", "&amp;")}"' in html
    assert "New text." in client.get(compare).content.decode()
    assert html.count("Mark as re-read") == 1
    assert "1 of 4 steps done" not in html  # the skipped step does not count
    assert "2 of 4 steps done (50%)" in html


def test_an_editor_who_read_the_old_text_gets_the_same_compare_link(client, editor, track, article):
    enrolment = enrol(editor, track)
    step_complete(enrolment=enrolment, step=_steps(track)["article"])
    publish_new_revision(article, editor=editor, body="Changed.")
    client.force_login(editor)
    html = _page(client, track)
    assert f'href="/kb/a/{article.slug}/compare/?from=1&amp;to=2"' in html


def test_a_completed_track_links_its_certificate(client, agent, track):
    enrolment = enrol(agent, track)
    for step in track.steps.all():
        step_complete(enrolment=enrolment, step=step)
    enrolment.refresh_from_db()
    client.force_login(agent)
    html = _page(client, track)
    assert f'href="/training/certificates/{enrolment.certificate_code}/"' in html
    assert "Leave track" not in html


# --- Completing steps through the pages --------------------------------------------------------


def test_steps_completed_out_of_order_through_the_pages(agent_client, agent, track):
    enrolment = enrol(agent, track)
    steps = _steps(track)
    response = agent_client.post(
        _step_url(steps["quiz"], "quiz/"),
        {f"q{q}": [str(o) for o in options] for q, options in quiz_answers(steps["quiz"]).items()},
    )
    assert response.status_code == 302
    response = agent_client.post(_step_url(steps["task"], "done/"), {"evidence": "Took a call."})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.is_active
    response = agent_client.post(_step_url(steps["article"], "done/"))
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.is_completed
    assert enrolment.certificate_code


def test_steps_completed_in_order_through_the_pages(agent_client, agent, track):
    enrolment = enrol(agent, track)
    steps = _steps(track)
    agent_client.post(_step_url(steps["article"], "done/"))
    agent_client.post(
        _step_url(steps["quiz"], "quiz/"),
        {f"q{q}": [str(o) for o in options] for q, options in quiz_answers(steps["quiz"]).items()},
    )
    enrolment.refresh_from_db()
    assert enrolment.is_active
    agent_client.post(_step_url(steps["task"], "done/"), {"evidence": "Took a call."})
    enrolment.refresh_from_db()
    assert enrolment.is_completed


def test_not_enrolled_completes_nothing_and_is_asked_to_enrol(agent_client, track):
    step = _steps(track)["article"]
    html = agent_client.get(_step_url(step)).content.decode()
    assert "Enrol to start" in html
    assert "I have read it" not in html
    response = agent_client.post(_step_url(step, "done/"), follow=True)
    assert "Enrol in the track to complete its steps." in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_step_done_refuses_get(agent_client, agent, track):
    enrol(agent, track)
    assert agent_client.get(_step_url(_steps(track)["article"], "done/")).status_code == 405


def test_the_article_step_page(agent_client, agent, track, article):
    enrol(agent, track)
    html = agent_client.get(_step_url(_steps(track)["article"])).content.decode()
    assert article.published_revision.summary in html
    assert f'href="/kb/a/{article.slug}/"' in html
    assert "I have read it" in html
    assert "Step 1 of 3" in html
    assert f'href="{_step_url(_steps(track)["quiz"])}" rel="next"' in html


def test_the_external_step_page_links_the_resource_safely(agent_client, agent, editor):
    track = make_track(owner=editor, title="Outside")
    step = TrackStep.objects.create(
        track=track,
        kind="external",
        url="https://example.com/course",
        description="Watch the first module.",
    )
    enrol(agent, track)
    html = agent_client.get(_step_url(step)).content.decode()
    assert '<a href="https://example.com/course" rel="noopener">' in html
    assert "_blank" not in html  # it opens like any link
    assert "Watch the first module." in html
    agent_client.post(_step_url(step, "done/"))
    assert StepCompletion.objects.filter(step=step, status="done").exists()


@pytest.mark.parametrize(
    ("evidence", "error"),
    [
        ("", "Write what you did and what you learned."),
        ("x" * 5001, "at most 5000 characters"),
    ],
)
def test_task_evidence_errors_sit_beside_the_field(agent_client, agent, track, evidence, error):
    enrol(agent, track)
    response = agent_client.post(_step_url(_steps(track)["task"], "done/"), {"evidence": evidence})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_evidence_error"' in html
    assert error in html
    assert not StepCompletion.objects.exists()


def test_a_task_needing_review_says_it_waits(agent_client, agent, track):
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    enrol(agent, track)
    step = _steps(track)["task"]
    response = agent_client.post(_step_url(step, "done/"), {"evidence": "My notes"}, follow=True)
    assert "A reviewer will confirm it." in response.content.decode()
    html = agent_client.get(_step_url(step)).content.decode()
    assert "waiting for a reviewer" in html
    assert "My notes" in html


def test_the_session_step_page_links_the_session(agent_client, agent, editor):
    session = make_session(organiser=editor)
    track = make_track(owner=editor, title="Come along", sessions=[session])
    enrol(agent, track)
    step = track.steps.get()
    html = agent_client.get(_step_url(step)).content.decode()
    assert f'href="/training/sessions/{session.slug}/"' in html
    assert "when the presenter records that you attended" in html
    response = agent_client.post(_step_url(step, "done/"), follow=True)
    assert "attendance record completes this step." in response.content.decode()
    assert not StepCompletion.objects.exists()


def test_a_missed_session_says_whom_to_ask(agent_client, agent, editor):
    session = make_session(organiser=editor, days=-2, notes="What we said.")
    track = make_track(owner=editor, title="Come along", sessions=[session], task=True)
    enrol(agent, track)
    step = track.steps.get(kind="session")
    html = agent_client.get(_step_url(step)).content.decode()
    day = timezone.localtime(session.starts_at).strftime("%-d %B %Y")
    assert f"This session took place on {day}." in html
    assert f'Ask <a href="{editor.get_absolute_url()}">{editor.name}</a> to point this step' in html
    assert f'href="/training/sessions/{session.slug}/#notes-h"' in html
    assert "See the session and sign up" not in html
    assert "when the presenter records that you attended" not in html
    page = _page(agent_client, track)
    assert "Session over" in page
    assert "point this step at a later session" in page
    assert "Step 2 cannot be completed: its session is over." in page  # beside the progress


def test_a_session_over_waits_for_the_attendance_of_those_who_signed_up(
    agent_client, agent, editor
):
    session = make_session(organiser=editor, days=-1)
    SessionSignup.objects.create(session=session, user=agent, status="confirmed")
    track = make_track(owner=editor, title="Come along", sessions=[session])
    enrol(agent, track)
    step = track.steps.get()
    html = agent_client.get(_step_url(step)).content.decode()
    assert "Waiting for the attendance record" in html
    assert "when the presenter records that you attended" in html
    assert "Session over" not in html
    # Once attendance is recorded without them, the session is over for good.
    session.attendance_recorded_at = timezone.now()
    session.save()
    assert "Session over" in agent_client.get(_step_url(step)).content.decode()


def test_an_attended_session_step_is_done(agent_client, agent, editor):
    session = make_session(organiser=editor, days=-1)
    track = make_track(owner=editor, title="Come along", sessions=[session], task=True)
    step_complete(enrolment=enrol(agent, track), step=track.steps.get(kind="session"))
    html = agent_client.get(_step_url(track.steps.get(kind="session"))).content.decode()
    assert "Session over" not in html
    assert "the presenter recorded that you attended" in html


def test_the_owner_is_offered_to_repoint_a_missed_session(client, editor):
    session = make_session(organiser=editor, days=-2)
    track = make_track(owner=editor, title="Come along", sessions=[session])
    client.force_login(editor)
    html = client.get(_step_url(track.steps.get())).content.decode()
    assert f'href="/training/tracks/{track.slug}/edit/">Point this step at a later session' in html


def test_a_skipped_step_page_says_why(agent_client, agent, editor, track, article):
    enrol(agent, track)
    article_archive(article=article, editor=editor)
    html = agent_client.get(_step_url(_steps(track)["article"])).content.decode()
    assert "You cannot read this article" in html
    assert "I have read it" not in html


def test_a_step_of_another_track_is_404(agent_client, track, editor):
    other = make_track(owner=editor, title="Other", quiz=True).steps.get()
    assert agent_client.get(_step_url(other)).status_code == 200
    assert agent_client.get(f"/training/tracks/{track.slug}/steps/{other.pk}/").status_code == 404


# --- Query counts --------------------------------------------------------------------------


@pytest.fixture
def big_track(editor, team):
    def build(size):
        articles = [
            make_article(author=editor, title=f"Article {n}", approved_by=editor)
            for n in range(size)
        ]
        # Half of the sessions are over (their steps read "session over" or wait for the
        # attendance record), half ahead.
        sessions = [
            make_session(organiser=editor, title=f"Session {n}", days=-1 if n % 2 else 3)
            for n in range(size)
        ]
        track = make_track(
            owner=editor, title="Big", articles=articles, quiz=True, task=True, sessions=sessions
        )
        track.skills.set([f"skill-{n}" for n in range(size)])
        for _ in range(size):  # other learners' progress must not show in the count
            other = enrol(UserFactory(team=team), track)
            step_complete(enrolment=other, step=track.steps.first())
        return track

    return build


# Measured: session, user, roles (3); the track (1); the enrolment (1); the steps, readable
# articles and visible sessions (3); the learner's completions (1); their sign-ups to the
# sessions that are over (1); the skills (1).
TRACK_PAGE_QUERIES = 11


@pytest.mark.parametrize("size", [2, 12])
def test_track_page_query_count_is_constant(
    client, agent, big_track, size, django_assert_max_num_queries
):
    track = big_track(size)
    enrolment = enrol(agent, track, due_on=timezone.localdate())
    for step in track.steps.filter(kind="article"):
        step_complete(enrolment=enrolment, step=step)
    for session in Session.objects.all()[::2]:
        SessionSignup.objects.create(session=session, user=agent, status="confirmed")
    QuizAttempt.objects.create(
        enrolment=enrolment, step=track.steps.get(kind="quiz"), score=0, passed=False
    )
    client.force_login(agent)
    with django_assert_max_num_queries(TRACK_PAGE_QUERIES):
        html = _page(client, track)
    assert html.count('class="step-row"') == 2 * size + 2


# Measured: session, user, roles (3); the track, the step (2); the track page's reads
# (enrolment, steps, readable articles, visible sessions, completions, sign-ups to sessions
# that are over, skills: 7); then the step's own: the two revisions to compare (article),
# the reviewer (task).
STEP_PAGE_QUERIES = 13


@pytest.mark.parametrize("size", [2, 12])
def test_step_pages_query_counts_are_constant(
    client, agent, editor, manager, big_track, size, django_assert_max_num_queries
):
    track = big_track(size)
    TrackStep.objects.filter(track=track, kind="task").update(requires_confirmation=True)
    enrolment = enrol(agent, track)
    article_step = track.steps.filter(kind="article").first()
    step_complete(enrolment=enrolment, step=article_step)
    article = article_step.article
    publish_new_revision(article, editor=editor, body="Changed.")
    task = track.steps.get(kind="task")
    completion = learning.task_evidence_submit(enrolment=enrolment, step=task, evidence="Done")
    learning.task_confirm(completion=completion, reviewer=manager)
    client.force_login(agent)
    for step in track.steps.exclude(kind="quiz"):
        with django_assert_max_num_queries(STEP_PAGE_QUERIES):
            assert client.get(_step_url(step)).status_code == 200


def test_a_learner_keeps_an_unpublished_track_but_nobody_new_finds_it(
    client, agent, mentor, editor, track
):
    from training.services.tracks import track_unpublish

    enrolment = enrol(agent, track)
    step_complete(enrolment=enrolment, step=_steps(track)["article"])
    track_unpublish(track=track, user=editor)
    client.force_login(agent)
    page = _page(client, track)
    assert "Its owner is reworking this track" in page
    assert "1 of 3 steps done" in page
    assert track.title not in client.get("/training/").content.decode()  # not in the catalogue
    client.force_login(mentor)
    assert client.get(track.get_absolute_url()).status_code == 404
