"""People open to mentoring say so on their card in the people directory, with their topics
and the places they have left, for a whole page in a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = pytest.mark.django_db


def test_cards_say_open_to_mentor_on_what_with_places_left(client, agent, mentor, team):
    make_profile(mentor, topics=["refunds", "chargebacks"], capacity=2)
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory(team=team))
    closed = UserFactory(username="closed", team=team)
    make_profile(closed, open_to_mentor=False, topics=["sql"])
    client.force_login(agent)
    html = client.get(reverse("people:directory")).content.decode()
    # A line of its own style, apart from the skill chips.
    assert (
        '<div class="small directory-note">Open to mentor on chargebacks, refunds · 1 place free'
        in html
    )
    assert "sql" not in html.split("closed", 1)[-1].split("</div>", 3)[0]
    assert html.count("Open to mentor") == 1


def test_a_full_mentor_is_not_taking_mentees_now(client, agent, mentor):
    """The same words as on their profile."""
    make_profile(mentor, topics=["refunds"], capacity=1)
    make_pairing(program=make_program(), mentor=mentor, mentee=UserFactory())
    client.force_login(agent)
    html = client.get(reverse("people:directory")).content.decode()
    assert "Open to mentor on refunds · not taking mentees now" in html
    profile = client.get(reverse("people:profile", args=[mentor.username])).content.decode()
    assert "Not taking mentees now" in profile


@pytest.mark.parametrize("size", [2, 12])
def test_the_notes_cost_two_queries_for_a_page(
    client, agent, team, size, django_assert_max_num_queries
):
    for n in range(size):
        make_profile(UserFactory(username=f"m{n}", team=team), topics=["refunds", f"t{n}"])
    client.force_login(agent)
    # The directory's own seven, and the notes: the open profiles with their load, their topics.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("people:directory"))
    assert response.content.decode().count("Open to mentor on") == size


def test_team_pages_show_the_note_too(client, agent, mentor, team):
    make_profile(mentor, topics=["refunds"], capacity=1)
    client.force_login(agent)
    html = client.get(reverse("people:team-detail", args=[team.slug])).content.decode()
    assert "Open to mentor on refunds · 1 place free" in html
