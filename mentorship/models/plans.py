"""A pairing's plan: goals (optionally linked to a training track, which completes them),
milestones from the programme's templates, meetings with shared notes, and action items.
All of it is private to the pair; managers see cadence and progress, never the words."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorship.querysets import MeetingQuerySet
from people.validators import validate_single_line


class Goal(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        DROPPED = "dropped", "Dropped"

    pairing = models.ForeignKey(
        "mentorship.Pairing", on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)], help_text="Percent done."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # Completing this track (as the mentee) meets the goal: read from training.
    track = models.ForeignKey(
        "training.Track", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="mentorship_goal_progress_percent"
            ),
            # Met means done: the date it was met, and all of it.
            models.CheckConstraint(
                condition=~Q(status="met") | Q(met_at__isnull=False, progress=100),
                name="mentorship_goal_met_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    pairing = models.ForeignKey(
        "mentorship.Pairing", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The "due this week" nudge.
            models.Index(fields=["due_on"], name="mentorship_milestone_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    pairing = models.ForeignKey(
        "mentorship.Pairing", on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)", default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    agenda = models.TextField(blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    # Shared by the pair, never shown to anyone else.
    notes = models.TextField(blank=True, max_length=20_000, validators=[MaxLengthValidator(20_000)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="mentorship_meeting_duration_range",
            ),
        ]
        indexes = [
            # The last meeting per pairing (cadence, at risk) and "meeting tomorrow".
            models.Index(fields=["pairing", "starts_at"], name="mentorship_meeting_when_idx"),
            models.Index(fields=["starts_at"], name="mentorship_meeting_start_idx"),
        ]

    def __str__(self) -> str:
        return f"Meeting of {self.pairing} on {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class ActionItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_actions"
    )
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True, done_at__isnull=False) | Q(done=False, done_at__isnull=True),
                name="mentorship_actionitem_done_has_date",
            ),
        ]
        indexes = [
            # The "overdue" nudge: open items by due date.
            models.Index(fields=["done", "due_on"], name="mentorship_action_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title
