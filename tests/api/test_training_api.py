"""The training API: tracks and sessions as `visible_to` allows, the caller's own enrolments,
step completion only on one's own enrolment, sign-up with capacity and the waitlist, calling
a session off for who runs it; services' refusals as 400s, hostile input as 4xx, lists in a
constant number of queries."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_article
from tests.training.builders import enrol, make_session, make_track, quiz_answers
from training.models import Enrolment, SessionSignup, StepCompletion, TrackStep


@pytest.fixture
def track(editor):
    article = make_article(author=editor, approved_by=editor, title="Partial refunds")
    made = make_track(owner=editor, title="Refunds basics", articles=[article], quiz=True,
                      task=True)  # fmt: skip
    TrackStep.objects.create(track=made, position=9, kind="external", url="https://example.com")
    return made


@pytest.fixture
def team_track(editor, other_team):
    made = make_track(owner=editor, title="Tech only", visibility="teams")
    made.teams.set([other_team])
    return made


def _enrol(client, slug):
    return client.post("/api/enrolments/", {"track": slug}, content_type="application/json")


def _step(track, kind):
    return track.steps.get(kind=kind)


# --- Tracks --------------------------------------------------------------------------------


def test_the_catalogue_lists_what_the_caller_may_take(client, agent, outsider, track, team_track):
    make_track(owner=track.owner, title="Draft work", published=False)
    for viewer, expected in ((agent, ["refunds-basics"]),
                             (outsider, ["refunds-basics", "tech-only"])):  # fmt: skip
        client.force_login(viewer)
        rows = client.get("/api/tracks/").json()["results"]
        assert [r["slug"] for r in rows] == expected
    assert client.get("/api/tracks/?q=refund").json()["count"] == 1


def test_a_track_shows_its_steps_and_a_hidden_one_is_a_404(client, agent, track, team_track):
    client.force_login(agent)
    body = client.get(f"/api/tracks/{track.slug}/").json()
    assert [s["kind"] for s in body["steps"]] == ["article", "quiz", "task", "external"]
    assert body["steps"][0]["article"] == "partial-refunds"
    assert body["enrolment"] is None
    assert client.get(f"/api/tracks/{team_track.slug}/").status_code == 404
    assert client.get("/api/tracks/draft-work/").status_code == 404


def test_a_step_the_caller_may_not_read_is_named_without_its_article(
    client, agent, editor, other_team
):
    secret = make_article(author=editor, approved_by=editor, title="Escalation secrets",
                          visibility="teams", teams=[other_team])  # fmt: skip
    track = make_track(owner=editor, title="Mixed", articles=[secret])
    client.force_login(agent)
    step = client.get(f"/api/tracks/{track.slug}/").json()["steps"][0]
    assert (step["state"], step["article"], step["url"]) == ("skipped", None, None)
    assert "Escalation" not in client.get(f"/api/tracks/{track.slug}/").content.decode()


# --- Enrolments and steps ------------------------------------------------------------------


def test_enrolling_goes_through_the_service_and_lists_it(client, agent, track, team_track):
    client.force_login(agent)
    created = client.post(
        "/api/enrolments/", {"track": track.slug}, content_type="application/json"
    )
    assert created.status_code == 201
    again = client.post("/api/enrolments/", {"track": track.slug}, content_type="application/json")
    assert again.status_code == 200
    assert Enrolment.objects.filter(user=agent).count() == 1
    rows = client.get("/api/enrolments/").json()["results"]
    assert [(r["track"], r["status"], r["progress"]["total"]) for r in rows] == [
        ("refunds-basics", "not_started", 4)
    ]
    for slug in (team_track.slug, "no-such-track", "a\x00b", "x" * 5000):
        assert _enrol(client, slug).status_code == 400, slug
    assert Enrolment.objects.filter(user=agent).count() == 1


def test_the_learner_completes_each_kind_of_step(client, agent, track):
    enrolment = enrol(agent, track)
    client.force_login(agent)
    url = f"/api/enrolments/{enrolment.pk}/steps/{{}}/complete/"

    def complete(kind, **body):
        return client.post(url.format(_step(track, kind).pk), body, content_type="application/json")

    assert complete("article").json()["state"] == "done"
    assert complete("external").json()["state"] == "done"
    assert complete("task").status_code == 400  # no evidence
    assert complete("task", evidence="Took a call and refunded.").json()["state"] == "done"
    wrong = complete("quiz", answers=quiz_answers(_step(track, "quiz"), correct=False))
    assert (wrong.json()["state"], wrong.json()["score"]) == ("failed", 0)
    passed = complete("quiz", answers=quiz_answers(_step(track, "quiz"))).json()
    assert (passed["state"], passed["enrolment_status"]) == ("done", "completed")
    assert client.get("/api/enrolments/").json()["results"][0]["certificate_url"]


def test_only_the_enrolled_person_completes_a_step(client, agent, mentor, manager, track):
    enrolment = enrol(agent, track)
    step = _step(track, "external")
    for other in (mentor, manager):
        client.force_login(other)
        response = client.post(f"/api/enrolments/{enrolment.pk}/steps/{step.pk}/complete/")
        assert response.status_code == 404
    assert not StepCompletion.objects.exists()


def test_a_step_of_another_track_or_a_hostile_id_is_a_404(client, agent, editor, track):
    enrolment = enrol(agent, track)
    other = make_track(owner=editor, title="Other", task=True)
    client.force_login(agent)
    for step in (other.steps.get().pk, "0.5", "a%00b", 10**20, -1):
        response = client.post(f"/api/enrolments/{enrolment.pk}/steps/{step}/complete/")
        assert response.status_code == 404, step
        assert response["Content-Type"] == "application/json"


def test_withdrawing_keeps_progress_and_a_completed_track_cannot_be_left(client, agent, track):
    enrolment = enrol(agent, track)
    client.force_login(agent)
    assert client.post(f"/api/enrolments/{enrolment.pk}/withdraw/").status_code == 200
    assert client.get("/api/enrolments/").json()["results"] == []
    assert client.post(f"/api/enrolments/{enrolment.pk}/withdraw/").status_code == 404


# --- Sessions ------------------------------------------------------------------------------


def test_signing_up_fills_seats_then_the_waitlist_and_leaving_promotes(client, agent, editor):
    session = make_session(organiser=editor, capacity=1)
    first, second = UserFactory(team=agent.team), agent
    client.force_login(first)
    url = f"/api/sessions/{session.slug}/"
    assert client.post(url + "signup/").json()["my_signup"] == "confirmed"
    client.force_login(second)
    waiting = client.post(url + "signup/").json()
    assert (waiting["my_signup"], waiting["waitlist_position"], waiting["seats_left"]) == (
        "waitlisted",
        1,
        0,
    )
    client.force_login(first)
    assert client.post(url + "leave/").json()["my_signup"] is None
    assert SessionSignup.objects.get(user=second).status == "confirmed"
    assert client.post(url + "leave/").status_code == 400


def test_sessions_follow_visibility_and_only_who_runs_one_calls_it_off(
    client, agent, editor, manager, outsider, other_team
):
    session = make_session(organiser=editor, title="Open talk")
    hidden = make_session(organiser=editor, title="Tech talk", visibility="teams")
    hidden.teams.set([other_team])
    client.force_login(agent)
    assert [r["slug"] for r in client.get("/api/sessions/").json()["results"]] == ["open-talk"]
    assert client.get("/api/sessions/tech-talk/").status_code == 404
    assert client.post("/api/sessions/tech-talk/signup/").status_code == 404
    for viewer in (agent, manager, outsider):
        client.force_login(viewer)
        assert client.post(f"/api/sessions/{session.slug}/cancel/").status_code == 403
    client.force_login(editor)
    cancelled = client.post(f"/api/sessions/{session.slug}/cancel/", {"reason": "Ill"},
                            content_type="application/json")  # fmt: skip
    assert cancelled.json()["status"] == "cancelled"
    client.force_login(agent)
    assert client.post(f"/api/sessions/{session.slug}/signup/").status_code == 400


def test_anonymous_callers_are_refused(client, track):
    for url in ("/api/tracks/", f"/api/tracks/{track.slug}/", "/api/enrolments/",
                "/api/sessions/"):  # fmt: skip
        assert client.get(url).status_code in (401, 403)


@pytest.mark.parametrize(
    "url",
    [
        "/api/sessions/?kind=a%00b",
        "/api/sessions/?when=sometime",
        "/api/sessions/?skill=" + "x" * 500,
        "/api/enrolments/?status=withdrawn",
        "/api/tracks/?q=a%00b",
        "/api/tracks/?page=99999999999999999999",
        "/api/enrolments/99999999999999999999/",
        "/api/sessions/a%00b/",
        "/api/tracks/a%00b/",
    ],
)
def test_bad_parameters_get_a_json_4xx(agent_client, url):
    response = agent_client.get(url)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("size", [2, 12])
def test_lists_read_in_a_constant_number_of_queries(
    client, agent, editor, size, django_assert_max_num_queries
):
    article = make_article(author=editor, approved_by=editor, title="Shared read")
    for n in range(size):
        track = make_track(owner=editor, title=f"Track {n}", articles=[article], task=True)
        enrol(agent, track)
        session = make_session(organiser=editor, title=f"Talk {n}", capacity=1)
        session.presenters.add(UserFactory())
        SessionSignup.objects.create(session=session, user=agent, status="confirmed")
    client.force_login(agent)
    # Measured: tracks 12, enrolments 10, sessions 9, at both sizes.
    for url, most in (("/api/tracks/", 12), ("/api/enrolments/", 10), ("/api/sessions/", 9)):
        with django_assert_max_num_queries(most):
            assert client.get(url).json()["count"] == size, url


def test_the_session_list_shows_each_session_s_own_skills(client, agent, editor):
    refunds = make_session(organiser=editor, title="Refunds deep dive")
    refunds.skills.add("Refunds", "Billing")
    make_session(organiser=editor, title="Open questions")
    client.force_login(agent)

    rows = client.get("/api/sessions/").json()["results"]

    skills = {row["title"]: sorted(row["skills"]) for row in rows}
    own = sorted(refunds.skills.values_list("slug", flat=True))
    assert len(own) == 2
    assert skills == {"Refunds deep dive": own, "Open questions": []}
