"""“My recognition”: this month's allowance, the balance of points to spend with the way to
rewards, redemptions with their decision, badges with the date earned, kudos received and
given (a page of each, with counts) and customer praise. Only counted kudos are received;
the giver alone sees their own kudos under review, marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from recognition.models import Badge, BadgeAward, Kudos, Reaction, Redemption, Reward, Wallet
from recognition.selectors.accounts import next_month_start
from recognition.selectors.people import KUDOS_PER_PAGE
from tests.factories import UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.recognition.builders import make_kudos, make_praise
from tests.search.pages import parse
from tests.training.builders import make_session

URL = reverse("recognition:me")
SIZES = [4, 30]
# Measured, the same at both sizes on SQLite and PostgreSQL: session, user, roles (3); the
# allowance (wallet, spent: 2) and the balance (received, held: 2); the redemptions (1); the
# badges (1); the praise with its count (1); for each list of kudos (received, given) the
# count and the page's ids (4); then both pages' cards in one read (`kudos_cards`: the kudos
# with their givers, values, recipients, reactions, who reacted, and the articles, sessions
# and mentorships they were for: 8).
PAGE_QUERIES = 22


def _figure(page, name: str) -> str:
    return page.find("strong", data_figure=name).text()


def _rows(page, section_id: str) -> list:
    """The kudos cards of one list ("received" or "given")."""
    return page.find("section", id=section_id).find_all("article", class_="kudos-card")


@pytest.fixture
def reward(db):
    return Reward.objects.create(name="Lunch with a director", slug="lunch", price=30)


def test_it_shows_the_allowance_left_of_the_total_and_when_it_resets(agent_client, agent, team):
    colleagues = [UserFactory(team=team) for _ in range(2)]
    make_kudos(agent, colleagues, points=15)  # 30 spent
    Wallet.objects.create(user=agent, monthly_allowance=120)
    page = parse(agent_client.get(URL))
    assert _figure(page, "allowance-left") == "90"
    points = page.find("dl", class_="recognition-points").text()
    assert "90 of 120 this month" in points
    resets = next_month_start().date()
    assert f"Resets on {resets.day} {resets:%B}" in points


def test_the_balance_is_points_received_less_what_redemptions_hold(
    agent_client, agent, mentor, reward, admin_user
):
    make_kudos(mentor, agent, points=50)
    make_kudos(mentor, agent, points=40, status=Kudos.Status.REPORTED)  # does not count
    Redemption.objects.create(reward=reward, person=agent, points=30)  # pending: held
    Redemption.objects.create(
        reward=reward,
        person=agent,
        points=30,
        status=Redemption.Status.DECLINED,
        decided_by=admin_user,
        decided_at=timezone.now(),
        reason="Out of season",
    )
    page = parse(agent_client.get(URL))
    assert _figure(page, "balance") == "20"
    assert page.find("a", href=reverse("recognition:rewards")) is not None


def test_redemptions_show_their_status_who_decided_and_why_a_decline(
    agent_client, agent, reward, admin_user
):
    admin_user.display_name = "Ada Admin"
    admin_user.save(update_fields=["display_name"])
    Redemption.objects.create(reward=reward, person=agent, points=30)
    Redemption.objects.create(
        reward=reward,
        person=agent,
        points=30,
        status=Redemption.Status.DECLINED,
        decided_by=admin_user,
        decided_at=timezone.now(),
        reason="The director is away.",
    )
    Redemption.objects.create(reward=reward, person=UserFactory(), points=30)  # not theirs
    section = parse(agent_client.get(URL)).find("section", aria_labelledby="redemptions-h")
    items = section.find_all("li")
    assert len(items) == 2
    declined = items[0].text()
    assert "Declined, points returned" in declined
    assert "declined by Ada Admin" in declined
    assert "Why: The director is away." in declined
    assert "Waiting for approval" in items[1].text()


def test_badges_show_with_the_date_earned(agent_client, agent):
    badge = Badge.objects.get(rule=Badge.Rule.FIRST_KUDOS)
    BadgeAward.objects.create(
        badge=badge, user=agent, awarded_at=timezone.now() - timedelta(days=3)
    )
    section = parse(agent_client.get(URL)).find("section", aria_labelledby="badges-h")
    assert badge.name in section.text()
    earned = section.find("time")
    assert earned.text() == f"{timezone.localdate() - timedelta(days=3):%-d %b %Y}"


def test_kudos_received_are_the_counted_ones_only(agent_client, agent, mentor, outsider):
    make_kudos(mentor, agent, message="Thanks for the refund script.")
    make_kudos(outsider, agent, message="Hidden while reported", status=Kudos.Status.REPORTED)
    make_kudos(outsider, agent, message="Removed for good", status=Kudos.Status.REMOVED)
    page = parse(agent_client.get(URL))
    received = _rows(page, "received")
    assert [row.find("div", class_="kudos-message").text() for row in received] == [
        "Thanks for the refund script."
    ]
    assert page.find("h2", id="received-h").text() == "Kudos I received (1)"
    assert "Hidden while reported" not in page.text()


def test_the_giver_sees_their_own_reported_kudos_marked_under_review(
    client, agent, mentor, manager
):
    make_kudos(agent, [mentor, manager], message="Reported thanks", status=Kudos.Status.REPORTED)
    make_kudos(agent, mentor, message="Fine thanks")
    client.force_login(agent)
    given = _rows(parse(client.get(URL)), "given")
    assert len(given) == 2
    reported = given[1]
    assert "Under review" in reported.text()
    assert "kudos-hidden" in reported.classes
    names = [a.text() for a in reported.find("p", class_="kudos-head").find_all("a")]
    assert names == [agent.name, mentor.name, manager.name]
    assert "Under review" not in given[0].text()
    # The recipient does not see it at all.
    client.force_login(mentor)
    page = parse(client.get(URL))
    assert "Reported thanks" not in page.text()
    assert [r.find("div", class_="kudos-message").text() for r in _rows(page, "received")] == [
        "Fine thanks"
    ]


def test_received_and_given_turn_their_pages_apart(agent_client, agent, mentor):
    for n in range(KUDOS_PER_PAGE + 2):
        make_kudos(
            mentor, agent, message=f"Received {n}", created_at=timezone.now() - timedelta(minutes=n)
        )
        make_kudos(
            agent, mentor, message=f"Given {n}", created_at=timezone.now() - timedelta(minutes=n)
        )
    page = parse(agent_client.get(URL, {"received": "2"}))
    assert [r.find("div", class_="kudos-message").text() for r in _rows(page, "received")] == [
        f"Received {n}" for n in (KUDOS_PER_PAGE, KUDOS_PER_PAGE + 1)
    ]
    assert len(_rows(page, "given")) == KUDOS_PER_PAGE
    older = page.find("nav", aria_label="Pages of kudos given").find("a")
    assert older.attrs["href"] == "?received=2&given=2#given"
    assert page.find("h2", id="given-h").text() == f"Kudos I gave ({KUDOS_PER_PAGE + 2})"


@pytest.mark.parametrize("bad", ["x", "-1", "0", "99999999999999999999", "9" * 5000, ""])
def test_a_page_number_that_is_not_one_shows_a_page_there_is(agent_client, agent, mentor, bad):
    make_kudos(mentor, agent)
    response = agent_client.get(URL, {"received": bad, "given": bad})
    assert response.status_code == 200
    assert len(_rows(parse(response), "received")) == 1


def test_customer_praise_naming_me_shows_with_a_count(agent_client, agent, mentor):
    make_praise(
        [agent, mentor],
        quote="Agent sorted it in minutes.",
        csat=5,
        received_on=timezone.localdate() - timedelta(days=1),
    )
    make_praise(mentor, quote="Not about the agent.")
    section = parse(agent_client.get(URL)).find("section", aria_labelledby="praise-h")
    assert section.find("h2").text() == "Customer praise naming me (1)"
    assert "Agent sorted it in minutes." in section.text()
    assert "CSAT 5 of 5" in section.text()
    assert "Not about the agent." not in section.text()


def test_someone_new_sees_where_to_start(agent_client):
    page = parse(agent_client.get(URL))
    assert _figure(page, "allowance-left") == "100"
    assert _figure(page, "balance") == "0"
    assert page.find("section", id="given").find("a", href=reverse("recognition:give"))


def test_only_reading_is_allowed(agent_client):
    assert agent_client.post(URL).status_code == 405


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302


@pytest.mark.parametrize("size", SIZES)
def test_my_recognition_query_count_is_constant(
    client, team, reward, editor, size, django_assert_max_num_queries
):
    me = UserFactory(team=team, roles=[Role.AGENT])
    article = make_article(author=editor, approved_by=editor)
    session = make_session(organiser=editor)
    pairing = make_pairing(program=make_program(), mentor=editor, mentee=me)
    badges = list(Badge.objects.all()[: min(size, 10)])
    for badge in badges:
        BadgeAward.objects.create(badge=badge, user=me)
    for n in range(size):
        colleague = UserFactory(team=team)
        # Cards for an article, a session, a mentorship and a customer, with reactions: every
        # kind of work a card looks up, and who reacted.
        targets = [{"article": article}, {"session": session}, {"pairing": pairing}]
        target = [*targets, {"ticket_ref": f"T-{n}"}][n % 4]
        received = make_kudos(
            colleague, me, values=["went-the-extra-mile", "team-player"], points=1, **target
        )
        Reaction.objects.create(kudos=received, user=colleague, kind="clap")
        given = make_kudos(me, [colleague, UserFactory(team=team)], points=0, **target)
        Reaction.objects.create(kudos=given, user=colleague, kind="heart")
        make_praise([me, colleague])
        Redemption.objects.create(reward=reward, person=me, points=1)
    client.force_login(me)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    page = parse(response)
    assert len(_rows(page, "received")) == min(size, KUDOS_PER_PAGE)
    assert len(_rows(page, "given")) == min(size, KUDOS_PER_PAGE)
    assert article.title in page.text()
