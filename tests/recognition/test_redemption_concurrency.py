"""Redemptions at the same moment: one person firing twenty redemptions gets exactly what
their balance pays for, twenty people after a reward with five left get five, and a
redemption declined by several approvers at once gives its points back once.

Truly parallel on PostgreSQL, where the lock on the person's wallet (the balance) and on the
reward's row (the stock) keep the counts right (CI runs the suite on it with DATABASE_URL
set); SQLite serialises the writers, and the same assertions must hold there too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from notifications.models import Notification
from people.models import Role, User
from recognition.models import Redemption, Reward, Value
from recognition.selectors.accounts import points_balance
from recognition.services.rewards import redemption_decline, reward_redeem
from tests.concurrency import run_in_threads
from tests.factories import UserFactory
from tests.recognition.builders import make_kudos

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DONE = "done"
ATTEMPTS = 20


def _points(person_or_people, points: int) -> None:
    """Points received in a counted kudos. Transactional tests flush the seeded values: the
    kudos gets one made here."""
    value = Value.objects.get_or_create(
        slug="team-player",
        defaults={"name": "Team player", "emoji": "🤝", "description": "Helps.", "qualifies": "."},
    )[0]
    make_kudos(UserFactory(roles=[Role.AGENT]), person_or_people, points=points, values=[value])


def _reward(*, price: int, stock: int | None = None) -> Reward:
    return Reward.objects.create(name="Gift card", slug="gift-card", price=price, stock=stock)


def _redeem(person_pk: int, reward_pk: int) -> str:
    """One request's redemption, each thread reading its own rows: the outcome or the refusal."""
    try:
        reward_redeem(
            person=User.objects.get(pk=person_pk), reward=Reward.objects.get(pk=reward_pk)
        )
    except ValidationError as refused:
        return " ".join(refused.messages)
    return DONE


def test_twenty_redemptions_at_once_spend_no_more_than_the_balance(agent):
    _points(agent, 300)  # exactly three redemptions of 100
    reward = _reward(price=100)

    outcomes = run_in_threads(lambda i: _redeem(agent.pk, reward.pk), count=ATTEMPTS)

    assert outcomes.count(DONE) == 3
    refusals = [o for o in outcomes if o != DONE]
    assert len(refusals) == ATTEMPTS - 3
    # Each refusal read the balance after the three that went through: never below zero.
    assert set(refusals) == {
        "“Gift card” costs 100 points and your balance is 0: you need 100 more."
    }
    assert Redemption.objects.filter(person=agent).count() == 3
    assert points_balance(agent) == 0


def test_twenty_people_at_once_never_oversell_the_stock(team):
    reward = _reward(price=10, stock=5)
    people = [UserFactory(team=team) for _ in range(ATTEMPTS)]
    _points(people, 50)

    outcomes = run_in_threads(lambda i: _redeem(people[i].pk, reward.pk), count=ATTEMPTS)

    assert outcomes.count(DONE) == 5
    assert set(outcomes) - {DONE} == {"“Gift card” is sold out: all 5 are taken."}
    assert Redemption.objects.filter(reward=reward).holding().count() == 5
    for person, outcome in zip(people, outcomes, strict=True):
        assert points_balance(person) == (40 if outcome == DONE else 50)


def test_a_redemption_declined_by_several_at_once_returns_its_points_once(agent):
    _points(agent, 100)
    redemption = reward_redeem(person=agent, reward=_reward(price=100))
    admins = [UserFactory(is_superuser=True) for _ in range(4)]

    def decline(i: int) -> str:
        try:
            redemption_decline(
                redemption=Redemption.objects.get(pk=redemption.pk),
                user=admins[i],
                reason=f"No budget ({i}).",
            )
        except ValidationError as refused:
            return " ".join(refused.messages)
        return DONE

    outcomes = run_in_threads(decline, count=len(admins))

    assert outcomes.count(DONE) == 1
    assert set(outcomes) - {DONE} == {
        "This redemption was already decided (declined, points returned)."
    }
    assert points_balance(agent) == 100
    told = Notification.objects.filter(recipient=agent, kind="recognition.redemption_decided")
    assert told.count() == 1
