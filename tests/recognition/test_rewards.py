"""Redeeming rewards and deciding redemptions, through the services: the balance (points
received in counted kudos, less what pending and approved redemptions hold) never goes
negative, the stock is never oversold, a declined redemption gives its points back exactly
once, who may decide, who is told, and bad input refused with nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from recognition.models import Kudos, Redemption, Reward
from recognition.selectors.accounts import points_balance
from recognition.services.rewards import redemption_approve, redemption_decline, reward_redeem
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos

pytestmark = pytest.mark.django_db


def _reward(name: str = "Extra afternoon off", *, price: int = 100, **fields) -> Reward:
    slug = name.lower().replace(" ", "-")
    return Reward.objects.create(name=name, slug=slug, price=price, **fields)


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def giver(team):
    return UserFactory(username="giver", team=team, roles=[Role.AGENT])


def _errors(refusal: ValidationError) -> str:
    return " ".join(refusal.messages)


# --- Redeeming ------------------------------------------------------------------------------


def test_redeeming_spends_the_price_from_the_balance(agent, giver):
    make_kudos(giver, agent, points=150)
    reward = _reward(price=100)

    redemption = reward_redeem(person=agent, reward=reward, note="  Friday afternoon  ")

    assert redemption.status == Redemption.Status.PENDING
    assert redemption.points == 100
    assert redemption.note == "Friday afternoon"
    assert points_balance(agent) == 50


def test_the_price_when_redeemed_is_what_is_held_even_after_a_price_change(agent, giver):
    make_kudos(giver, agent, points=100)
    reward = _reward(price=80)
    reward_redeem(person=agent, reward=reward)

    Reward.objects.filter(pk=reward.pk).update(price=10)

    assert points_balance(agent) == 20


def test_it_refuses_more_than_the_balance_and_saves_nothing(agent, giver):
    make_kudos(giver, agent, points=60)
    reward = _reward("Lunch with a director", price=100)

    with pytest.raises(ValidationError) as refused:
        reward_redeem(person=agent, reward=reward)

    assert refused.value.message_dict["reward"] == [
        "“Lunch with a director” costs 100 points and your balance is 60: you need 40 more."
    ]
    assert not Redemption.objects.exists()
    assert points_balance(agent) == 60


def test_the_giving_allowance_is_not_a_balance(agent):
    # Everyone may give 100 points a month; only points received buy rewards.
    with pytest.raises(ValidationError, match="your balance is 0"):
        reward_redeem(person=agent, reward=_reward(price=1))


def test_points_of_reported_or_removed_kudos_do_not_count(agent, giver):
    make_kudos(giver, agent, points=100, status=Kudos.Status.REPORTED)
    make_kudos(giver, agent, points=100, status=Kudos.Status.REMOVED)
    make_kudos(giver, agent, points=50)

    with pytest.raises(ValidationError, match="your balance is 50"):
        reward_redeem(person=agent, reward=_reward(price=100))


def test_the_balance_never_goes_negative_across_redemptions(agent, giver):
    make_kudos(giver, agent, points=250)
    reward = _reward(price=100)
    reward_redeem(person=agent, reward=reward)
    reward_redeem(person=agent, reward=reward)

    with pytest.raises(ValidationError, match="your balance is 50: you need 50 more"):
        reward_redeem(person=agent, reward=reward)

    assert Redemption.objects.count() == 2
    assert points_balance(agent) == 50


def test_it_refuses_beyond_stock_and_a_declined_redemption_frees_the_item(
    agent, mentor, giver, admin
):
    reward = _reward("Gift card", price=10, stock=1)
    make_kudos(giver, [agent, mentor], points=50)
    first = reward_redeem(person=agent, reward=reward)

    with pytest.raises(ValidationError) as refused:
        reward_redeem(person=mentor, reward=reward)
    assert refused.value.message_dict["reward"] == ["“Gift card” is sold out: all 1 are taken."]
    assert points_balance(mentor) == 50

    redemption_decline(redemption=first, user=admin, reason="Out of gift cards this month.")
    assert reward_redeem(person=mentor, reward=reward).status == Redemption.Status.PENDING


def test_an_approved_redemption_keeps_its_item_taken(agent, mentor, giver, admin):
    reward = _reward("Gift card", price=10, stock=1)
    make_kudos(giver, [agent, mentor], points=50)
    redemption_approve(redemption=reward_redeem(person=agent, reward=reward), user=admin)

    with pytest.raises(ValidationError, match="sold out"):
        reward_redeem(person=mentor, reward=reward)


def test_it_refuses_a_reward_no_longer_offered(agent, giver):
    make_kudos(giver, agent, points=500)
    reward = _reward(price=10, is_active=False)

    with pytest.raises(ValidationError) as refused:
        reward_redeem(person=agent, reward=reward)

    assert refused.value.message_dict["reward"] == [
        "“Extra afternoon off” is not offered any more."
    ]
    assert not Redemption.objects.exists()


def test_it_refuses_a_reward_withdrawn_after_the_page_was_read(agent, giver):
    make_kudos(giver, agent, points=500)
    reward = _reward(price=10)
    Reward.objects.filter(pk=reward.pk).update(is_active=False)

    with pytest.raises(ValidationError, match="not offered any more"):
        reward_redeem(person=agent, reward=reward)  # the caller's copy still says active


def test_an_inactive_person_cannot_redeem(agent, giver):
    make_kudos(giver, agent, points=500)
    agent.is_active = False
    agent.save(update_fields=["is_active"])

    with pytest.raises(ValidationError, match="Only people who can sign in"):
        reward_redeem(person=agent, reward=_reward(price=10))


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("x" * 301, "Keep the note to 300 characters (301 now)."),
        ("Friday\x00", "This text holds a character that cannot be stored."),
        ("Friday\nor Monday", "Use a single line without control characters"),
        ("\u202egift card", "Use a single line without control characters"),
    ],
    ids=["too-long", "nul", "line-break", "bidi-override"],
)
def test_a_bad_note_is_refused_and_nothing_saved(agent, giver, note, said):
    make_kudos(giver, agent, points=500)

    with pytest.raises(ValidationError) as refused:
        reward_redeem(person=agent, reward=_reward(price=10), note=note)

    assert said in _errors(refused.value)
    assert "note" in refused.value.message_dict
    assert not Redemption.objects.exists()
    assert not Notification.objects.exists()


# --- Who is told ----------------------------------------------------------------------------


def test_admins_are_told_once_of_a_redemption_they_approve(agent, giver, admin):
    make_kudos(giver, agent, points=500)
    other_admin = UserFactory(is_superuser=True)
    UserFactory(is_superuser=True, is_active=False)
    reward = _reward(price=10)

    redemption = reward_redeem(person=agent, reward=reward)

    told = Notification.objects.filter(kind="recognition.redemption")
    assert {n.recipient for n in told} == {admin, other_admin}
    assert all(n.url == "/kudos/redemptions/" for n in told)
    assert "redeemed “Extra afternoon off” for 10 points" in told.first().message
    assert told.filter(dedupe_key=f"recognition.redemption:{redemption.pk}:{admin.pk}").exists()


def test_the_team_managers_are_told_of_a_reward_a_manager_approves(agent, giver, manager, admin):
    make_kudos(giver, agent, points=500)
    # On the team's list of managers without the manager role: cannot decide, is not told.
    not_a_manager = UserFactory(team=agent.team, roles=[Role.AGENT])
    agent.team.managers.add(not_a_manager)

    reward_redeem(person=agent, reward=_reward(price=10, approver=Reward.Approver.MANAGER))

    told = Notification.objects.filter(kind="recognition.redemption")
    assert [n.recipient for n in told] == [manager]


def test_a_manager_redeeming_their_own_team_s_reward_goes_to_the_admins(manager, giver, admin):
    make_kudos(giver, manager, points=500)

    reward_redeem(person=manager, reward=_reward(price=10, approver=Reward.Approver.MANAGER))

    told = Notification.objects.filter(kind="recognition.redemption")
    assert [n.recipient for n in told] == [admin]


def test_someone_without_a_team_s_manager_reward_goes_to_the_admins(giver, admin):
    loner = UserFactory(team=None)
    make_kudos(giver, loner, points=500)

    reward_redeem(person=loner, reward=_reward(price=10, approver=Reward.Approver.MANAGER))

    assert [n.recipient for n in Notification.objects.filter(kind="recognition.redemption")] == [
        admin
    ]


# --- Deciding -------------------------------------------------------------------------------


def test_a_declined_redemption_returns_the_points_exactly_once(agent, giver, admin):
    make_kudos(giver, agent, points=150)
    before = points_balance(agent)
    redemption = reward_redeem(person=agent, reward=_reward(price=100))
    assert points_balance(agent) == 50

    declined = redemption_decline(redemption=redemption, user=admin, reason="Not this quarter.")

    assert declined.status == Redemption.Status.DECLINED
    assert declined.decided_by == admin
    assert declined.decided_at is not None
    assert points_balance(agent) == before == 150
    with pytest.raises(ValidationError, match="already decided"):
        redemption_decline(redemption=redemption, user=admin, reason="Still no.")
    with pytest.raises(ValidationError, match="already decided"):
        redemption_approve(redemption=redemption, user=admin)
    assert points_balance(agent) == 150
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.DECLINED
    assert redemption.reason == "Not this quarter."
    told = Notification.objects.filter(recipient=agent, kind="recognition.redemption_decided")
    assert told.count() == 1
    assert "the 100 points are back in your balance" in told.get().message
    assert "Not this quarter." in told.get().message


def test_approving_keeps_the_points_spent_and_tells_the_person_once(agent, giver, admin):
    make_kudos(giver, agent, points=150)
    redemption = reward_redeem(person=agent, reward=_reward(price=100))

    approved = redemption_approve(redemption=redemption, user=admin)

    assert approved.status == Redemption.Status.APPROVED
    assert approved.decided_by == admin
    assert points_balance(agent) == 50
    with pytest.raises(ValidationError, match="already decided"):
        redemption_approve(redemption=redemption, user=admin)
    told = Notification.objects.filter(recipient=agent, kind="recognition.redemption_decided")
    assert [n.message for n in told] == [
        f"{admin.name} approved your redemption of “Extra afternoon off”."
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001, "No\x00"], ids=str)
def test_declining_needs_a_reason_that_can_be_stored(agent, giver, admin, reason):
    make_kudos(giver, agent, points=150)
    redemption = reward_redeem(person=agent, reward=_reward(price=100))

    with pytest.raises(ValidationError) as refused:
        redemption_decline(redemption=redemption, user=admin, reason=reason)

    assert "reason" in refused.value.message_dict
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.PENDING
    assert points_balance(agent) == 50


def test_the_database_refuses_a_decline_without_a_reason(agent, giver):
    make_kudos(giver, agent, points=150)
    redemption = reward_redeem(person=agent, reward=_reward(price=100))

    with pytest.raises(IntegrityError), transaction.atomic():
        Redemption.objects.filter(pk=redemption.pk).update(
            status=Redemption.Status.DECLINED, decided_at=timezone.now(), reason=""
        )


# --- Who decides ----------------------------------------------------------------------------


@pytest.fixture
def rewards():
    return {
        "admin": _reward("Training budget", price=10),
        "manager": _reward("Lunch with a director", price=10, approver=Reward.Approver.MANAGER),
    }


def _redeem(person, reward) -> Redemption:
    if points_balance(person) < reward.price:
        make_kudos(UserFactory(), person, points=100)
    return reward_redeem(person=person, reward=reward)


def _refused(redemption, user) -> bool:
    """Whether both decisions are refused to `user`, leaving the redemption pending."""
    with pytest.raises(ValidationError, match="You cannot decide this redemption"):
        redemption_approve(redemption=redemption, user=user)
    with pytest.raises(ValidationError, match="You cannot decide this redemption"):
        redemption_decline(redemption=redemption, user=user, reason="No.")
    redemption.refresh_from_db()
    return redemption.status == Redemption.Status.PENDING


def test_an_agent_cannot_decide(agent, mentor, rewards):
    for reward in rewards.values():
        redemption = _redeem(mentor, reward)
        assert not redemption.can_be_decided_by(agent)
        assert _refused(redemption, agent)
    assert not Redemption.objects.decidable_by(agent).exists()


def test_a_manager_decides_manager_approved_rewards_of_their_own_team_only(
    agent, manager, outsider, rewards
):
    own_team = _redeem(agent, rewards["manager"])
    admins_only = _redeem(agent, rewards["admin"])
    other_team = _redeem(outsider, rewards["manager"])

    assert set(Redemption.objects.decidable_by(manager)) == {own_team}
    assert _refused(admins_only, manager)
    assert _refused(other_team, manager)
    assert redemption_approve(redemption=own_team, user=manager).decided_by == manager


def test_a_manager_of_another_team_cannot_decide(agent, rewards):
    elsewhere = UserFactory(team=TeamFactory(slug="elsewhere"), roles=[Role.MANAGER])
    elsewhere.team.managers.add(elsewhere)

    assert _refused(_redeem(agent, rewards["manager"]), elsewhere)


def test_nobody_decides_their_own(manager, admin, rewards):
    managers_own = _redeem(manager, rewards["manager"])
    assert _refused(managers_own, manager)
    for reward in rewards.values():
        assert _refused(_redeem(admin, reward), admin)
    assert not Redemption.objects.decidable_by(manager).exists()
    assert list(Redemption.objects.decidable_by(admin)) == [managers_own]


def test_admins_decide_every_redemption_but_their_own(agent, outsider, manager, admin, rewards):
    mine = [_redeem(person, reward) for person in (agent, outsider, manager)
            for reward in rewards.values()]  # fmt: skip

    assert set(Redemption.objects.decidable_by(admin)) == set(mine)
    for redemption in mine:
        redemption_decline(redemption=redemption, user=admin, reason="Budget frozen.")
    assert not Redemption.objects.holding().exists()
