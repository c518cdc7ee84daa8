"""Writes for notifications: `notify`, email delivery, marking read, the reminder sweep, and
people's notification preferences. The digest sweep lives in `notifications.digests`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.engine import reminder_sources
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.preferences import delivery_for

logger = logging.getLogger(__name__)


def notify(
    *, recipient, kind: str, message: str, url: str = "", dedupe_key: str | None = None
) -> Notification | None:
    """Store a notification for `recipient` and queue its email.

    With a `dedupe_key`, only the first call ever stores anything: the database's unique
    constraint decides, so two workers racing on one key still produce one notification and
    one email. Returns the new notification, or None when the key was already used.

    The person's preference for the kind's group (`notifications.preferences`) decides the
    email: at once (queued here), in their digest (the digest sweep sends it), or none.
    """
    limit = Notification._meta.get_field("message").max_length
    if len(message) > limit:  # callers quote what people wrote; a long title must not fail
        message = message[: limit - 1] + "…"
    notification = Notification(
        recipient=recipient,
        kind=kind,
        message=message,
        url=url,
        dedupe_key=dedupe_key,
        delivery=delivery_for(recipient=recipient, kind=kind),
    )
    # The unique check is left to the database: a SELECT first would race.
    notification.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint, so a duplicate leaves the caller's work intact
            notification.save()
    except IntegrityError:
        if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if notification.delivery == Delivery.IMMEDIATELY:
        from notifications.tasks import notification_email_send

        notification_email_send.delay_on_commit(notification.pk)
    return notification


def notification_email_deliver(*, notification_id: int) -> bool:
    """Email one notification, at most once even if the task runs twice or concurrently.

    The row is claimed with a conditional UPDATE before sending; if sending fails the claim
    is released so a retry can try again. Returns whether this call sent the email.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not (recipient.is_active and recipient.email_notifications and recipient.email):
        return False
    link = f"{settings.SITE_URL}{notification.get_absolute_url()}"
    # A header is one line: whatever the message holds, the subject has no line breaks.
    subject = " ".join(notification.message.split())[:70]
    try:
        send_mail(
            subject=f"[Huddle] {subject}",
            message=f"Hello {recipient.name},\n\n{notification.message}\n\n{link}\n\n"
            f"You can choose which emails you get on your notification preferences page: "
            f"{settings.SITE_URL}{reverse('notifications:preferences')}",
            from_email=None,
            recipient_list=[recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def notification_email_failed(*, notification_id: int, error: Exception) -> None:
    """Record that the email will not be sent (retries used up, or an error no retry
    fixes), so the failure stays visible instead of being dropped."""
    logger.error("Email for notification %s failed for good: %r", notification_id, error)
    Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        email_failed_at=timezone.now(), email_error=f"{type(error).__name__}: {error}"[:300]
    )


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def notifications_settle(*, dedupe_prefix: str) -> int:
    """Mark read the unread notifications whose dedupe key starts with `dedupe_prefix`: they
    asked someone to act on a thing that is now done (a change another editor reviewed), so
    they would only mislead. Kept, not deleted: the history stays. Returns how many."""
    if not dedupe_prefix:
        raise ValueError("A prefix is needed: an empty one would settle everything.")
    return (
        Notification.objects.unread()
        .filter(dedupe_key__startswith=dedupe_prefix)
        .update(read_at=timezone.now())
    )


@dataclass
class SweepReport:
    sent: int = 0
    already_sent: int = 0
    failed_sources: list[str] = field(default_factory=list)


def reminders_sweep(*, now: datetime | None = None) -> SweepReport:
    """Ask every app's reminder sources what is due at `now` and notify each person once.

    A failing source is logged and skipped so it cannot starve the others; it is retried on
    the next sweep, and dedupe keys make that retry safe.
    """
    now = now or timezone.now()
    report = SweepReport()
    for name, source in reminder_sources().items():
        try:
            for reminder in source(now):
                created = notify(
                    recipient=reminder.recipient,
                    kind=reminder.kind,
                    message=reminder.message,
                    url=reminder.url,
                    dedupe_key=reminder.dedupe_key,
                )
                if created:
                    report.sent += 1
                else:
                    report.already_sent += 1
        except Exception:
            logger.exception("Reminder source %s failed", name)
            report.failed_sources.append(name)
    logger.info(
        "Reminder sweep: %s sent, %s already sent, failed sources: %s",
        report.sent,
        report.already_sent,
        report.failed_sources or "none",
    )
    return report


@transaction.atomic
def notification_preferences_save(*, user, **values) -> NotificationPreference:
    """Store `user`'s choices (any of the preference's fields); the rest stay as they were."""
    preference = NotificationPreference.objects.filter(user=user).first()
    preference = preference or NotificationPreference(user=user)
    for name, value in values.items():
        if name in ("user", "updated_at") or not hasattr(preference, name):
            raise ValueError(f"{name} is not a notification preference.")
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    return preference
