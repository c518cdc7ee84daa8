"""The home page's "what needs you today": each kind of item for the person it waits for,
linking to where it is done, most urgent first; nothing of anyone else's; an empty state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.models import ActionItem, MentorRequest
from people.models import Role, User
from questions.models import Question
from tests.dashboard import builders
from tests.factories import UserFactory
from tests.questions.builders import make_answer
from training.models import SessionSignup


@pytest.fixture
def writer(team) -> User:
    return UserFactory(username="writer", team=team, roles=[Role.AGENT])


def _today(body: str) -> str:
    """The HTML of the "what needs you today" region."""
    start = body.index('aria-labelledby="today-h"')
    return body[start : body.index('aria-labelledby="popular-h"', start)]


def _group(body: str, key: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="today-{key}-h".*?</section>', body, re.S)
    assert match, f"no group {key}"
    return match[0]


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_with_nothing_to_do_the_page_says_all_is_done(agent_client):
    today = _today(agent_client.get("/").content.decode())
    assert "All done: nothing needs you today" in today
    assert "today-item" not in today


def test_owner_sees_their_lapsed_articles_not_fresh_ones_nor_others(client, agent, writer, editor):
    due = builders.lapsed_article(agent, writer=writer, editor=editor)
    fresh = builders.lapsed_article(agent, writer=writer, editor=editor, title="Fresh", days=1)
    theirs = builders.lapsed_article(writer, writer=writer, editor=editor, title="Not yours")
    group = _group(_home(client, agent), "verification")
    assert due.get_absolute_url() in group
    assert "Overdue" in group
    assert fresh.get_absolute_url() not in group
    assert theirs.get_absolute_url() not in group


def test_editor_sees_reviews_waiting_with_and_n_more(client, editor, writer):
    waiting = [builders.waiting_review(author=writer, title=f"Waiting {i}") for i in range(7)]
    group = _group(_home(client, editor), "reviews")
    assert "(7)" in group
    assert group.count('href="/kb/a/') == 5
    assert waiting[0].get_absolute_url() in group  # the longest waiting first
    assert 'href="/kb/review/">and 2 more' in group


def test_agents_get_no_review_group(client, agent, writer):
    builders.waiting_review(author=writer)
    assert "today-reviews-h" not in _home(client, agent)


def test_content_requests_assigned_to_me_and_not_to_others(client, agent, writer, editor):
    builders.assigned_request(agent, editor=editor, query="refund to gift card")
    builders.assigned_request(writer, editor=editor, query="loyalty points")
    group = _group(_home(client, agent), "requests")
    assert "How to refund to gift card" in group
    assert 'href="/search/requests/"' in group
    assert "loyalty points" not in _today(_home(client, agent))


def test_questions_routed_to_me_unanswered_customer_waiting_first(
    client, agent, writer, outsider, other_team
):
    calm = builders.routed_question(agent, author=writer, title="Calm question")
    urgent = builders.routed_question(
        agent, author=writer, title="Customer on the line", customer_waiting=True
    )
    answered = builders.routed_question(agent, author=writer, title="Answered already")
    make_answer(question=answered, author=outsider)
    hidden = builders.routed_question(
        agent, author=outsider, title="Other team only", teams=[other_team]
    )
    not_mine = builders.routed_question(writer, author=outsider, title="Brought to someone else")

    body = _home(client, agent)
    group = _group(body, "questions")
    assert group.index(urgent.get_absolute_url()) < group.index(calm.get_absolute_url())
    assert "Customer waiting" in group
    for absent in (answered, hidden, not_mine):
        assert absent.title not in _today(body)
    # The customer waiting comes before everything else on the page.
    assert re.findall(r'id="today-([a-z-]+)-h"', _today(body))[0] == "questions"


def test_training_due_overdue_and_updated_steps(client, agent, writer, editor):
    late = builders.due_track(agent, owner=writer, days=-2, title="Late track")
    soon = builders.due_track(agent, owner=writer, days=3, title="Soon track")
    far = builders.due_track(agent, owner=writer, days=30, title="Far track")
    track, step = builders.outdated_step(agent, editor=editor, writer=writer)
    builders.due_track(writer, owner=editor, days=-1, title="Someone else's track")

    group = _group(_home(client, agent), "training")
    assert group.index(late.get_absolute_url()) < group.index(soon.get_absolute_url())
    assert f'href="/training/tracks/{track.slug}/steps/{step.pk}/"' in group
    assert "Updated since you completed this step" in group
    assert far.get_absolute_url() not in group
    assert "Someone else" not in group


def test_mentee_sees_next_meeting_overdue_action_and_check_in(client, agent, mentor):
    pairing = builders.mentoring(agent, mentor=mentor)
    group = _group(_home(client, agent), "mentoring")
    assert f"Mentoring meeting with {mentor.name}" in group
    assert "Action item: Listen to three calls" in group
    assert "Check-in: Midpoint check-in" in group
    assert pairing.get_absolute_url() in group
    # The mentor has the meeting and the check-in, but the action item is the mentee's.
    mentors = _group(_home(client, mentor), "mentoring")
    assert f"Mentoring meeting with {agent.name}" in mentors
    assert "Listen to three calls" not in mentors


def test_mentor_sees_requests_waiting_for_their_answer(client, agent, mentor, outsider):
    pairing = builders.mentor_request(mentor, mentee=agent)
    group = _group(_home(client, mentor), "mentor-requests")
    assert f"{agent.name} asks you to be their mentor" in group
    assert pairing.get_absolute_url() in group
    assert "today-mentor-requests-h" not in _home(client, agent)  # the mentee asked


def test_sessions_i_signed_up_for_this_week_only(client, agent, writer):
    soon = builders.signed_up_session(agent, organiser=writer, days=2, title="This week")
    later = builders.signed_up_session(agent, organiser=writer, days=20, title="Next month")
    queued = builders.signed_up_session(agent, organiser=writer, days=1, title="Waitlisted")
    SessionSignup.objects.filter(session=queued).update(status="waitlisted")
    group = _group(_home(client, agent), "sessions")
    assert soon.get_absolute_url() in group
    assert later.get_absolute_url() not in group
    assert queued.get_absolute_url() not in group


def test_manager_sees_rotations_to_approve_and_the_participant_does_not(
    client, manager, agent, other_team
):
    rotation = builders.rotation_to_approve(manager, host_team=other_team, participant=agent)
    group = _group(_home(client, manager), "rotations")
    assert rotation.get_absolute_url() in group
    assert "today-rotations-h" not in _home(client, agent)


def test_approver_sees_nominations_to_approve_but_not_one_about_themselves(
    client, manager, agent, mentor
):
    builders.make_approver(manager)
    other = builders.pending_nomination(nominee=agent, nominated_by=mentor)
    own = builders.pending_nomination(nominee=manager, nominated_by=mentor)
    group = _group(_home(client, manager), "nominations")
    assert other.get_absolute_url() in group
    assert own.get_absolute_url() not in group
    assert "today-nominations-h" not in _home(client, agent)


def test_groups_come_most_urgent_first(client, agent, writer, editor, mentor):
    builders.signed_up_session(agent, organiser=writer, days=3)  # this week
    builders.due_track(agent, owner=writer, days=-1)  # overdue
    builders.routed_question(agent, author=writer, customer_waiting=True)
    builders.mentor_request(agent, mentee=mentor)  # expires within the week
    order = re.findall(r'id="today-([a-z-]+)-h"', _today(_home(client, agent)))
    assert order[:2] == ["questions", "training"]
    assert order.index("sessions") > order.index("training")


def test_nothing_of_anyone_elses_reaches_another_person(
    client, agent, writer, editor, mentor, outsider, manager, other_team
):
    """Everything waits for the agent; the outsider's page has none of it."""
    builders.lapsed_article(agent, writer=writer, editor=editor)
    builders.assigned_request(agent, editor=editor)
    builders.routed_question(agent, author=writer)
    builders.due_track(agent, owner=writer, days=1)
    builders.mentoring(agent, mentor=mentor)
    builders.signed_up_session(agent, organiser=writer)
    today = _today(_home(client, outsider))
    assert "All done" in today
    assert "today-item" not in today


def test_an_answered_question_leaves_the_list(client, agent, writer, outsider):
    question = builders.routed_question(agent, author=writer)
    Question.objects.filter(pk=question.pk).update(first_answered_at=timezone.now())
    assert question.title not in _today(_home(client, agent))


def test_a_done_action_item_and_an_expired_request_leave_the_list(client, agent, mentor):
    builders.mentoring(agent, mentor=mentor)
    ActionItem.objects.update(done=True, done_at=timezone.now())
    pairing = builders.mentor_request(agent, mentee=mentor, program=None)
    now = timezone.now()
    MentorRequest.objects.filter(pairing=pairing).update(
        created_at=now - timedelta(days=9), expires_at=now - timedelta(minutes=1)
    )
    today = _today(_home(client, agent))
    assert "Listen to three calls" not in today
    assert "today-mentor-requests-h" not in today
