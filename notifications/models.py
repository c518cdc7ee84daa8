from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.querysets import NotificationQuerySet


class Delivery(models.TextChoices):
    """How a notification reaches its person: chosen per kind group on the preferences page,
    and recorded on each notification as decided when it was made."""

    IMMEDIATELY = "immediately", "In the app and by email at once"
    DIGEST = "digest", "In the app, and by email in the digest"
    IN_APP = "in_app", "In the app only"


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
    # Decided by `notify` from the person's preferences; rows from before preferences
    # existed were all emailed at once, which is what the default says.
    delivery = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    # The digest email that carried this notification (digest deliveries only).
    digest = models.ForeignKey(
        "Digest", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

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
            # The digest sweep: each person's items still waiting for a digest, by time.
            # Partial, so it stays as small as what is waiting.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(delivery="digest", digest__isnull=True),
                name="notifications_digest_wait_idx",
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


class DigestFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class NotificationPreference(models.Model):
    """How one person wants each group of notifications, and when their digest comes. No row
    means the defaults: everything at once by email, as before preferences existed."""

    Frequency = DigestFrequency

    class Weekday(models.IntegerChoices):  # datetime.weekday() numbering
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    # One column per kind group (notifications.preferences.GROUPS), so `notify` reads a
    # person's whole choice in one small query and the database can check every value.
    kb = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    search = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    questions = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    training = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    mentorship = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    recognition = models.CharField(
        max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY
    )
    people = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    digest_frequency = models.CharField(
        max_length=6, choices=DigestFrequency.choices, default=DigestFrequency.DAILY
    )
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )
    # On the person's own clock (User.timezone): a digest at 08:00 is read with the coffee.
    digest_hour = models.PositiveSmallIntegerField(
        choices=HOURS, default=8, validators=[MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # The sweep trusts these: an unknown value would silently mean "never".
            models.CheckConstraint(
                condition=Q(kb__in=Delivery.values)
                & Q(search__in=Delivery.values)
                & Q(questions__in=Delivery.values)
                & Q(training__in=Delivery.values)
                & Q(mentorship__in=Delivery.values)
                & Q(recognition__in=Delivery.values)
                & Q(people__in=Delivery.values),
                name="notifications_preference_known_delivery",
            ),
            models.CheckConstraint(
                condition=Q(digest_frequency__in=DigestFrequency.values),
                name="notifications_preference_known_frequency",
            ),
            models.CheckConstraint(
                condition=Q(digest_weekday__lte=6), name="notifications_preference_weekday"
            ),
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="notifications_preference_hour_of_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"


class Digest(models.Model):
    """One person's digest email for one period: claimed (inserted) before it is sent, so
    the unique constraint lets exactly one sweep send it, however many run."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    # Which sweep inserted the row: a bulk insert that skips conflicts does not say which rows
    # were its own, so the sweep reads back the rows carrying its claim.
    claim = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            # Exactly once per person and period, even when two sweeps race.
            models.UniqueConstraint(
                fields=["recipient", "period_start"],
                name="notifications_digest_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="notifications_digest_period_forward",
            ),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.recipient_id} from {self.period_start:%Y-%m-%d %H:%M}"
