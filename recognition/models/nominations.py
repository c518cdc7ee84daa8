"""Periodic awards ("Customer Champion of the quarter") and the nominations for them that a
group of approvers approves or rejects."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from recognition.querysets import NominationQuerySet

# The group whose members approve nominations (created by migration; admins fill it).
APPROVERS_GROUP = "Award approver"


class Award(models.Model):
    class Period(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"
        YEAR = "year", "Year"

    name = models.CharField(max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.QUARTER)
    emoji = models.CharField(max_length=8, default="🏆")
    is_active = models.BooleanField("open for nominations", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="nominations")
    # The award's period this is for, as people read it: "2026 Q4", "November 2026", "2026".
    period_label = models.CharField(max_length=20)
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations_made"
    )
    reason = models.TextField(max_length=2000, validators=[MaxLengthValidator(2000)])
    # Links to the work (articles, kudos, tickets), one per line.
    evidence = models.TextField(blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(
        blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(nominee=F("nominated_by")), name="recognition_nomination_not_self"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="recognition_nomination_has_reason"
            ),
            # One nomination per nominator, nominee, award and period: a second would be a
            # double vote, not new evidence.
            models.UniqueConstraint(
                fields=["award", "period_label", "nominee", "nominated_by"],
                name="recognition_nomination_once_per_period",
            ),
            # A decision has its date; a rejection always says why.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status="approved", decided_at__isnull=False)
                | (Q(status="rejected", decided_at__isnull=False) & ~Q(decision_comment="")),
                name="recognition_nomination_decision_complete",
            ),
        ]
        indexes = [
            # The approvers' queue and the reminder sweep: pending nominations by age.
            models.Index(fields=["status", "created_at"], name="recognition_nom_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nominee} for {self.award} ({self.period_label})"

    def get_absolute_url(self) -> str:
        return reverse("recognition:nomination-detail", args=[self.pk])

    @staticmethod
    def is_approver(user) -> bool:
        return user.is_authenticated and (user.is_superuser or APPROVERS_GROUP in user.role_names)

    def can_be_decided_by(self, user) -> bool:
        """Approvers decide pending nominations, never their own or one about themselves."""
        return (
            self.status == self.Status.PENDING and self.is_approver(user)
            and user.pk not in (self.nominee_id, self.nominated_by_id)
        )  # fmt: skip
