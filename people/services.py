"""Writes about people."""

from __future__ import annotations

from django.db import transaction

from people.models import User

# The token services live in people.tokens beside their key handling; re-exported so every
# write about people is found here.
from people.tokens import api_token_create, api_token_revoke

__all__ = ["api_token_create", "api_token_revoke", "profile_update"]


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
