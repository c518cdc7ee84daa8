"""Customer praise (what a customer said about agents) and success stories: a kudos or a praise
a manager pins at the top of the wall for a while, with what the team learned from it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from recognition.querysets import PraiseQuerySet, SuccessStoryQuerySet

QUOTE_MAX = 2000


class Praise(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        CHAT = "chat", "Chat"
        PHONE = "phone", "Phone"
        SURVEY = "survey", "Survey"
        REVIEW = "review", "Public review"

    quote = models.TextField(max_length=QUOTE_MAX, validators=[MaxLengthValidator(QUOTE_MAX)])
    # How the customer is named on the wall ("Jana, a Premium customer"); never required.
    customer = models.CharField(
        max_length=100, blank=True, validators=[validate_single_line],
        help_text="How to name the customer, if at all (no contact details).",
    )  # fmt: skip
    channel = models.CharField(max_length=10, choices=Channel.choices)
    received_on = models.DateField()
    agents = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="praise")
    ticket_ref = models.CharField(
        "ticket reference", max_length=50, blank=True, validators=[validate_single_line]
    )
    csat = models.PositiveSmallIntegerField(
        "CSAT score", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PraiseQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "praise"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5),
                name="recognition_praise_csat_range",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="recognition_praise_has_quote"),
        ]

    def __str__(self) -> str:
        return f"Praise by {self.get_channel_display().lower()} on {self.received_on}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:praise-detail", args=[self.pk])


class SuccessStory(models.Model):
    kudos = models.OneToOneField(
        "recognition.Kudos", null=True, blank=True, on_delete=models.CASCADE,
        related_name="story",
    )  # fmt: skip
    praise = models.OneToOneField(
        Praise, null=True, blank=True, on_delete=models.CASCADE, related_name="story"
    )
    title = models.CharField(max_length=150, validators=[validate_single_line])
    learned = models.TextField(
        "what we learned", max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    pinned_from = models.DateField()
    pinned_until = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The draft best-practice article made from the lesson, once someone asked for one.
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuccessStoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "success stories"
        ordering = ["-pinned_from", "-pk"]
        constraints = [
            # A story tells exactly one kudos or one praise.
            models.CheckConstraint(
                condition=Q(kudos__isnull=False, praise__isnull=True)
                | Q(kudos__isnull=True, praise__isnull=False),
                name="recognition_successstory_one_source",
            ),
            models.CheckConstraint(
                condition=Q(pinned_until__gte=F("pinned_from")),
                name="recognition_successstory_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recognition:story-detail", args=[self.pk])
