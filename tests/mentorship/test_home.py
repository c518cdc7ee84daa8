""" "My mentoring": the next meeting on top, the proposals waiting for the viewer's answer,
their mentees and mentors with last meeting and goal progress, their requests, past
pairings, their programmes, empty states that say what to do, and a constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorship.models import Goal, Meeting, Pairing, PairingFeedback
from mentorship.selectors.home import my_mentoring
from mentorship.services import pairings as services
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.search.pages import parse

URL = "/mentorship/"


def _meet(pairing, *, days: float, by=None) -> Meeting:
    return Meeting.objects.create(
        pairing=pairing,
        starts_at=timezone.now() + timedelta(days=days),
        created_by=by or pairing.mentor,
        notes="Private words of the pair.",
    )


def test_an_empty_page_says_what_to_do(agent_client):
    make_program(name="Onboarding mentoring")
    html = agent_client.get(URL).content.decode()
    assert "Set up your mentoring profile." in html
    assert 'href="/mentorship/profile/"' in html
    assert "No mentoring profile yet." in html
    assert 'aria-labelledby="mentees-h"' not in html  # no mentees to list for a non-mentor
    assert "You take part in no programme as a mentee." in html
    # An open programme to join, with a button that posts to it, styled as on the list.
    page = parse(html)
    form = page.find("form", action="/mentorship/programmes/onboarding-mentoring/join/")
    assert form is not None
    assert "Join" in form.text()
    assert form.find("button").attrs["class"] == "button small"


def test_not_being_open_to_mentoring_is_said_once_with_the_way_to_offer(agent_client, agent):
    make_profile(agent, open_to_mentor=False)
    html = agent_client.get(URL).content.decode()
    assert html.count("not open to mentoring") == 1
    assert 'aria-labelledby="mentees-h"' not in html
    page = parse(html)
    side = page.find("section", aria_labelledby="me-h")
    assert "You are not open to mentoring." in side.text()
    assert side.find("a", href="/mentorship/profile/") is not None


@pytest.mark.parametrize(("capacity", "said"), [(2, "1 place free"), (1, "full")])
def test_an_open_mentor_reads_places_free_or_full(client, mentor, team, capacity, said):
    make_profile(mentor, capacity=capacity)
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory(team=team))
    client.force_login(mentor)
    side = parse(client.get(URL)).find("section", aria_labelledby="me-h")
    assert f"Open to mentoring: {said}." in " ".join(side.text().split())


def test_the_next_meeting_comes_first_whichever_side_the_viewer_is_on(agent, mentor, team):
    program = make_program(name="Onboarding mentoring")
    other = make_program(name="Reverse mentoring", kind="reverse")
    as_mentee = make_pairing(program=program, mentor=mentor, mentee=agent)
    junior = UserFactory(username="junior", team=team)
    make_profile(agent)
    as_mentor = make_pairing(program=other, mentor=agent, mentee=junior)
    _meet(as_mentee, days=5)
    _meet(as_mentor, days=2)
    _meet(as_mentor, days=-3)

    mine = my_mentoring(user=agent)

    assert mine.next_meeting.pairing == as_mentor
    assert mine.next_meeting.other == junior
    assert mine.next_meeting.as_mentor


def test_the_page_shows_the_next_meeting_with_whom_and_a_link(client, agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    _meet(pairing, days=1)
    client.force_login(agent)
    page = parse(client.get(URL))
    section = page.find("section", class_="next-meeting")
    assert mentor.name in section.text()
    assert "your mentor" in section.text()
    assert section.find("a", href=f"/mentorship/pairings/{pairing.pk}/") is not None


def test_proposals_to_the_mentor_wait_for_an_answer_with_their_deadline(client, agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent, active=False)
    client.force_login(mentor)
    html = client.get(URL).content.decode()
    assert "Waiting for your answer" in html
    assert agent.name in html
    assert "Asked you" in html
    deadline = timezone.localtime(pairing.request.expires_at, mentor.zone)
    assert f"{deadline:%a} {deadline.day} {deadline:%b}" in html
    assert f'href="/mentorship/pairings/{pairing.pk}/"' in html


def test_an_expired_proposal_is_not_waiting_any_more(agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent, active=False)
    later = pairing.request.expires_at + timedelta(minutes=1)
    mine = my_mentoring(user=mentor, now=later)
    assert mine.waiting == ()
    assert mine.load == 0


def test_mentees_show_their_last_meeting_and_goal_progress(client, agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    _meet(pairing, days=-2)
    Goal.objects.create(pairing=pairing, title="Handle refunds alone", progress=50)
    Goal.objects.create(
        pairing=pairing, title="Lead a call", progress=100, status="met", met_at=timezone.now()
    )
    client.force_login(mentor)
    page = parse(client.get(URL))
    table = page.find("table", class_="mentoring-table")
    row = table.find("tbody").find("tr")
    text = row.text()
    assert agent.name in text
    assert "(1 held)" in text
    assert "1 of 2 goals met · average progress 75%" in " ".join(text.split())
    assert "Private words" not in page.text()
    assert "Handle refunds alone" not in page.text()


def test_a_pair_without_a_meeting_in_two_cadences_is_flagged(agent, mentor):
    pairing = make_pairing(program=make_program(cadence_days=7), mentor=mentor, mentee=agent)
    _meet(pairing, days=-20)
    Pairing.objects.filter(pk=pairing.pk).update(
        started_on=timezone.localdate() - timedelta(days=30)
    )
    mine = my_mentoring(user=agent)
    assert mine.mentors[0].is_at_risk()


def test_my_requests_and_a_declined_one_point_to_the_next_suggestions(client, agent, mentor, team):
    program = make_program(name="Onboarding mentoring")
    pairing = make_pairing(program=program, mentor=mentor, mentee=agent, active=False)
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert "Waiting for an answer" in html
    assert f"You asked {mentor.name}" in " ".join(parse(html).text().split())

    services.pairing_decline(pairing=pairing, mentor=mentor, reason="Too busy this month")
    html = client.get(URL).content.decode()
    assert f"{mentor.name} cannot mentor you in Onboarding mentoring right now." in html
    assert 'href="/mentorship/programmes/onboarding-mentoring/suggestions/"' in html
    assert "Too busy" not in html  # the reason is told in the notification, not listed here

    # Once another mentor is proposed, the declined request is no longer news.
    second = UserFactory(username="second", team=TeamFactory(slug="other"))
    make_pairing(program=program, mentor=second, mentee=agent, active=False)
    mine = my_mentoring(user=agent)
    assert mine.answered == ()
    assert [p.mentor for p in mine.requests] == [second]


def test_past_pairings_and_feedback_due(client, agent, mentor):
    pairing = make_pairing(program=make_program(), mentor=mentor, mentee=agent)
    services.pairing_complete(pairing=pairing, user=mentor)
    mine = my_mentoring(user=agent)
    assert list(mine.past) == [pairing]
    assert list(mine.feedback_due) == [pairing]

    PairingFeedback.objects.create(pairing=pairing, author=agent, rating=5)
    assert my_mentoring(user=agent).feedback_due == ()
    assert list(my_mentoring(user=mentor).feedback_due) == [pairing]
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert "Past pairings" in html
    assert f"Mentored by {mentor.name}" in html


def test_my_programmes_offer_find_a_mentor_until_i_have_one(client, agent, mentor):
    program = make_program(name="Onboarding mentoring")
    services.participation_join(program=program, mentee=agent)
    client.force_login(agent)
    page = parse(client.get(URL))
    section = page.find("section", aria_labelledby="programs-h")
    assert section.find("a", href="/mentorship/programmes/onboarding-mentoring/suggestions/")
    assert "No mentor yet" in section.text()

    make_pairing(program=program, mentor=mentor, mentee=agent)
    page = parse(client.get(URL))
    section = page.find("section", aria_labelledby="programs-h")
    assert (
        section.find("a", href="/mentorship/programmes/onboarding-mentoring/suggestions/") is None
    )
    assert f"Mentored by {mentor.name}" in section.text()


def test_programme_managers_get_links_to_run_their_programmes(client, agent):
    make_program(name="Onboarding mentoring", managers=[agent])
    make_program(name="Someone else's", managers=[])
    client.force_login(agent)
    page = parse(client.get(URL))
    run = page.find("section", aria_labelledby="run-h")
    assert run.find("a", href="/mentorship/programmes/onboarding-mentoring/cohort/")
    assert run.find("a", href="/mentorship/programmes/onboarding-mentoring/report/")
    assert run.find("a", href="/mentorship/programmes/onboarding-mentoring/edit/")
    assert "Someone else" not in run.text()


def test_managers_get_a_link_to_their_team_page(client, manager, agent):
    client.force_login(manager)
    head = parse(client.get(URL)).find("div", class_="page-head")
    assert head.find("a", href="/mentorship/team/") is not None
    client.force_login(agent)
    head = parse(client.get(URL)).find("div", class_="page-head")
    assert head.find("a", href="/mentorship/team/") is None


def test_capacity_counts_active_pairings_and_open_proposals(agent, mentor, team):
    program = make_program()
    make_profile(mentor, capacity=3)
    make_pairing(program=program, mentor=mentor, mentee=agent)
    make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team), active=False)
    mine = my_mentoring(user=mentor)
    assert mine.load == 2
    assert mine.places_free == 1


def test_only_get_is_allowed(agent_client):
    assert agent_client.post(URL).status_code == 405


# Measured: session, user, roles (3); the profile (1); the pairings with their health (1);
# the programmes (1); the feedback given (1).
MY_MENTORING_QUERIES = 7


@pytest.mark.parametrize("size", [1, 4])
def test_my_mentoring_query_count_is_constant(client, mentor, size, django_assert_max_num_queries):
    programs = [make_program(name=f"Programme {n}", managers=[mentor]) for n in range(size)]
    make_profile(mentor, capacity=10)
    for n, program in enumerate(programs):
        mentee = UserFactory(team=TeamFactory(slug=f"team-m{n}"), roles=[Role.AGENT])
        pairing = make_pairing(program=program, mentor=mentor, mentee=mentee)
        _meet(pairing, days=-1 - n)
        _meet(pairing, days=1 + n)
        Goal.objects.create(pairing=pairing, title="Goal", progress=40)
        waiting = UserFactory(team=mentee.team)
        make_pairing(program=program, mentor=mentor, mentee=waiting, active=False)
        my_mentor = UserFactory(team=TeamFactory(slug=f"team-x{n}"))
        mine = make_pairing(program=program, mentor=my_mentor, mentee=mentor)
        services.pairing_complete(pairing=mine, user=my_mentor)
    client.force_login(mentor)
    with django_assert_max_num_queries(MY_MENTORING_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    page = parse(response)
    assert len(page.find("table", class_="mentoring-table").find("tbody").find_all("tr")) == size
