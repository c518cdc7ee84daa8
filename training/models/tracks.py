"""Tracks: ordered steps built from the knowledge base, external resources, practical tasks,
quizzes and knowledge-sharing sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from people.validators import validate_single_line
from training.querysets import TrackQuerySet, TrackStepQuerySet


class TaggedTrackSkill(TaggedItemBase):
    """A track's link to a word of the people app's skill vocabulary (what it builds)."""

    content_object = models.ForeignKey("training.Track", on_delete=models.CASCADE)
    tag = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="tracks")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="training_taggedtrackskill_unique"
            )
        ]


class Visibility(models.TextChoices):
    """Who a track or a session is for: the same two choices as a KB article."""

    EVERYONE = "everyone", "Everyone"
    TEAMS = "teams", "Only chosen teams"


class Track(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    Visibility = Visibility

    title = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    skills = TaggableManager(
        through=TaggedTrackSkill,
        blank=True,
        related_name="trained_by_tracks",
        help_text="The skills this track builds, separated by commas.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    teams = models.ManyToManyField(
        "people.Team",
        blank=True,
        related_name="tracks",
        help_text="Who may take it when visibility is limited to chosen teams.",
    )
    estimated_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_tracks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            # The catalogue and search date a published track; a draft has no such date.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="training_track_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1, estimated_minutes__lte=10_000),
                name="training_track_estimate_in_range",
            ),
        ]
        indexes = [
            # The catalogue: published tracks.
            models.Index(fields=["status", "title"], name="training_track_catalogue_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:track-detail", args=[self.slug])

    @property
    def hours(self) -> float:
        return round(self.estimated_minutes / 60, 1)

    @staticmethod
    def can_be_created_by(user) -> bool:
        """KB editors and managers build tracks from the knowledge base."""
        return user.is_authenticated and (user.is_kb_editor or user.is_manager)

    def can_be_edited_by(self, user) -> bool:
        """The owner and KB editors change steps and publish."""
        return user.is_authenticated and (user.is_kb_editor or user.pk == self.owner_id)


class TrackStep(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Read an article"
        EXTERNAL = "external", "External resource"
        TASK = "task", "Practical task"
        QUIZ = "quiz", "Quiz"
        SESSION = "session", "Attend a session"

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Leave empty to use the article's or the session's title.",
    )
    description = models.TextField(
        blank=True,
        max_length=5000,
        validators=[MaxLengthValidator(5000)],
        help_text="What to look for, the task's instructions, or the quiz's introduction.",
    )
    # A deleted article or session leaves the step behind, flagged to the owner, rather than
    # silently changing the track under its learners.
    article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField("link", blank=True, max_length=500)
    session = models.ForeignKey(
        "training.Session", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="steps",
    )  # fmt: skip
    requires_confirmation = models.BooleanField(
        default=False, help_text="A reviewer confirms the learner's evidence."
    )
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    objects = TrackStepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | Q(pass_mark__gte=1, pass_mark__lte=100),
                name="training_trackstep_pass_mark_percent",
            ),
            # A quiz without a pass mark could never be passed or failed.
            models.CheckConstraint(
                condition=~Q(kind="quiz") | Q(pass_mark__isnull=False),
                name="training_trackstep_quiz_has_pass_mark",
            ),
            models.CheckConstraint(
                condition=~Q(kind="external") | ~Q(url=""),
                name="training_trackstep_external_has_url",
            ),
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == self.Kind.ARTICLE and self.article_id:
            return self.article.title
        if self.kind == self.Kind.SESSION and self.session_id:
            return self.session.title
        return self.get_kind_display()

    def clean(self) -> None:
        needs = {
            self.Kind.ARTICLE: ("article", "Choose the article to read."),
            self.Kind.SESSION: ("session", "Choose the session to attend."),
            self.Kind.EXTERNAL: ("url", "Give the link to the resource."),
            self.Kind.QUIZ: ("pass_mark", "Give the pass mark in percent."),
        }.get(self.kind)
        if needs and getattr(self, needs[0]) in (None, ""):
            raise ValidationError({needs[0]: needs[1]})
        if self.kind == self.Kind.TASK and not self.description:
            raise ValidationError({"description": "Say what the learner should do."})


class QuizQuestion(models.Model):
    step = models.ForeignKey(TrackStep, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(max_length=1000, validators=[MaxLengthValidator(1000)])
    explanation = models.TextField(
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
        help_text="Shown after an attempt, to someone who answered it wrong.",
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class QuizOption(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500, validators=[validate_single_line])
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text
