"""Badges awarded from what people did across Huddle. Each badge's `rule` names the check in
`recognition.badges` that finds who earned it; the badge rows are seeded by migration (admins
may reword them or stop awarding one), the rules are code."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line


class Badge(models.Model):
    class Rule(models.TextChoices):
        FIRST_KUDOS = "first-kudos", "First kudos received"
        KUDOS_10 = "kudos-10", "10 kudos received"
        KUDOS_50 = "kudos-50", "50 kudos received"
        GIVER_10 = "giver-10", "10 kudos given"
        FIRST_ARTICLE = "first-article", "First article published"
        VERIFIER_5 = "verifier-5", "5 articles verified"
        TRACK_DONE = "track-done", "Completed a training track"
        MENTOR_TRAINED = "mentor-trained", "Completed mentor training"
        PRESENTER = "presenter", "Presented at a session"
        MENTOR_DONE = "mentor-done", "Completed a mentorship as mentor"
        FIRST_PRAISE = "first-praise", "First customer praise"
        FIRST_ANSWER = "first-answer", "First accepted answer"
        ANSWERS_10 = "answers-10", "10 accepted answers"

    rule = models.CharField(max_length=20, choices=Rule.choices, unique=True)
    name = models.CharField(max_length=60, validators=[validate_single_line])
    emoji = models.CharField(max_length=8)
    description = models.CharField(max_length=200, validators=[validate_single_line])
    how_to_earn = models.TextField(max_length=500, validators=[MaxLengthValidator(500)])
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("awarded", default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('recognition:badges')}#{self.rule}"


class BadgeAward(models.Model):
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards"
    )
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            # Each badge once per person, also when the award sweep runs twice at once.
            models.UniqueConstraint(fields=["badge", "user"], name="recognition_badgeaward_once"),
        ]
        indexes = [
            # The weekly digest: badges earned since a moment.
            models.Index(fields=["awarded_at"], name="recognition_award_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} for {self.user}"
