"""The values page (each value offered, what qualifies, this month's kudos naming it, a link to
give kudos for it) and the badges page (how to earn each, who holds it, whether I do), in a
constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from recognition.models import Badge, BadgeAward, Kudos, Value
from recognition.selectors.accounts import month_start
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos

pytestmark = pytest.mark.django_db

VALUES = "/kudos/values/"
BADGES = "/kudos/badges/"


def _row(response, name: str, key: str = "slug"):
    rows = response.context["values" if key == "slug" else "badges"]
    return next(row for row in rows if getattr(row, key) == name)


# Values


def test_values_page_shows_each_value_with_what_qualifies(agent_client):
    response = agent_client.get(VALUES)

    assert response.status_code == 200
    html = response.content.decode()
    for value in Value.objects.filter(is_active=True):
        assert f'id="{value.slug}"' in html
        assert value.emoji in html
        assert value.name in html
        assert escape(value.description) in html
        assert f'href="/kudos/give/?value={value.slug}"' in html
    assert "What qualifies" in html
    assert "Followed up unasked, fixed the cause" in html  # the extra mile's criteria
    assert 'aria-current="page">Values<' in html


def test_a_retired_value_is_not_listed(agent_client):
    Value.objects.filter(slug="team-player").update(is_active=False)

    response = agent_client.get(VALUES)

    assert 'id="team-player"' not in response.content.decode()
    assert "team-player" not in [value.slug for value in response.context["values"]]


def test_values_count_the_kudos_that_named_them_this_month(agent_client, agent, mentor, manager):
    start = month_start(timezone.now())
    make_kudos(mentor, agent, values=["went-the-extra-mile", "team-player"], created_at=start)
    make_kudos(manager, [agent, mentor], values=["went-the-extra-mile"])
    # Not counted: last month's, a reported one, a removed one.
    make_kudos(mentor, agent, created_at=start - timedelta(seconds=1))
    make_kudos(mentor, agent, status=Kudos.Status.REPORTED)
    make_kudos(manager, agent, status=Kudos.Status.REMOVED)

    response = agent_client.get(VALUES)

    assert _row(response, "went-the-extra-mile").month_count == 2  # kudos, not recipients
    assert _row(response, "team-player").month_count == 1
    assert _row(response, "shared-knowledge").month_count == 0
    assert "2 kudos named it in" in response.content.decode()


def test_only_admins_get_the_link_to_edit_values(client, agent_client):
    assert "Edit values" not in agent_client.get(VALUES).content.decode()

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(VALUES).content.decode()

    assert "Edit values" in html
    assert f'href="{reverse("admin:recognition_value_changelist")}"' in html


def test_values_page_asks_to_sign_in(client):
    response = client.get(VALUES)

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_values_page_only_answers_reads(agent_client):
    assert agent_client.post(VALUES).status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_values_page_reads_in_constant_queries(size, agent_client, agent, team,
                                               django_assert_max_num_queries):  # fmt: skip
    givers = [UserFactory(team=team) for _ in range(3)]
    for n in range(size):
        make_kudos(givers[n % 3], agent, values=["went-the-extra-mile", "solved-the-hard-one"])

    # Session and viewer, their roles (the tabs), the values.
    with django_assert_max_num_queries(4):
        response = agent_client.get(VALUES)

    assert _row(response, "went-the-extra-mile").month_count == size


# Badges


def _award(user, rule: str, **fields) -> BadgeAward:
    return BadgeAward.objects.create(badge=Badge.objects.get(rule=rule), user=user, **fields)


def test_badges_page_shows_how_to_earn_each_badge(agent_client):
    response = agent_client.get(BADGES)

    assert response.status_code == 200
    html = response.content.decode()
    for badge in Badge.objects.filter(is_active=True):
        assert f'id="{badge.rule}"' in html
        assert badge.emoji in html
        assert badge.name in html
        assert escape(badge.how_to_earn) in html
    assert f"You hold 0 of {len(Badge.Rule.values)} badges." in html
    assert 'aria-current="page">Badges<' in html


def test_badges_page_says_when_i_earned_a_badge_and_how_many_hold_it(agent_client, agent, mentor,
                                                                     outsider):  # fmt: skip
    earned = timezone.now() - timedelta(days=3)
    _award(agent, "first-kudos", awarded_at=earned)
    _award(mentor, "first-kudos")
    _award(outsider, "first-kudos")
    _award(mentor, "presenter")
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])

    response = agent_client.get(BADGES)

    first = _row(response, "first-kudos", key="rule")
    assert first.earned_at == earned
    assert first.holder_count == 2  # who can still sign in
    presenter = _row(response, "presenter", key="rule")
    assert presenter.earned_at is None
    assert presenter.holder_count == 1
    html = response.content.decode()
    assert f"You hold 1 of {len(Badge.Rule.values)} badges." in html
    assert f'earned it on <time datetime="{earned.isoformat()}' in html
    assert "2 colleagues" in html


def test_a_badge_no_longer_awarded_is_not_listed(agent_client, agent):
    _award(agent, "giver-10")
    Badge.objects.filter(rule="giver-10").update(is_active=False)

    response = agent_client.get(BADGES)

    assert 'id="giver-10"' not in response.content.decode()
    assert f"You hold 0 of {len(Badge.Rule.values) - 1} badges." in response.content.decode()


def test_only_admins_get_the_link_to_edit_badges(client, agent_client):
    assert "Edit badges" not in agent_client.get(BADGES).content.decode()

    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert "Edit badges" in client.get(BADGES).content.decode()


def test_badges_page_only_answers_reads(agent_client):
    assert agent_client.post(BADGES).status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_badges_page_reads_in_constant_queries(size, agent_client, agent, team,
                                               django_assert_max_num_queries):  # fmt: skip
    _award(agent, "first-kudos")
    for _ in range(size):
        person = UserFactory(team=team)
        for rule in ("first-kudos", "presenter", "first-praise"):
            _award(person, rule)

    # Session and viewer, their roles (the tabs), the badges.
    with django_assert_max_num_queries(4):
        response = agent_client.get(BADGES)

    assert _row(response, "first-kudos", key="rule").holder_count == size + 1
