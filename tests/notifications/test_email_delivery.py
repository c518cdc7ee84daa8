"""Email delivery: a message with a line break still makes a one-line subject; transient
failures are retried with backoff; a failure that outlives its retries (or that no retry
fixes) is recorded on the notification and shown, never dropped silently."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications import tasks
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_message_with_line_breaks_is_sent_with_a_one_line_subject(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind="test", message="“Refunds\r\nBcc: x@example.com” is waiting")
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("[Huddle] “Refunds Bcc: x@example.com”")


@pytest.fixture
def failing_mail(settings):
    """A mail backend whose server refuses the connection (a real OSError from a socket)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2


def test_a_transient_failure_is_retried_then_recorded_and_shown(failing_mail, client):
    user = UserFactory()
    notification = notify(recipient=user, kind="test", message="Hello")
    retries = []
    original = tasks.notification_email_send.retry

    def counting_retry(*args, **kwargs):
        retries.append(kwargs.get("countdown"))
        return original(*args, **kwargs)

    tasks.notification_email_send.retry = counting_retry
    try:
        tasks.notification_email_send.apply(args=[notification.pk])
    finally:
        tasks.notification_email_send.retry = original
    assert retries == [30, 60, 120, 240, 480]  # exponential backoff, then give up
    notification.refresh_from_db()
    assert notification.email_failed_at is not None
    assert "ConnectionRefusedError" in notification.email_error
    assert notification.emailed_at is None
    client.force_login(user)
    assert "could not be sent" in client.get("/notifications/").content.decode()


def test_a_failure_no_retry_fixes_is_recorded_at_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "\x00not a host"  # a ValueError, not a network failure
    user = UserFactory()
    notification = notify(recipient=user, kind="test", message="Hello")
    tasks.notification_email_send.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.email_failed_at is not None
    assert Notification.objects.filter(email_failed_at__isnull=False).count() == 1
