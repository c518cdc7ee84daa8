""" "My training": each track in the section that needs the learner first, the steps updated
since they read them, their upcoming sessions, an empty state, and a constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.services.workflow import article_approve, article_submit, article_update
from tests.factories import UserFactory, make_article
from tests.search.pages import parse
from tests.training.builders import enrol, make_session, make_track, publish_new_revision
from training.models import Enrolment, SessionSignup
from training.selectors.learning import my_training
from training.services.progress import step_complete

URL = "/training/mine/"


def _complete(enrolment):
    for step in enrolment.track.steps.all():
        step_complete(enrolment=enrolment, step=step)
    enrolment.refresh_from_db()
    return enrolment


def _titles(rows):
    return [row.enrolment.track.title for row in rows]


def test_an_empty_page_points_to_the_catalogue(agent_client):
    html = agent_client.get(URL).content.decode()
    assert "You are not taking any track yet." in html
    assert 'href="/training/"' in html


def test_each_track_sits_in_one_section(agent, editor, manager, article):
    today = timezone.localdate()

    def track(title):
        return make_track(owner=editor, title=title, articles=[article], task=True)

    enrol(agent, track("Assigned"), assigned_by=manager)
    started = enrol(agent, track("Started"))
    step_complete(enrolment=started, step=started.track.steps.first())
    enrol(agent, track("Due soon"), due_on=today + timedelta(days=3))
    enrol(agent, track("Late"), due_on=today - timedelta(days=1))
    enrol(agent, track("Far off"), due_on=today + timedelta(days=30))
    _complete(enrol(agent, track("Finished"), due_on=today - timedelta(days=5)))
    enrol(agent, track("Left"), status=Enrolment.Status.WITHDRAWN)
    enrol(UserFactory(), track("Someone else's"))

    mine = my_training(user=agent, today=today)
    assert _titles(mine.overdue) == ["Late"]
    assert _titles(mine.due_soon) == ["Due soon"]
    assert sorted(_titles(mine.not_started)) == ["Assigned", "Far off"]
    assert _titles(mine.in_progress) == ["Started"]
    assert _titles(mine.completed) == ["Finished"]
    assert mine.in_progress[0].progress.percent == 50


def test_the_page_shows_progress_badges_and_certificates(agent_client, agent, editor, article):
    today = timezone.localdate()
    started = enrol(
        agent,
        make_track(owner=editor, title="Started", articles=[article], task=True),
        due_on=today - timedelta(days=1),
    )
    step_complete(enrolment=started, step=started.track.steps.first())
    done = _complete(enrol(agent, make_track(owner=editor, title="Done", articles=[article])))
    html = agent_client.get(URL).content.decode()
    assert "1 of 2 steps done (50%)" in html
    assert '<span class="pill overdue">Overdue</span>' in html
    assert f'href="/training/certificates/{done.certificate_code}/"' in html
    assert "Left" not in html


def test_steps_updated_since_read_are_listed_with_what_changed(
    agent_client, agent, editor, article, track
):
    enrolment = enrol(agent, track)
    step = track.steps.get(kind="article")
    step_complete(enrolment=enrolment, step=step)
    publish_new_revision(article, editor=editor, body="Changed.")
    html = agent_client.get(URL).content.decode()
    assert "Updated since you completed it" in html
    assert f'href="/kb/a/{article.slug}/compare/?from=1&amp;to=2"' in html
    assert f'action="/training/tracks/{track.slug}/steps/{step.pk}/done/"' in html
    assert "revision 1 → 2" in html


def test_upcoming_sessions_i_signed_up_for(agent_client, agent, editor):
    soon = make_session(organiser=editor, title="Soon")
    past = make_session(organiser=editor, title="Long ago", days=-3)
    cancelled = make_session(organiser=editor, title="Called off", status="cancelled")
    for session in (soon, past, cancelled):
        SessionSignup.objects.create(session=session, user=agent, status="confirmed")
    html = agent_client.get(URL).content.decode()
    assert "My upcoming sessions" in html
    assert "Soon" in html
    assert "Long ago" not in html
    assert "Called off" not in html


# Measured: session, user, roles (3); the enrolments with their tracks (1); the steps,
# readable articles and visible sessions (3); the completions (1); outdated steps (1);
# sign-ups (1).
MY_TRAINING_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_my_training_query_count_is_constant(
    client, agent, editor, manager, size, django_assert_max_num_queries
):
    today = timezone.localdate()
    session = make_session(organiser=editor)
    for n in range(size):
        article = make_article(author=editor, title=f"Article {n}", approved_by=editor)
        track = make_track(
            owner=editor,
            title=f"Track {n}",
            articles=[article],
            quiz=True,
            task=True,
            sessions=[session],
        )
        due = today + timedelta(days=(n % 4) * 5 - 5)
        enrolment = enrol(agent, track, due_on=due, assigned_by=manager)
        if n % 2:
            step_complete(enrolment=enrolment, step=track.steps.get(kind="article"))
        if n % 3 == 0:
            _complete(enrolment)
        latest = article.latest_revision
        changed = article_update(
            article=article,
            editor=editor,
            meta={},
            content={"title": latest.title, "summary": "", "body": f"New {n}"},
        )
        article_approve(article=article_submit(article=changed, user=editor), editor=editor)
        signup_session = make_session(organiser=editor, title=f"Session {n}")
        SessionSignup.objects.create(session=signup_session, user=agent, status="confirmed")
    client.force_login(agent)
    with django_assert_max_num_queries(MY_TRAINING_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="enrolment-row"') == size
    assert "See what changed" in html


def test_the_page_links_training_as_tabs_without_loose_separators(client, agent, manager):
    client.force_login(agent)
    main = parse(client.get(URL)).find("main")
    nav = main.find("nav", class_="training-links")
    assert nav.find("a", aria_current="page").attrs["href"] == URL
    assert nav.find("a", href="/training/reviews/") is None
    # Links sit in list items or buttons: no " · " text between them in the page head.
    assert "·" not in main.find("div", class_="page-head").text()
    client.force_login(manager)
    nav = parse(client.get(URL)).find("nav", class_="training-links")
    assert nav.find("a", href="/training/reviews/") is not None


def test_a_track_reads_the_same_here_and_in_the_catalogue(agent_client, agent, editor, article):
    track = make_track(owner=editor, title="Both pages", articles=[article], task=True)
    enrol(agent, track)
    mine = parse(agent_client.get(URL)).find("main").text()
    card = parse(agent_client.get("/training/")).find("li", class_="track-card").text()
    assert "Not started" in mine
    assert "Not started" in card
    assert "0 of 2 steps done (0%)" in mine
    assert "0 of 2 steps done (0%)" in card
    assert "about 30 min" in mine
    assert "about 30 min" in card


def test_the_estimate_reads_in_hours_and_minutes(agent_client, agent, editor):
    enrol(agent, make_track(owner=editor, title="Long", task=True, estimated_minutes=75))
    html = agent_client.get(URL).content.decode()
    assert "about 1 h 15 min" in html
    assert "hours" not in html
