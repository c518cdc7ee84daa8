"""Knowledge-sharing sessions (peer presentations, roundtables, workshops) and sign-ups."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from people.validators import validate_single_line
from training.models.tracks import Visibility
from training.querysets import SessionQuerySet, SessionSignupQuerySet


class TaggedSessionSkill(TaggedItemBase):
    content_object = models.ForeignKey("training.Session", on_delete=models.CASCADE)
    tag = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="sessions")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="training_taggedsessionskill_unique"
            )
        ]


class Session(models.Model):
    class Kind(models.TextChoices):
        PRESENTATION = "presentation", "Peer presentation"
        ROUNDTABLE = "roundtable", "Roundtable discussion"
        WORKSHOP = "workshop", "Workshop"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    Visibility = Visibility

    title = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    agenda = models.TextField(blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_sessions"
    )
    presenters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="presented_sessions",
        help_text="Who presents or facilitates.",
    )  # fmt: skip
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    video_url = models.URLField("video link", blank=True, max_length=500)
    capacity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text="Seats; later sign-ups join the waitlist.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    teams = models.ManyToManyField("people.Team", blank=True, related_name="training_sessions")
    skills = TaggableManager(
        through=TaggedSessionSkill, blank=True, related_name="covered_by_sessions",
        help_text="Skills it covers, separated by commas.",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Written by the presenter afterwards.
    notes = models.TextField(blank=True, max_length=50_000, validators=[MaxLengthValidator(50_000)])
    recording_url = models.URLField("recording link", blank=True, max_length=500)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # The draft article the notes became (kb's review workflow takes it from there).
    notes_article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="training_session_capacity_positive"
            ),
        ]
        indexes = [
            # Upcoming and past lists, and the day-before reminder.
            models.Index(fields=["starts_at"], name="training_session_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:session-detail", args=[self.slug])

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def can_be_managed_by(self, user) -> bool:
        """The organiser, the presenters and KB editors edit it, record attendance and notes.
        Reads `presenters` (prefetch it on lists)."""
        if not user.is_authenticated:
            return False
        if user.is_kb_editor or user.pk == self.organiser_id:
            return True
        return any(p.pk == user.pk for p in self.presenters.all())


class SessionSignup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Signed up"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_signups"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    # The waitlist's order: first come, first promoted (a new sign-up after a cancellation
    # goes to the back).
    signed_up_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Recorded by the presenter afterwards; None until then.
    attended = models.BooleanField(null=True, blank=True)

    objects = SessionSignupQuerySet.as_manager()

    class Meta:
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="training_signup_one_per_person"
            ),
        ]
        indexes = [
            # Seats taken and the waitlist's order.
            models.Index(
                fields=["session", "status", "signed_up_at"], name="training_signup_queue_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session} ({self.status})"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal calendar feed of the sessions one signed up for; the secret token in its URL
    is the only key (calendar apps cannot sign in), so it can be replaced to revoke it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("training:calendar-feed", args=[self.token])
