"""Each person's choice per kind group decides how `notify` emails: at once, in the digest,
or not at all; the email switch on the profile still silences everything, and every reminder
source follows the choice because it goes through `notify`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Delivery, Notification, NotificationPreference
from notifications.preferences import LEGACY_KINDS, delivery_for, kind_group
from notifications.services import notification_preferences_save, notify, reminders_sweep
from tests.factories import UserFactory
from tests.notifications.builders import prefer

pytestmark = pytest.mark.django_db


def _notify(user, kind: str) -> Notification:
    return notify(recipient=user, kind=kind, message=f"Something of {kind}", url="/")


@pytest.mark.parametrize(
    ("kind", "group"),
    [
        ("kb.review", "kb"),
        ("search.request", "search"),
        ("questions.route", "questions"),
        ("training.overdue", "training"),
        ("mentorship.meeting_tomorrow", "mentorship"),
        ("recognition.kudos", "recognition"),
        ("onboarding", "people"),
        ("quiz", "training"),
        ("meeting", None),
        ("elsewhere.thing", None),
    ],
)
def test_a_kind_s_group_is_its_prefix_or_its_legacy_mapping(kind, group):
    assert kind_group(kind) == group


def test_every_legacy_kind_maps_to_a_group_people_can_choose():
    choosable = {f.name for f in NotificationPreference._meta.fields}
    assert set(LEGACY_KINDS.values()) <= choosable


def test_each_choice_is_honoured_per_kind(agent, mailoutbox, django_capture_on_commit_callbacks):
    prefer(agent, digest=("kb",), in_app=("training",))
    with django_capture_on_commit_callbacks(execute=True):
        now = _notify(agent, "mentorship.request")
        later = _notify(agent, "kb.review")
        never = _notify(agent, "training.overdue")

    assert [m.subject for m in mailoutbox] == ["[Huddle] Something of mentorship.request"]
    assert (now.delivery, later.delivery, never.delivery) == (
        Delivery.IMMEDIATELY,
        Delivery.DIGEST,
        Delivery.IN_APP,
    )
    # Everything is in the app whatever the choice.
    assert Notification.objects.for_user(agent).count() == 3


def test_without_preferences_everything_is_emailed_at_once(
    agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(agent, "kb.review")
        _notify(agent, "onboarding")
    assert len(mailoutbox) == 2


def test_the_email_switch_still_turns_all_email_off(
    agent, mailoutbox, django_capture_on_commit_callbacks
):
    prefer(agent, digest=("kb",))
    agent.email_notifications = False
    agent.save(update_fields=["email_notifications"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(agent, "kb.review")
        second = _notify(agent, "training.overdue")
    assert mailoutbox == []
    assert {first.delivery, second.delivery} == {Delivery.IN_APP}


def test_the_choice_is_read_in_one_query_at_most(agent, django_assert_num_queries):
    prefer(agent, digest=("kb",))
    with django_assert_num_queries(1):
        assert delivery_for(recipient=agent, kind="kb.review") == Delivery.DIGEST
    with django_assert_num_queries(0):  # a kind without a group needs no choice
        assert delivery_for(recipient=agent, kind="meeting") == Delivery.IMMEDIATELY


def test_the_recognition_digest_joins_the_digest_of_anyone_who_has_one(agent, mentor):
    prefer(agent, digest=("kb",))  # recognition itself left "at once"
    prefer(mentor, in_app=("recognition",), digest=("kb",))
    assert delivery_for(recipient=agent, kind="recognition.digest") == Delivery.DIGEST
    assert delivery_for(recipient=agent, kind="recognition.kudos") == Delivery.IMMEDIATELY
    assert delivery_for(recipient=mentor, kind="recognition.digest") == Delivery.IN_APP


def test_reminders_follow_the_preferences(mailoutbox, django_capture_on_commit_callbacks):
    # The onboarding reminder ("onboarding", a legacy kind of the "people" group), through
    # the real sweep: at once for one, digest for another, in-app for the third.
    joined = timezone.now() - timedelta(days=60)
    at_once, digest, in_app = (UserFactory(date_joined=joined) for _ in range(3))
    prefer(digest, digest=("people",))
    prefer(in_app, in_app=("people",))

    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()

    onboarding = Notification.objects.filter(kind="onboarding")
    assert set(onboarding.values_list("recipient", flat=True)) >= {at_once.pk, digest.pk, in_app.pk}
    assert {m.to[0] for m in mailoutbox} & {u.email for u in (at_once, digest, in_app)} == {
        at_once.email
    }
    assert onboarding.get(recipient=digest).delivery == Delivery.DIGEST
    assert onboarding.get(recipient=in_app).delivery == Delivery.IN_APP


@pytest.mark.parametrize(
    "values",
    [
        {"kb": "sometimes"},
        {"digest_hour": 24},
        {"digest_weekday": 7},
        {"digest_frequency": "hourly"},
        {"training": "in_app\x00"},
    ],
)
def test_the_service_refuses_an_unknown_choice_and_keeps_the_old_one(agent, values):
    prefer(agent, digest=("kb",))
    with pytest.raises(ValidationError):
        notification_preferences_save(user=agent, **values)
    stored = NotificationPreference.objects.get(user=agent)
    assert (stored.kb, stored.digest_hour, stored.digest_frequency) == (Delivery.DIGEST, 8, "daily")
