from __future__ import annotations

from celery import shared_task

from notifications import digests, services

EMAIL_RETRIES = 5
EMAIL_BACKOFF_SECONDS = 30


@shared_task(bind=True, max_retries=EMAIL_RETRIES)
def notification_email_send(self, notification_id: int) -> None:
    """Send one notification's email. A transient failure (the mail server down, a
    timeout, SMTP errors: all OSError) is retried with exponential backoff; when the
    retries are used up, or the failure is one no retry fixes, it is recorded on the
    notification (`email_failed_at`)."""
    try:
        services.notification_email_deliver(notification_id=notification_id)
    except OSError as error:
        if self.request.retries < EMAIL_RETRIES:
            delay = EMAIL_BACKOFF_SECONDS * 2**self.request.retries
            raise self.retry(exc=error, countdown=delay) from error
        services.notification_email_failed(notification_id=notification_id, error=error)
    except Exception as error:
        services.notification_email_failed(notification_id=notification_id, error=error)


@shared_task
def reminders_sweep() -> dict:
    report = services.reminders_sweep()
    return {"sent": report.sent, "already_sent": report.already_sent}


@shared_task
def digests_send() -> dict:
    """Send the digests that are due (on beat every DIGEST_SWEEP_SECONDS); safe to run twice
    or at once: each person's period is claimed before it is sent."""
    report = digests.digests_send()
    return {"sent": report.sent, "empty": report.empty, "already_sent": report.already_sent}
