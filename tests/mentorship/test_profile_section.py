"""The "Mentoring" section of a person's profile: open to mentor on what, with the places
left (or "Not taking mentees now"), and current roles as counts per programme; never who
the mentees or mentors are, never their plans."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mentorship.models import Goal, Meeting
from mentorship.profile_sections import mentoring
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.search.pages import parse


def profile_url(person) -> str:
    return f"/people/u/{person.username}/"


def _section(client, person):
    page = parse(client.get(profile_url(person)))
    return page.find("section", class_="profile-mentoring")


def test_an_open_mentor_shows_topics_and_places_free(agent_client, mentor, team):
    make_profile(mentor, capacity=2, topics=["refunds", "chargebacks"])
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory(team=team))
    section = _section(agent_client, mentor)
    text = " ".join(section.text().split())
    assert "Open to mentor on:" in text
    assert "1 place free" in text
    tags = [a.text() for a in section.find("ul", class_="tags").find_all("a")]
    assert tags == ["chargebacks", "refunds"]


def test_a_full_mentor_is_not_taking_mentees(agent_client, mentor, team):
    make_profile(mentor, capacity=1, topics=["refunds"])
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory(team=team))
    text = _section(agent_client, mentor).text()
    assert "Not taking mentees now" in text
    assert "place free" not in text


def test_a_proposal_waiting_for_an_answer_takes_a_place(agent_client, mentor, team):
    make_profile(mentor, capacity=1)
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory(team=team), active=False)
    text = _section(agent_client, mentor).text()
    assert "Open to mentoring." in text
    assert "Not taking mentees now" in text


def test_roles_are_counts_without_names_or_plans(client, mentor, team):
    onboarding = make_program(name="Onboarding mentoring")
    reverse = make_program(name="Reverse mentoring", kind="reverse")
    mentees = [
        UserFactory(username=f"secret{n}", display_name=f"Secret Mentee {n}", team=team)
        for n in range(2)
    ]
    for mentee in mentees:
        pairing = make_pairing(program=onboarding, mentor=mentor, mentee=mentee)
        Goal.objects.create(pairing=pairing, title="Private goal")
        Meeting.objects.create(
            pairing=pairing, starts_at=timezone.now(), notes="Private notes", created_by=mentor
        )
    junior = UserFactory(display_name="Secret Junior", team=TeamFactory(slug="tools"))
    make_profile(junior)
    make_pairing(program=reverse, mentor=junior, mentee=mentor)
    # A proposal not yet accepted is no role yet.
    make_pairing(
        program=make_program(name="Peer mentoring", kind="peer"),
        mentor=UserFactory(team=TeamFactory(slug="peers")),
        mentee=mentor,
        active=False,
    )

    viewer = UserFactory(team=TeamFactory(slug="elsewhere"))
    client.force_login(viewer)
    section = _section(client, mentor)
    roles = [
        " ".join(li.text().split()) for li in section.find("ul", class_="plain").find_all("li")
    ]
    assert roles == [
        "Mentoring 2 colleagues in Onboarding mentoring",
        "Mentee in Reverse mentoring",
    ]
    page_text = parse(client.get(profile_url(mentor))).text()
    for secret in ("Secret Mentee", "Secret Junior", "Private goal", "Private notes", "Peer"):
        assert secret not in page_text


def test_ended_and_completed_pairings_are_not_current_roles(agent_client, mentor, team):
    from mentorship.services import pairings as services

    program = make_program()
    done = make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team))
    services.pairing_complete(pairing=done, user=mentor)
    make_profile(mentor, open_to_mentor=False)
    assert _section(agent_client, mentor) is None


def test_nothing_to_say_means_no_section(agent_client, mentor):
    make_profile(mentor, open_to_mentor=False, topics=["refunds"])
    assert _section(agent_client, mentor) is None
    assert _section(agent_client, UserFactory(username="nobody")) is None


def test_my_own_profile_points_to_my_mentoring_profile(agent_client, agent):
    section = _section(agent_client, agent)
    assert "Not open to mentoring at the moment." in section.text()
    assert section.find("a", href="/mentorship/profile/") is not None
    assert section.find("a", href="/mentorship/") is not None


def test_an_inactive_person_is_not_shown_as_open(agent, mentor):
    make_profile(mentor, topics=["refunds"])
    mentor.is_active = False
    mentor.save()
    assert mentoring(agent, mentor) is None


@pytest.mark.parametrize("size", [1, 5])
def test_the_section_reads_in_three_queries(agent, mentor, size, django_assert_max_num_queries):
    make_profile(mentor, capacity=10, topics=[f"topic {n}" for n in range(size)])
    for n in range(size):
        program = make_program(name=f"Programme {n}")
        make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=agent.team))
        other = UserFactory(team=TeamFactory(slug=f"t{n}"))
        make_profile(other)
        make_pairing(program=program, mentor=other, mentee=mentor)
    with django_assert_max_num_queries(3):
        section = mentoring(agent, mentor)
    assert len(section.context["mentoring"]) == size
    assert len(section.context["mentee_of"]) == size
