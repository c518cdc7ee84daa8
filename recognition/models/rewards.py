"""Rewards bought with points received (not with the monthly giving allowance), and the
redemptions that an admin or the person's manager approves or declines."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from recognition.querysets import RedemptionQuerySet, RewardQuerySet


class Reward(models.Model):
    class Approver(models.TextChoices):
        ADMIN = "admin", "An admin"
        MANAGER = "manager", "The person's manager (or an admin)"

    name = models.CharField(max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    price = models.PositiveIntegerField(
        "price in points", validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    # Empty: as many as are asked for. Otherwise pending and approved redemptions use it up.
    stock = models.PositiveIntegerField(null=True, blank=True)
    approver = models.CharField(max_length=10, choices=Approver.choices, default=Approver.ADMIN)
    is_active = models.BooleanField("offered", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["price", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=1), name="recognition_reward_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('recognition:rewards')}#{self.slug}"


class Redemption(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined, points returned"

    # Statuses whose points are spent and whose item is taken from the stock.
    HOLDING = (Status.PENDING, Status.APPROVED)

    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="redemptions"
    )
    # The price when redeemed: a later price change does not change what was spent.
    points = models.PositiveIntegerField()
    note = models.CharField(
        max_length=300, blank=True, validators=[validate_single_line],
        help_text="Anything the approver should know (a preferred date, a shop).",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A decision has its date; a declined redemption always says why.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(status="approved", decided_at__isnull=False)
                | (Q(status="declined", decided_at__isnull=False) & ~Q(reason="")),
                name="recognition_redemption_decision_complete",
            ),
        ]
        indexes = [
            # A person's balance: what their redemptions hold (under the lock on their wallet).
            models.Index(fields=["person", "status"], name="recognition_redeem_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:redemption-list")

    def can_be_decided_by(self, user) -> bool:
        """Admins decide every redemption; a manager decides their team's for rewards a
        manager may approve. Nobody decides their own."""
        if not user.is_authenticated or user.pk == self.person_id:
            return False
        if user.is_superuser:
            return True
        team = self.person.team
        return (
            self.reward.approver == Reward.Approver.MANAGER and team is not None
            and user.is_manager and team.managers.filter(pk=user.pk).exists()
        )  # fmt: skip
