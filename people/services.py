"""Writes about people."""

from __future__ import annotations

from django.db import transaction

from people.models import User


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    """Apply validated profile fields (including skills and interests) in one transaction."""
    skills = data.pop("skills", None)
    interests = data.pop("interests", None)
    for name, value in data.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    if skills is not None:
        user.skills.set(skills)
    if interests is not None:
        user.interests.set(interests)
    return user
