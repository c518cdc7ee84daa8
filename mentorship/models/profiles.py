"""A person's mentoring profile, on top of their people profile: what they offer as a mentor
and what they want as a mentee. Experience level, team, interests and career goals stay on
the person (people.User); this holds only what mentoring adds."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from mentorship.querysets import MentoringProfileQuerySet

# More mentees than this at once is not mentoring any more; it also bounds a typo ("50").
MAX_CAPACITY = 10


class _TaggedProfileSkill(TaggedItemBase):
    """A profile's link to a word of the people app's skill vocabulary: mentors and mentees
    speak the same words as skills on profiles, tracks and sessions, so they can be matched."""

    content_object = models.ForeignKey("mentorship.MentoringProfile", on_delete=models.CASCADE)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="%(app_label)s_%(class)s_unique"
            )
        ]


class TaggedMentoringTopic(_TaggedProfileSkill):
    tag = models.ForeignKey(
        "people.Skill", on_delete=models.CASCADE, related_name="mentoring_topic_links"
    )


class TaggedDevelopSkill(_TaggedProfileSkill):
    tag = models.ForeignKey("people.Skill", on_delete=models.CASCADE, related_name="develop_links")


class MentoringProfile(models.Model):
    class Format(models.TextChoices):
        ANY = "any", "No preference"
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        CHAT = "chat", "Chat"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_profile"
    )
    # As a mentor.
    open_to_mentor = models.BooleanField(
        "open to mentoring", default=False, help_text="Colleagues may be matched with you."
    )
    capacity = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text="The most mentees you take on at once, across programmes.",
    )
    topics = TaggableManager(
        "topics I can mentor on",
        through=TaggedMentoringTopic,
        blank=True,
        related_name="mentoring_profiles_offering",
        help_text="Separated by commas; your profile's skills count too.",
    )
    availability = models.TextField(
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
        help_text="When and how often you can meet.",
    )
    # As a mentee.
    develop = TaggableManager(
        "skills I want to develop",
        through=TaggedDevelopSkill,
        blank=True,
        related_name="mentoring_profiles_wanting",
        help_text="Separated by commas.",
    )
    goals = models.TextField(
        "what I want from mentoring",
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
    )
    preferred_format = models.CharField(max_length=10, choices=Format.choices, default=Format.ANY)
    # Fairness: among mentors whose scores are close, the one suggested least recently comes
    # first (stamped by the suggestion page when it shows someone among its top picks).
    last_suggested_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentoringProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__username"]
        constraints = [
            # Capacity is checked under a lock on this row when someone is paired; a capacity
            # of 0 would make a mentor who is "open" but can never be matched.
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="mentorship_profile_capacity_range",
            ),
        ]
        indexes = [
            # The mentor pool: open profiles.
            models.Index(fields=["open_to_mentor"], name="mentorship_profile_open_idx"),
        ]

    def __str__(self) -> str:
        return f"Mentoring profile of {self.user}"
