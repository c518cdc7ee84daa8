"""A person's way through a track: the enrolment, each step done, each quiz attempt."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from training.querysets import EnrolmentQuerySet, StepCompletionQuerySet


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_enrolments"
    )
    track = models.ForeignKey("training.Track", on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Who assigned it (a manager); empty when the learner enrolled themselves.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField("due date", null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Printed on the certificate: anyone given it can check the certificate is real.
    certificate_code = models.CharField(max_length=20, unique=True, null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            # Enrolling twice, or being assigned a track one already takes, is the same
            # enrolment (reassigning changes its due date).
            models.UniqueConstraint(
                fields=["user", "track"], name="training_enrolment_one_per_person"
            ),
            # A certificate exists exactly for a completed track.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="completed",
                        completed_at__isnull=False,
                        certificate_code__isnull=False,
                    )
                    | (~Q(status="completed") & Q(certificate_code__isnull=True))
                ),
                name="training_enrolment_certificate_iff_completed",
            ),
        ]
        indexes = [
            # The reminder sweep: active enrolments by due date.
            models.Index(fields=["status", "due_on"], name="training_enrolment_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.track}"

    def get_absolute_url(self) -> str:
        return self.track.get_absolute_url()

    def get_certificate_url(self) -> str:
        return reverse("training:certificate", args=[self.certificate_code])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.due_on is not None and self.due_on < today


class StepCompletion(models.Model):
    class Status(models.TextChoices):
        DONE = "done", "Done"
        AWAITING_REVIEW = "awaiting_review", "Waiting for a reviewer"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(
        "training.TrackStep", on_delete=models.CASCADE, related_name="completions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DONE)
    completed_at = models.DateTimeField(default=timezone.now)
    # The text the learner read (article steps): when the article's published revision moves
    # on, the step reads "updated since you completed it" until they read it again.
    revision = models.ForeignKey(
        "kb.ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.TextField(
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text="What you did and what you learned (practical tasks).",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = StepCompletionQuerySet.as_manager()

    class Meta:
        ordering = ["completed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "step"], name="training_stepcompletion_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.step}"

    def can_be_confirmed_by(self, user) -> bool:
        """The track owner, KB editors and the managers of the learner's team confirm a
        practical task's evidence, never the learner. Reads the enrolment's user and track
        (select them); `selectors.learning.reviewable_completions` is the list's rule."""
        enrolment = self.enrolment
        if not user.is_authenticated or enrolment.user_id == user.pk:
            return False
        if user.is_kb_editor or enrolment.track.owner_id == user.pk:
            return True
        team_id = enrolment.user.team_id
        return team_id is not None and user.managed_teams.filter(pk=team_id).exists()


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    step = models.ForeignKey(
        "training.TrackStep", on_delete=models.CASCADE, related_name="attempts"
    )
    # {question id: [chosen option ids]}, as the learner sent them (validated first).
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="training_quizattempt_score_percent"
            ),
        ]
        indexes = [
            # A learner's attempts at one quiz, newest first.
            models.Index(
                fields=["enrolment", "step", "-submitted_at"], name="training_attempt_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.step}: {self.score}%"
