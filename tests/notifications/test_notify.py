"""`notify` stores each deduplicated notification, and sends its email, exactly once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Notification
from notifications.services import notification_email_deliver, notify
from tests.concurrency import run_in_threads
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, key="meeting:1:24h"):
    return notify(
        recipient=user, kind="meeting", message="Meeting tomorrow", url="/", dedupe_key=key
    )


def test_it_stores_a_notification_and_emails_it(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify(agent)
    assert created is not None
    assert Notification.objects.get().recipient == agent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [agent.email]
    assert f"/notifications/{created.pk}/open/" in mail.outbox[0].body
    created.refresh_from_db()
    assert created.emailed_at is not None


def test_a_repeated_dedupe_key_stores_and_sends_nothing(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(agent)
        second = _notify(agent)
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_duplicate_does_not_spoil_the_callers_transaction(agent):
    _notify(agent)
    with transaction.atomic():
        assert _notify(agent) is None
        other = _notify(agent, key="another")  # the transaction is still usable
    assert other is not None
    assert Notification.objects.count() == 2


def test_without_a_key_every_call_notifies(agent):
    for _ in range(2):
        notify(recipient=agent, kind="comment", message="New comment", url="/")
    assert Notification.objects.count() == 2


def test_email_preference_is_respected(agent, django_capture_on_commit_callbacks):
    agent.email_notifications = False
    agent.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(agent)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def _notify_then_fail(agent):
    with transaction.atomic():
        _notify(agent)
        raise RuntimeError("the surrounding work failed")


def test_nothing_is_emailed_when_the_transaction_rolls_back(
    agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _notify_then_fail(agent)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_delivering_twice_sends_one_email(agent):
    notification = Notification.objects.create(recipient=agent, kind="k", message="m")
    assert notification_email_deliver(notification_id=notification.pk) is True
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_delivery_of_a_deleted_notification_is_quiet(agent):
    assert notification_email_deliver(notification_id=987654) is False
    assert mail.outbox == []


def test_bad_input_is_refused_and_nothing_is_stored(agent):
    with pytest.raises(Exception, match="at most 50"):
        notify(recipient=agent, kind="k" * 51, message="x", url="/", dedupe_key="k1")
    assert Notification.objects.count() == 0


def test_a_message_longer_than_its_field_is_shortened_not_refused(agent):
    # Callers quote what people wrote (titles, searches); a long one must not fail the action.
    notification = notify(recipient=agent, kind="k", message="x" * 600, url="/")
    assert len(notification.message) == 500
    assert notification.message.endswith("…")


# Runs on both databases; CI's PostgreSQL pass is the one with truly parallel inserts.
@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_store_one_and_send_one():
    user = UserFactory()
    results = run_in_threads(lambda _: _notify(user, key="race:1"), count=4)
    assert len(results) == 4
    assert sum(r is not None for r in results) == 1
    assert Notification.objects.filter(dedupe_key="race:1").count() == 1
    # Eager Celery in tests: the email ran on each winner's commit.
    assert len(mail.outbox) == 1
