"""The "Recognition" section of a person's profile: badges with the date earned, the count of
kudos received and the latest three (giver, values, the start of the message), customer
praise (count and latest quote), a "Give kudos" button on a colleague's profile, and on one's
own the allowance left and the balance. Counted kudos only; constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from recognition.models import Badge, BadgeAward, Kudos, Redemption, Reward
from recognition.profile_sections import recognition
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos, make_praise
from tests.search.pages import parse

SIZES = [3, 30]
GIVE = reverse("recognition:give")
# The section's own queries, the same at both sizes on SQLite and PostgreSQL: the latest
# kudos with their count, their values, the latest praise with its count, the badges (4);
# on one's own profile also the allowance (wallet, spent) and the balance (received, held).
SECTION_QUERIES = {"other": 4, "own": 8}


def profile_url(person) -> str:
    return f"/people/u/{person.username}/"


def _section(client, person):
    response = client.get(profile_url(person))
    assert response.status_code == 200
    return parse(response).find("section", class_="profile-recognition")


def _kudos_items(section) -> list:
    found = section.find("ul", class_="profile-kudos")
    return [] if found is None else found.find_all("li")


def test_it_shows_the_count_and_the_latest_three_kudos_with_giver_and_values(
    agent_client, agent, mentor, team
):
    colleagues = [UserFactory(team=team, display_name=f"Giver {n}") for n in range(4)]
    for n, giver in enumerate(colleagues):
        make_kudos(
            giver,
            mentor,
            values=["went-the-extra-mile", "team-player"],
            message=f"Thanks number {n} " + "x" * 300,
            created_at=timezone.now() - timedelta(hours=10 - n),
        )
    section = _section(agent_client, mentor)
    assert section.find("h3", class_=None).text() == "Badges"
    assert "Kudos received (4)" in section.text()
    items = _kudos_items(section)
    assert [item.find("a").text() for item in items] == [
        "From Giver 3",
        "From Giver 2",
        "From Giver 1",
    ]
    values = items[0].find("span", class_="muted").text()
    assert "Went the extra mile" in values
    assert "Team player" in values
    excerpt = items[0].find("div", class_="small").text()
    assert excerpt.startswith("Thanks number 3")
    assert len(excerpt) <= 140


def test_reported_and_removed_kudos_never_show_or_count(agent_client, agent, mentor, outsider):
    make_kudos(outsider, mentor, message="Reported one", status=Kudos.Status.REPORTED)
    make_kudos(outsider, mentor, message="Removed one", status=Kudos.Status.REMOVED)
    make_kudos(agent, mentor, message="Counted one")
    section = _section(agent_client, mentor)
    assert "Kudos received (1)" in section.text()
    assert [i.find("div", class_="small").text() for i in _kudos_items(section)] == ["Counted one"]


def test_what_people_typed_never_becomes_markup(agent_client, agent, mentor):
    make_kudos(agent, mentor, message="<script>alert(1)</script> thanks")
    make_praise(mentor, quote="<img src=x onerror=alert(1)> great", customer="<b>Jo</b>")
    body = agent_client.get(profile_url(mentor)).content.decode()
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
    assert "<b>Jo</b>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; thanks" in body


def test_badges_show_with_emoji_name_and_date_earned(agent_client, mentor):
    badge = Badge.objects.get(rule=Badge.Rule.FIRST_PRAISE)
    earned = timezone.now() - timedelta(days=40)
    BadgeAward.objects.create(badge=badge, user=mentor, awarded_at=earned)
    badges = _section(agent_client, mentor).find("ul", class_="profile-badges")
    assert badge.emoji in badges.text()
    assert badge.name in badges.text()
    assert badges.find("time").text() == f"{timezone.localtime(earned):%-d %b %Y}"


def test_customer_praise_shows_its_count_and_the_latest_quote(agent_client, mentor):
    make_praise(mentor, quote="Older words", received_on=timezone.localdate() - timedelta(days=9))
    make_praise(mentor, quote="Newest words", customer="Jana, a Premium customer")
    section = _section(agent_client, mentor)
    assert "Customer praise (2)" in section.text()
    quote = section.find("blockquote", class_="profile-praise")
    assert "Newest words" in quote.text()
    assert "Jana, a Premium customer" in quote.text()
    assert "Older words" not in section.text()


def test_a_colleague_gets_a_give_kudos_button_and_never_oneself(client, agent, mentor):
    client.force_login(agent)
    button = _section(client, mentor).find("a", class_="button")
    assert button.attrs["href"] == f"{GIVE}?to=mentor"
    own = _section(client, agent)
    assert own.find("a", class_="button") is None


def test_an_inactive_persons_profile_offers_no_button(client, agent, admin_user):
    gone = UserFactory(username="gone", is_active=False)
    # An admin may still open the profile of someone who left; nobody can thank them.
    section = recognition(admin_user, gone)
    assert section.context["can_thank"] is False
    client.force_login(agent)
    assert client.get(profile_url(agent)).status_code == 200


def test_ones_own_profile_shows_the_allowance_left_and_the_balance(client, agent, mentor, manager):
    make_kudos(mentor, agent, points=40)
    make_kudos(agent, [mentor, manager], points=10)
    reward = Reward.objects.create(name="Gift card", slug="gift-card", price=15)
    Redemption.objects.create(reward=reward, person=agent, points=15)
    client.force_login(agent)
    points = _section(client, agent).find("dl", class_="recognition-points").text()
    assert "80 of 100 points this month" in points
    assert "25" in points
    client.force_login(mentor)
    assert _section(client, agent).find("dl", class_="recognition-points") is None


def test_a_colleague_with_nothing_yet_still_has_the_section(agent_client, mentor):
    section = _section(agent_client, mentor)
    text = section.text()
    assert "No badges yet." in text
    assert "No kudos yet." in text
    assert "Customer praise (0)" in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("whose", ["other", "own"])
def test_the_sections_queries_are_constant(
    client, agent, team, size, whose, django_assert_max_num_queries
):
    person = UserFactory(team=team, roles=[Role.AGENT])
    for badge in Badge.objects.all()[: min(size, 10)]:
        BadgeAward.objects.create(badge=badge, user=person)
    for n in range(size):
        colleague = UserFactory(team=team)
        make_kudos(colleague, person, values=["went-the-extra-mile", "team-player"])
        make_kudos(person, colleague, points=1)
        make_praise([person, colleague], quote=f"Praise {n}")
    viewer = person if whose == "own" else agent
    with django_assert_max_num_queries(SECTION_QUERIES[whose]):
        section = recognition(viewer, person)
        page = parse(render_to_string(section.template, section.context))
    assert len(_kudos_items(page)) == 3
    assert f"Kudos received ({size})" in page.text()
    assert len(page.find("ul", class_="profile-badges").find_all("li")) == min(size, 10)


# The whole profile page at two sizes: people's own pins (tests/people/test_query_counts.py)
# cover a profile with nothing in recognition; this one covers one with everything (questions'
# section adds its one count of answers to both).
PROFILE_PAGE = {"other": 15, "own": 21}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("whose", ["other", "own"])
def test_the_profile_page_with_recognition_is_constant(
    client, agent, team, size, whose, django_assert_max_num_queries
):
    person = UserFactory(team=team, roles=[Role.AGENT])
    for _ in range(size):
        colleague = UserFactory(team=team)
        make_kudos(colleague, person, values=["went-the-extra-mile", "team-player"])
        make_praise([person, colleague])
    BadgeAward.objects.create(badge=Badge.objects.first(), user=person)
    client.force_login(person if whose == "own" else agent)
    with django_assert_max_num_queries(PROFILE_PAGE[whose]):
        response = client.get(profile_url(person))
    assert response.status_code == 200
    section = parse(response).find("section", class_="profile-recognition")
    assert len(_kudos_items(section)) == 3
