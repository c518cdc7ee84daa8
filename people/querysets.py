"""Reads about people: who may see whom, who manages whom, whose profile is unfinished."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim

from people.hooks import expand_query

if TYPE_CHECKING:
    from people.models import User


# The name a person is shown by, as `User.name` picks it: the display name, else the full name,
# else the username; lower-cased, so people sort as they read in lists and pickers.
SHOWN_NAME_ORDER = Lower(
    Coalesce(
        NullIf("display_name", Value("")),
        NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")),
        "username",
    )
)


class UserQuerySet(models.QuerySet):
    def active(self) -> UserQuerySet:
        """People who can sign in."""
        return self.filter(is_active=True)

    def visible_to(self, user: User) -> UserQuerySet:
        """The directory: every active colleague is visible to every signed-in colleague."""
        if not user.is_authenticated:
            return self.none()
        return self.active()

    def with_role(self, role: str) -> UserQuerySet:
        """People holding one of the roles in `people.models.Role`."""
        return self.filter(groups__name=role)

    def with_directory_data(self) -> UserQuerySet:
        """Everything a list of people shows, fetched in a constant number of queries."""
        return self.select_related("team").prefetch_related("skills")

    def annotate_profile_complete(self) -> UserQuerySet:
        """Adds `profile_complete`: a job title, at least one skill and one interest."""
        from people.models import TaggedInterest, TaggedSkill

        return self.annotate(
            has_skill=Exists(TaggedSkill.objects.filter(content_object=OuterRef("pk"))),
            has_interest=Exists(TaggedInterest.objects.filter(content_object=OuterRef("pk"))),
        ).annotate(
            profile_complete=models.ExpressionWrapper(
                ~Q(job_title="") & Q(has_skill=True) & Q(has_interest=True),
                output_field=models.BooleanField(),
            )
        )

    def profile_incomplete(self) -> UserQuerySet:
        """People whose profile still lacks what colleagues and mentors look for."""
        return self.annotate_profile_complete().filter(profile_complete=False)

    def search(self, text: str) -> UserQuerySet:
        """Name, username, job title or skill containing `text`; job title or skill also
        containing another word for it (`people.hooks.expand_query`: the synonym groups)."""
        text = text.strip()
        if not text:
            return self
        match = (
            Q(display_name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(username__icontains=text)
            | Q(job_title__icontains=text)
            | Q(skills__name__icontains=text)
        )
        # Another word for what someone knows is not another name: synonyms widen only
        # what a person knows.
        for word in expand_query(text):
            match |= Q(job_title__icontains=word) | Q(skills__name__icontains=word)
        return self.filter(match).distinct()


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class TeamQuerySet(models.QuerySet):
    def managed_by(self, user: User) -> TeamQuerySet:
        """Teams `user` manages."""
        return self.filter(managers=user)

    def with_member_counts(self) -> TeamQuerySet:
        return self.annotate(
            member_count=models.Count("members", filter=Q(members__is_active=True))
        )
