"""Pairings of a mentor with a mentee in a programme, the request that starts each one, and
the feedback both sides give at the end.

Every pairing starts as a proposal the mentor answers: a mentee's request (with a message), a
manager's assignment or an approved cohort proposal. Accepted, it becomes active and gets its
milestones; it ends completed, or early with a reason. A proposal the mentor declines or
leaves unanswered past the programme's window ends there (declined, expired), as does one its
requester withdraws.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from mentorship.querysets import MentorRequestQuerySet, PairingQuerySet


class Pairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the mentor"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED = "ended", "Ended early"
        DECLINED = "declined", "Declined by the mentor"
        EXPIRED = "expired", "Expired unanswered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        REQUEST = "request", "Requested by the mentee"
        MANAGER = "manager", "Assigned by a manager"
        COHORT = "cohort", "Matched with the cohort"

    # Statuses that hold one of the mentor's slots and the mentee's place in the programme.
    LIVE = (Status.PROPOSED, Status.ACTIVE)
    # Statuses in which the pair meets and the plan runs (nudges go to these only).
    RUNNING = (Status.ACTIVE,)

    program = models.ForeignKey(
        "mentorship.Program", on_delete=models.PROTECT, related_name="pairings"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairings_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairings_as_mentee"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(max_length=10, choices=Source.choices)
    # The score the match had when it was proposed (0-100), kept for the programme report.
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField("end date", null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentorship_pairing_not_self"
            ),
            # A mentee has one mentor per programme at a time (asked or assigned); two
            # managers assigning the same mentee at once cannot both succeed.
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["proposed", "active"]),
                name="mentorship_pairing_one_live_per_mentee",
            ),
            # A pairing that ran has its dates, in order.
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "declined", "expired", "withdrawn"])
                | Q(started_on__isnull=False, ends_on__gte=F("started_on")),
                name="mentorship_pairing_dates_when_started",
            ),
            # Ending early always says why (the programme report reads it).
            models.CheckConstraint(
                condition=~Q(status="ended") | ~Q(end_reason=""),
                name="mentorship_pairing_ended_has_reason",
            ),
        ]
        indexes = [
            # Capacity: a mentor's live pairings, counted under the lock on their profile.
            models.Index(fields=["mentor", "status"], name="mentorship_pairing_mentor_idx"),
            # My mentoring, the team page and the nudges: a mentee's pairings by status.
            models.Index(fields=["mentee", "status"], name="mentorship_pairing_mentee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee} ({self.program})"

    def get_absolute_url(self) -> str:
        return reverse("mentorship:pairing-detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    def last_contact(self):
        """When the pair last met, or started when they have not met yet (a datetime);
        reads `last_meeting_at` from `with_health()`."""
        if self.last_meeting_at:
            return self.last_meeting_at
        if self.started_on:
            return datetime.combine(self.started_on, time.min, tzinfo=UTC)
        return None

    def is_at_risk(self, now=None) -> bool:
        """Active with no meeting in two cadences (from the start when none was held yet).
        Needs `with_health()`."""
        since = self.last_contact()
        if not self.is_active or since is None:
            return False
        now = now or timezone.now()
        return now - since > timedelta(days=2 * self.program.cadence_days)

    def is_member(self, user) -> bool:
        """The mentor and the mentee: the only people who read the plan and the notes."""
        return user.is_authenticated and user.pk in (self.mentor_id, self.mentee_id)

    def is_managed_by(self, user) -> bool:
        """Who may end early or extend besides the pair: `Program.can_pair` for the mentee."""
        return self.program.can_pair(user, self.mentee)


class MentorRequest(models.Model):
    """The ask that opens a pairing: who asked, the message, and the mentor's answer. Its
    pairing stays proposed until the mentor answers or `expires_at` passes."""

    pairing = models.OneToOneField(Pairing, on_delete=models.CASCADE, related_name="request")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(
        blank=True, max_length=2000, validators=[MaxLengthValidator(2000)]
    )

    objects = MentorRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="mentorship_request_expires_after_asked",
            ),
        ]
        indexes = [
            # The expiry sweep and the half-window nudge: unanswered requests by deadline.
            models.Index(fields=["responded_at", "expires_at"], name="mentorship_request_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Request: {self.pairing}"

    def nudge_at(self):
        """Half the window: when an unanswered mentor is reminded."""
        return self.created_at + (self.expires_at - self.created_at) / 2


class PairingFeedback(models.Model):
    """What each side says at the end; programme managers (and admins) alone read it."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "author"], name="mentorship_feedback_once_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="mentorship_feedback_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.pairing}: {self.rating}/5"
