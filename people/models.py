from __future__ import annotations

import zoneinfo
from functools import cache, cached_property
from urllib.parse import quote

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from people.querysets import SHOWN_NAME_ORDER, TeamQuerySet, UserManager
from people.validators import validate_single_line


class Role(models.TextChoices):
    """Roles are Django groups (created by migration 0002) so admins manage them in one place."""

    AGENT = "Agent"
    MENTOR = "Mentor"
    MANAGER = "Manager"
    KB_EDITOR = "KB Editor"
    ADMIN = "Admin"


@cache
def _profile_url_prefix(script_prefix: str) -> str:
    """`/people/u/` under the given script prefix (the key: `reverse` reads it)."""
    return reverse("people:profile", args=["-"]).removesuffix("-/")


@cache
def timezone_names() -> frozenset[str]:
    """The zone database's names. `available_timezones()` walks the database's files on every
    call; the database only changes with a deploy (the tzdata package), so once per process."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


# Skills and interests are separate vocabularies: "refunds" as a skill and as an interest are
# different facts, and suggestions for one must not offer the other's words.
class Skill(TagBase):
    class Meta:
        ordering = ["name"]


class Interest(TagBase):
    class Meta:
        ordering = ["name"]


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    managers = models.ManyToManyField("people.User", related_name="managed_teams", blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:team-detail", args=[self.slug])


class User(AbstractUser):
    class ExperienceLevel(models.TextChoices):
        NEW = "new", "New (first 6 months)"
        DEVELOPING = "developing", "Developing"
        EXPERIENCED = "experienced", "Experienced"
        EXPERT = "expert", "Expert"

    display_name = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text="How colleagues see your name.",
    )
    job_title = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    experience_level = models.CharField(
        max_length=20, choices=ExperienceLevel.choices, default=ExperienceLevel.NEW
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    skills = TaggableManager(
        through="people.TaggedSkill",
        blank=True,
        related_name="skilled_people",
        help_text="What you can help colleagues with, separated by commas.",
    )
    interests = TaggableManager(
        through="people.TaggedInterest",
        blank=True,
        related_name="interested_people",
        help_text="What you would like to learn, separated by commas.",
    )
    career_goals = models.TextField(blank=True, max_length=2000)
    email_notifications = models.BooleanField(
        default=True, help_text="Also send my notifications by email."
    )

    objects = UserManager()

    class Meta:
        # By the name people see (pickers included), not by a display name that may be blank.
        ordering = [SHOWN_NAME_ORDER, "username"]
        indexes = [
            # The onboarding reminder sweeps recent joiners.
            models.Index(fields=["date_joined"], name="people_user_date_joined_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # Every card and list links its people: the prefix is reversed once, the username
        # quoted as `reverse` quotes it (a username never holds a "/").
        prefix = _profile_url_prefix(get_script_prefix())
        return f"{prefix}{quote(self.username, safe=RFC3986_SUBDELIMS + '/~:@')}/"

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone this person chose (UTC for a name the zone database no longer
        knows): pages render and forms read times on this clock (ViewerTimeZoneMiddleware),
        and reminders count this person's days in it."""
        try:
            return zoneinfo.ZoneInfo(self.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role) -> bool:
        return self.is_superuser or role in self.role_names

    @property
    def is_manager(self) -> bool:
        return self.has_role(Role.MANAGER)

    @property
    def is_admin(self) -> bool:
        """Admins (and superusers) see every team's insights and hand over anyone's work."""
        return self.has_role(Role.ADMIN)

    @property
    def is_kb_editor(self) -> bool:
        """KB editors (and superusers) review, publish and see every article."""
        return self.is_authenticated and self.has_role(Role.KB_EDITOR)

    def profile_gaps(self) -> list[str]:
        """What this person still has to fill in (same rule as `profile_incomplete()`)."""
        gaps = []
        if not self.job_title:
            gaps.append("job title")
        if not self.skills.exists():
            gaps.append("skills")
        if not self.interests.exists():
            gaps.append("interests")
        return gaps


class _TaggedUser(TaggedItemBase):
    """One person's link to one word of a vocabulary (skills or interests)."""

    content_object = models.ForeignKey(User, on_delete=models.CASCADE)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="%(app_label)s_%(class)s_unique_per_user"
            )
        ]


class TaggedSkill(_TaggedUser):
    tag = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="tagged_users")


class TaggedInterest(_TaggedUser):
    tag = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="tagged_users")


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        """Tokens that still open the API (not revoked)."""
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user) -> ApiTokenQuerySet:
        """A person's own tokens: nobody else lists, names or revokes them (admins use the
        admin site)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal key to the REST API (`Authorization: Token <key>`).

    Only a SHA-256 hash of the key is stored: the key is shown once, when it is made, and a
    leaked database opens nothing. `prefix` (the key's first characters) lets its owner tell
    their tokens apart. A revoked token stays, so its owner sees when it was last used."""

    NAME_MAX = 100
    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=NAME_MAX,
        validators=[validate_single_line],
        help_text='What uses this token, e.g. "Helpdesk sidebar".',
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A person tells their live tokens apart by name; a revoked one frees its name.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="people_apitoken_name_unique_live",
            ),
            # One key opens one token: a hash shared by two rows would make the lookup ambiguous.
            models.UniqueConstraint(fields=["key_hash"], name="people_apitoken_key_hash_unique"),
            # A token cannot be revoked before it exists.
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | models.Q(revoked_at__gte=models.F("created_at")),
                name="people_apitoken_revoked_after_created",
            ),
        ]
        indexes = [
            # Token authentication finds the candidate rows by the key's prefix.
            models.Index(fields=["prefix"], name="people_apitoken_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
