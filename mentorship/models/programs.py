"""Mentoring programmes: classic (experienced mentors guide newer colleagues), reverse (the
junior teaches the senior, often tools and technology) and peer (colleagues at the same
level). A programme sets its duration, meeting cadence, milestones, matching weights, the
training its mentors must have completed, and who manages it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mentorship.querysets import ParticipationQuerySet, ProgramQuerySet
from people.validators import validate_single_line

# The matching factors, in the order a breakdown lists them, with their default weights: what
# a mentee most needs (the skills they want, from someone who has shown them) weighs most.
FACTORS = {
    "skills": "Skill overlap",
    "expertise": "Demonstrated expertise",
    "goals": "Career-goal fit",
    "experience": "Experience gap",
    "interests": "Shared interests",
    "cross_team": "Cross-team",
}
DEFAULT_WEIGHTS = {
    "skills": 30,
    "expertise": 25,
    "goals": 15,
    "experience": 15,
    "interests": 10,
    "cross_team": 5,
}
MAX_WEIGHT = 100
# The training a mentor must have completed unless a programme says otherwise (seeded).
DEFAULT_REQUIRED_TRACK_SLUG = "mentor-training"


def default_weights() -> dict[str, int]:
    return dict(DEFAULT_WEIGHTS)


def validate_weights(value) -> None:
    """Exactly the known factors, each a whole number from 0 to 100, not all zero."""
    if not isinstance(value, dict) or set(value) != set(FACTORS):
        raise ValidationError("Give a weight for each matching factor.")
    for key, weight in value.items():
        if isinstance(weight, bool) or not isinstance(weight, int):
            raise ValidationError("%(factor)s: a weight is a whole number.",
                                  params={"factor": FACTORS[key]})  # fmt: skip
        if not 0 <= weight <= MAX_WEIGHT:
            raise ValidationError("%(factor)s: a weight is from 0 to 100.",
                                  params={"factor": FACTORS[key]})  # fmt: skip
    if not any(value.values()):
        raise ValidationError("At least one matching factor needs a weight above 0.")


class Program(models.Model):
    class Kind(models.TextChoices):
        CLASSIC = "classic", "Classic mentoring"
        REVERSE = "reverse", "Reverse mentoring"
        PEER = "peer", "Peer mentoring"

    name = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLASSIC)
    description = models.TextField(
        blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    cadence_days = models.PositiveSmallIntegerField(
        "meet every (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="How often a pair is expected to meet.",
    )
    accept_window_days = models.PositiveSmallIntegerField(
        "days to answer a request",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="A request the mentor has not answered by then expires.",
    )
    weights = models.JSONField(default=default_weights, validators=[validate_weights])
    required_track = models.ForeignKey(
        "training.Track",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Mentors must have completed this track (empty: no prerequisite).",
    )
    is_open = models.BooleanField(
        "open", default=True, help_text="Closed programmes take no new mentees or pairings."
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_programs"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mentorship:program-detail", args=[self.slug])

    @property
    def is_reverse(self) -> bool:
        return self.kind == self.Kind.REVERSE

    def clean(self) -> None:
        if self.kind == self.Kind.PEER and self.required_track_id:
            raise ValidationError(
                {"required_track": "Peer mentoring has no mentor training prerequisite."}
            )

    def is_managed_by(self, user) -> bool:
        """Programme managers and admins run the programme: cohort matching, the report,
        feedback. Reads `managers` (prefetch it for lists)."""
        if not user.is_authenticated:
            return False
        return user.is_superuser or any(m.pk == user.pk for m in self.managers.all())

    def can_pair(self, user, mentee) -> bool:
        """Who may assign `mentee` a mentor here (and see their suggestions, end or extend
        their pairing): the managers of the mentee's team, the programme's managers, admins.
        A manager of another team may not."""
        if not user.is_authenticated:
            return False
        if self.is_managed_by(user):
            return True
        return (
            user.is_manager
            and mentee.team_id is not None
            and user.managed_teams.filter(pk=mentee.team_id).exists()
        )


class MilestoneTemplate(models.Model):
    """A milestone every pairing of the programme gets, dated from the pairing's start."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    offset_days = models.PositiveSmallIntegerField(
        "days after the start", validators=[MaxValueValidator(730)]
    )

    class Meta:
        ordering = ["offset_days", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (day {self.offset_days})"


class Participation(models.Model):
    """A mentee taking part in a programme: the cohort a programme manager matches."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participations")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_participations"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # A manager or programme manager who added them; empty when they joined themselves.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee"], name="mentorship_participation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} in {self.program}"
