"""One person posting many kudos at the same moment (two tabs, a double click, a script on the
API) never spends more than their allowance: the lock on their wallet row serialises their
giving, and each post counts what the ones before it spent.

Truly parallel on PostgreSQL (CI runs the suite on it with DATABASE_URL set); SQLite
serialises the writers, and the same assertions must hold there too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from people.models import User
from recognition.models import Kudos, KudosRecipient, Value, Wallet
from recognition.selectors.accounts import allowance_for
from recognition.services.kudos import kudos_give
from tests.concurrency import run_in_threads
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GIVEN = "given"


def _value() -> Value:
    # Transactional tests flush the seeded rows: make the one value these kudos need.
    return Value.objects.get_or_create(
        slug="team-player",
        defaults={"name": "Team player", "emoji": "🤝", "description": "Helps.", "qualifies": "."},
    )[0]


def _give(giver_pk: int, recipient_pk: int, points: int) -> str:
    """One post, as the give page makes it: the outcome, or the refusal's field."""
    try:
        kudos_give(
            giver=User.objects.get(pk=giver_pk),
            recipients=[User.objects.get(pk=recipient_pk)],
            message="Thanks for the quick handover.",
            values=[Value.objects.get(slug="team-player")],
            points=points,
        )
    except ValidationError as refused:
        return ",".join(refused.message_dict)
    return GIVEN


def test_twenty_posts_at_once_never_overspend_the_allowance(settings):
    settings.RECOGNITION_MONTHLY_ALLOWANCE = 100
    _value()
    giver, colleague = UserFactory(), UserFactory()

    outcomes = run_in_threads(lambda i: _give(giver.pk, colleague.pk, 10), count=20)

    assert outcomes.count(GIVEN) == 10
    assert outcomes.count("points") == 10
    assert allowance_for(giver).spent == 100
    assert Kudos.objects.filter(giver=giver).count() == 10
    assert KudosRecipient.objects.filter(giver=giver).count() == 10
    assert Wallet.objects.filter(user=giver).count() == 1


def test_posts_that_each_fit_but_not_together_leave_the_allowance_whole(settings):
    settings.RECOGNITION_MONTHLY_ALLOWANCE = 100
    _value()
    giver, colleague = UserFactory(), UserFactory()
    Wallet.objects.create(user=giver)  # the wallet is there already: only its lock is raced

    outcomes = run_in_threads(lambda i: _give(giver.pk, colleague.pk, 30), count=8)

    assert outcomes.count(GIVEN) == 3
    assert allowance_for(giver).spent == 90
