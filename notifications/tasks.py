from __future__ import annotations

from celery import shared_task

from notifications import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notification_email_send(notification_id: int) -> None:
    services.notification_email_deliver(notification_id=notification_id)


@shared_task
def reminders_sweep() -> dict:
    report = services.reminders_sweep()
    return {"sent": report.sent, "already_sent": report.already_sent}
