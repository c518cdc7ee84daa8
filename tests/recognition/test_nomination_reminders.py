"""The reminder about a nomination waiting for a decision: to each active approver who may
decide it, once, from `RECOGNITION_NOMINATION_REMIND_DAYS` (3) after it was made, however often
the sweep runs; none before, none once it is decided, none to the nominee or the nominator;
a decision marks the reminders already sent read; the source reads in a constant number of
queries whatever the number of nominations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from notifications.services import reminders_sweep
from people.models import Role
from recognition.models import APPROVERS_GROUP, Award, Nomination
from recognition.reminders.nominations import KIND, nominations_waiting
from recognition.services.nominations import (
    nomination_approve,
    nomination_create,
    nomination_reject,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "Turned a furious customer into a fan in one call."
SOURCE_QUERIES = 3


@pytest.fixture
def award(db):
    return Award.objects.get(slug="customer-champion-of-the-quarter")


@pytest.fixture
def approver(other_team):
    return UserFactory(username="approver", team=other_team, roles=[APPROVERS_GROUP])


@pytest.fixture
def admin(other_team):
    return UserFactory(username="admin", team=other_team, is_superuser=True, is_staff=True)


@pytest.fixture
def made_at():
    return timezone.now() - timedelta(days=10)


@pytest.fixture
def nomination(manager, agent, award, approver, admin, made_at):
    return nomination_create(
        nominated_by=manager, nominee=agent, award=award, reason=REASON, now=made_at
    )


def reminded() -> list[str]:
    return sorted(
        Notification.objects.filter(kind=KIND).values_list("recipient__username", flat=True)
    )


def sweep(now, times: int = 2) -> None:
    """The beat sweeps every few minutes: sweeping twice shows "once"."""
    for _ in range(times):
        reminders_sweep(now=now)


def test_no_reminder_before_three_days(nomination, made_at):
    sweep(made_at + timedelta(days=2, hours=23))

    assert reminded() == []


def test_each_approver_is_reminded_once_after_three_days(nomination, made_at, manager, agent):
    sweep(made_at + timedelta(days=3))
    sweep(made_at + timedelta(days=6))

    assert reminded() == ["admin", "approver"]
    reminder = Notification.objects.filter(kind=KIND).first()
    assert reminder.message == (
        f"{manager.name}'s nomination of {agent.name} for Customer Champion of the quarter "
        f"({nomination.period_label}) has waited 3 days for a decision: please approve or "
        "reject it."
    )
    assert reminder.url == nomination.get_absolute_url()
    assert (
        reminder.dedupe_key
        == f"recognition.nomination:{nomination.pk}:{reminder.recipient_id}:reminder"
    )


def test_the_days_come_from_the_setting(nomination, made_at, settings):
    settings.RECOGNITION_NOMINATION_REMIND_DAYS = 5

    sweep(made_at + timedelta(days=4))
    assert reminded() == []

    sweep(made_at + timedelta(days=5))
    assert reminded() == ["admin", "approver"]


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_no_reminder_once_decided(nomination, made_at, approver, decide):
    if decide == "approve":
        nomination_approve(nomination=nomination, user=approver)
    else:
        nomination_reject(nomination=nomination, user=approver, comment="Not this time.")

    sweep(made_at + timedelta(days=4))

    assert reminded() == []


def test_a_decision_marks_the_reminders_already_sent_read(nomination, made_at, approver, admin):
    sweep(made_at + timedelta(days=4))

    nomination_approve(nomination=nomination, user=admin)

    assert not Notification.objects.filter(kind=KIND, read_at__isnull=True).exists()


def test_the_nominee_the_nominator_and_people_who_left_are_never_reminded(
    award, approver, made_at, team
):
    nominator = UserFactory(team=team, roles=[Role.MANAGER, APPROVERS_GROUP])
    nominee = UserFactory(team=team, roles=[APPROVERS_GROUP])
    UserFactory(username="gone", roles=[APPROVERS_GROUP], is_active=False)
    nomination_create(
        nominated_by=nominator, nominee=nominee, award=award, reason=REASON, now=made_at
    )

    sweep(made_at + timedelta(days=4))

    assert reminded() == ["approver"]


def test_the_nominee_is_never_told_of_a_waiting_nomination(nomination, made_at, agent):
    sweep(made_at + timedelta(days=4))

    assert not Notification.objects.filter(recipient=agent).exists()


def test_the_source_skips_reminders_already_sent(nomination, made_at):
    now = made_at + timedelta(days=4)
    assert len(list(nominations_waiting(now))) == 2
    sweep(now, times=1)

    assert list(nominations_waiting(now)) == []


@pytest.mark.parametrize("size", [3, 30])
def test_the_source_reads_in_a_constant_number_of_queries(
    award, approver, admin, made_at, team, size
):
    for _ in range(size):
        nominator = UserFactory(team=team, roles=[Role.MANAGER])
        nomination_create(
            nominated_by=nominator, nominee=UserFactory(team=team), award=award, reason=REASON,
            now=made_at,
        )  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        reminders = list(nominations_waiting(made_at + timedelta(days=4)))

    assert len(reminders) == 2 * size
    # The nominations, the approvers, the reminders already sent.
    assert len(queries) == SOURCE_QUERIES
    assert Nomination.objects.pending().count() == size
