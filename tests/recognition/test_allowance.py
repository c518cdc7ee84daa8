"""The monthly giving allowance: spent per recipient (points times recipients), reset at
midnight on the 1st in the organisation's time zone, no rollover, a person's own allowance
when their wallet says so, and never more than what is left (the concurrent case on
PostgreSQL is test_give_concurrency.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from recognition.models import Kudos, KudosRecipient, Wallet
from recognition.selectors.accounts import allowance_for
from recognition.services.kudos import kudos_give
from tests.recognition.builders import value

pytestmark = pytest.mark.django_db

# Midnight on 1 December in Auckland (NZDT, UTC+13) is 11:00 on 30 November in UTC.
AUCKLAND_DECEMBER = datetime(2025, 11, 30, 11, 0, tzinfo=UTC)


@pytest.fixture
def auckland(settings):
    settings.TIME_ZONE = "Pacific/Auckland"
    settings.RECOGNITION_MONTHLY_ALLOWANCE = 100


def _give(giver, recipients, *, points: int = 10, now: datetime | None = None) -> Kudos:
    return kudos_give(
        giver=giver,
        recipients=recipients if isinstance(recipients, list) else [recipients],
        message="Thanks for covering my queue.",
        values=[value()],
        points=points,
        now=now,
    )


def test_giving_spends_points_times_recipients(agent, mentor, manager, editor):
    _give(agent, [mentor, manager, editor], points=10)
    _give(agent, mentor, points=5)

    allowance = allowance_for(agent)
    assert (allowance.total, allowance.spent, allowance.left) == (100, 35, 65)


def test_more_than_what_is_left_is_refused_and_nothing_is_spent(agent, mentor, manager):
    _give(agent, mentor, points=60)
    with pytest.raises(ValidationError) as refusal:
        _give(agent, [mentor, manager], points=25)  # 50 of the 40 left
    assert "That is 50 points (25 for each of 2)" in refusal.value.message_dict["points"][0]
    assert allowance_for(agent).spent == 60
    assert KudosRecipient.objects.count() == 1
    # Exactly what is left may be given.
    _give(agent, [mentor, manager], points=20)
    assert allowance_for(agent).left == 0


def test_with_nothing_left_a_thank_you_without_points_still_goes(agent, mentor):
    _give(agent, mentor, points=100)
    _give(agent, mentor, points=0)
    assert Kudos.objects.filter(giver=agent).count() == 2


def test_the_allowance_resets_at_midnight_on_the_first_in_the_organisation_s_zone(
    auckland, agent, mentor
):
    just_before = AUCKLAND_DECEMBER - timedelta(seconds=1)  # 23:59:59 on 30 November there
    _give(agent, mentor, points=100, now=just_before - timedelta(minutes=5))
    with pytest.raises(ValidationError):
        _give(agent, mentor, points=10, now=just_before)
    november = allowance_for(agent, now=just_before)
    assert (november.left, november.resets_on) == (0, date(2025, 12, 1))

    # Still 30 November in UTC, but December in Auckland: the whole allowance is back.
    kudos = _give(agent, mentor, points=100, now=AUCKLAND_DECEMBER)
    assert kudos.created_at == AUCKLAND_DECEMBER
    december = allowance_for(agent, now=AUCKLAND_DECEMBER + timedelta(hours=1))
    assert (december.spent, december.left, december.resets_on) == (100, 0, date(2026, 1, 1))


def test_unspent_points_do_not_roll_over(auckland, agent, mentor):
    _give(agent, mentor, points=10, now=AUCKLAND_DECEMBER - timedelta(days=3))
    december = allowance_for(agent, now=AUCKLAND_DECEMBER + timedelta(days=3))
    assert (december.total, december.spent, december.left) == (100, 0, 100)
    with pytest.raises(ValidationError):
        _give(agent, mentor, points=101, now=AUCKLAND_DECEMBER + timedelta(days=3))


def test_a_person_s_wallet_sets_their_own_allowance(agent, mentor, settings):
    settings.RECOGNITION_MONTHLY_ALLOWANCE = 100
    Wallet.objects.create(user=agent, monthly_allowance=30)
    assert allowance_for(agent).total == 30
    with pytest.raises(ValidationError):
        _give(agent, mentor, points=31)
    _give(agent, mentor, points=30)
    assert allowance_for(agent).left == 0
    # Someone else keeps the organisation's default.
    assert allowance_for(mentor).total == 100


def test_the_organisation_s_default_comes_from_the_setting(agent, settings):
    settings.RECOGNITION_MONTHLY_ALLOWANCE = 250
    assert allowance_for(agent).total == 250


@pytest.mark.parametrize("status", [Kudos.Status.REPORTED, Kudos.Status.REMOVED])
def test_a_reported_or_removed_kudos_stays_spent(agent, mentor, status):
    kudos = _give(agent, mentor, points=40)
    # Moderation is tested with its services; here only the status matters.
    Kudos.objects.filter(pk=kudos.pk).update(status=status, reported_at=timezone.now())
    assert allowance_for(agent).spent == 40
    with pytest.raises(ValidationError):
        _give(agent, mentor, points=61)


def test_what_others_gave_never_spends_one_s_allowance(agent, mentor, manager):
    _give(mentor, [agent, manager], points=50)
    assert allowance_for(agent).spent == 0
    assert allowance_for(mentor).spent == 100
