from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from notifications.querysets import NotificationQuerySet


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Free text rather than choices: each app names its own kinds ("onboarding", "kb.comment").
    kind = models.CharField(max_length=50)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set when the email could not be sent after its retries (or could never be sent): kept
    # visible (admin, the recipient's list) instead of dropped.
    email_failed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)
    # Set by reminders and anything else that must reach a person once: the unique constraint
    # is what makes a repeated or racing sweep harmless. NULL (not "") means "no key", because
    # NULLs never collide under a unique constraint.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], name="notifications_notification_unique_dedupe_key"
            )
        ]
        indexes = [
            # The header's unread counter and the notification list.
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notifications_recipient_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.message[:50]}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])
