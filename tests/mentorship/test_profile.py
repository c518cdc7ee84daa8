"""The mentoring profile: created on first save, changed after; capacity from 1 to 10 (0, a
negative number, a huge one or a word is a form error and nothing is saved); topics and
skills to develop in the people app's skill vocabulary; what comes from the people profile
shown beside it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mentorship.models import MentoringProfile
from mentorship.services.programs import profile_update
from people.models import Skill
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.search.pages import parse

URL = "/mentorship/profile/"

VALID = {
    "open_to_mentor": "on",
    "capacity": "3",
    "topics": "refunds, chargebacks",
    "availability": "Tuesday mornings",
    "develop": "negotiation",
    "goals": "Lead a team in a year.",
    "preferred_format": "video",
}


def test_the_first_save_creates_the_profile(agent_client, agent):
    assert agent_client.get(URL).status_code == 200
    response = agent_client.post(URL, VALID)
    assert response.status_code == 302
    assert response["Location"] == "/mentorship/"
    profile = MentoringProfile.objects.get(user=agent)
    assert profile.open_to_mentor
    assert profile.capacity == 3
    assert sorted(t.name for t in profile.topics.all()) == ["chargebacks", "refunds"]
    assert [t.name for t in profile.develop.all()] == ["negotiation"]
    assert profile.availability == "Tuesday mornings"
    assert profile.preferred_format == "video"
    # The same vocabulary as the skills on people's profiles.
    assert Skill.objects.filter(name="chargebacks").exists()


def test_the_form_shows_what_is_saved_and_changes_it(agent_client, agent):
    make_profile(agent, capacity=4, topics=["refunds"], develop=["billing"], goals="Grow.")
    page = parse(agent_client.get(URL))
    assert page.find("input", name="capacity").attrs["value"] == "4"
    assert page.find("input", name="topics").attrs["value"] == "refunds"
    assert page.find("input", name="develop").attrs["value"] == "billing"

    response = agent_client.post(URL, {**VALID, "open_to_mentor": "", "topics": ""})
    assert response.status_code == 302
    profile = MentoringProfile.objects.get(user=agent)
    assert not profile.open_to_mentor
    assert list(profile.topics.all()) == []
    assert MentoringProfile.objects.filter(user=agent).count() == 1


@pytest.mark.parametrize("capacity", ["0", "-1", "11", "5000", "lots", ""])
def test_a_capacity_outside_1_to_10_is_a_form_error(agent_client, agent, capacity):
    make_profile(agent, capacity=2, topics=["refunds"])
    response = agent_client.post(URL, {**VALID, "capacity": capacity})
    assert response.status_code == 400
    page = parse(response)
    error = page.find("ul", id="id_capacity_error")
    assert error is not None
    profile = MentoringProfile.objects.get(user=agent)
    assert profile.capacity == 2
    assert [t.name for t in profile.topics.all()] == ["refunds"]


def test_no_profile_is_created_by_a_rejected_form(agent_client, agent):
    response = agent_client.post(URL, {**VALID, "capacity": "0"})
    assert response.status_code == 400
    assert not MentoringProfile.objects.filter(user=agent).exists()


def test_too_many_topics_and_overlong_text_are_form_errors(agent_client, agent):
    topics = ", ".join(f"topic {n}" for n in range(40))
    response = agent_client.post(URL, {**VALID, "topics": topics, "goals": "x" * 3000})
    assert response.status_code == 400
    page = parse(response)
    assert page.find("ul", id="id_topics_error") is not None
    assert page.find("ul", id="id_goals_error") is not None
    assert not MentoringProfile.objects.filter(user=agent).exists()


def test_an_unknown_format_is_a_form_error(agent_client, agent):
    response = agent_client.post(URL, {**VALID, "preferred_format": "carrier pigeon"})
    assert response.status_code == 400
    assert not MentoringProfile.objects.filter(user=agent).exists()


def test_what_comes_from_the_people_profile_is_shown_with_a_link(client, team):
    person = UserFactory(
        username="pat",
        team=team,
        experience_level="experienced",
        skills=["refunds"],
        interests=["coaching"],
        career_goals="Become a team lead.",
    )
    client.force_login(person)
    page = parse(client.get(URL))
    aside = page.find("aside")
    text = aside.text()
    assert "Experienced" in text
    assert "Billing Support" in text
    assert "refunds" in text
    assert "coaching" in text
    assert "Become a team lead." in text
    assert aside.find("a", href="/people/u/pat/edit/") is not None


def test_lowering_capacity_below_the_mentees_taken_keeps_them_and_says_so(client, mentor, team):
    program = make_program()
    make_profile(mentor, capacity=2)
    for _ in range(2):
        make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team))
    client.force_login(mentor)
    response = client.post(URL, {**VALID, "capacity": "1"}, follow=True)
    assert "You mentor 2 people, more than 1" in response.content.decode()
    assert MentoringProfile.objects.get(user=mentor).capacity == 1


def test_the_service_refuses_a_capacity_the_database_would_not_hold(agent):
    with pytest.raises(ValidationError):
        profile_update(user=agent, data={"capacity": 0, "open_to_mentor": True})
    assert not MentoringProfile.objects.filter(user=agent).exists()


def test_the_service_changes_only_what_it_is_given(agent):
    make_profile(agent, capacity=3, topics=["refunds"], availability="Mornings")
    profile = profile_update(user=agent, data={"goals": "  Learn billing.  "})
    assert profile.capacity == 3
    assert profile.availability == "Mornings"
    assert profile.goals == "Learn billing."
    assert [t.name for t in profile.topics.all()] == ["refunds"]


def test_the_tabs_mark_the_profile_page(agent_client):
    nav = parse(agent_client.get(URL)).find("nav", class_="section-links")
    assert nav.find("a", aria_current="page").attrs["href"] == URL
