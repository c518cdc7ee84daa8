"""Cross-training (job rotations and shadowing) and the external learning people log."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from training.querysets import ExternalLearningQuerySet, RotationQuerySet

_LONG_TEXT = {"blank": True, "max_length": 5000, "validators": [MaxLengthValidator(5000)]}


class Rotation(models.Model):
    class Kind(models.TextChoices):
        ROTATION = "rotation", "Job rotation"
        SHADOWING = "shadowing", "Shadowing"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rotations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROTATION)
    # The host person's team when shadowing someone; its manager approves.
    host_team = models.ForeignKey(
        "people.Team", on_delete=models.PROTECT, related_name="hosted_rotations"
    )
    host_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="hosted_rotations",
        help_text="The colleague to shadow (optional for a rotation).",
    )  # fmt: skip
    starts_on = models.DateField()
    ends_on = models.DateField()
    goals = models.TextField(**_LONG_TEXT, help_text="What you want to learn.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    # Both the participant's manager and the host team's manager approve.
    manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_approved_at = models.DateTimeField(null=True, blank=True)
    host_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_approved_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.TextField(**_LONG_TEXT)
    # Afterwards: what the participant learned, confirmed by the host.
    reflection = models.TextField(**_LONG_TEXT)
    reflected_at = models.DateTimeField(null=True, blank=True)
    host_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_confirmed_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RotationQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_rotation_ends_after_start"
            ),
            # A decline is explained to the participant.
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="training_rotation_decline_has_reason",
            ),
            # Approved means both managers said yes.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(manager_approved_at__isnull=False, host_approved_at__isnull=False),
                name="training_rotation_approved_by_both",
            ),
        ]
        indexes = [
            # Overlap checks and each team's upcoming rotations.
            models.Index(fields=["participant", "starts_on"], name="training_rotation_person_idx"),
            models.Index(fields=["host_team", "starts_on"], name="training_rotation_host_idx"),
        ]

    def __str__(self) -> str:
        host = self.host_person or self.host_team
        return f"{self.get_kind_display()}: {self.participant} with {host}"

    def get_absolute_url(self) -> str:
        return reverse("training:rotation-detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class ExternalLearning(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conference"
        WORKSHOP = "workshop", "Workshop"
        COURSE = "course", "Course"
        EVENT = "event", "Event"

    class Approval(models.TextChoices):
        NOT_ASKED = "not_asked", "No approval asked"
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_learning"
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COURSE)
    provider = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    starts_on = models.DateField()
    ends_on = models.DateField()
    hours = models.DecimalField(
        max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1000"))],
    )  # fmt: skip
    url = models.URLField("link", blank=True, max_length=500)
    takeaways = models.TextField(**_LONG_TEXT, help_text="What you took away, for colleagues.")
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.NOT_ASKED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(**_LONG_TEXT)
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ExternalLearningQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name_plural = "external learning"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_external_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5"), hours__lte=Decimal("1000")),
                name="training_external_hours_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(approval="declined") | ~Q(decline_reason=""),
                name="training_external_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:external-detail", args=[self.pk])
