"""Reminders about people: the onboarding nudge to finish one's profile."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse

from notifications.engine import Reminder, reminder_source
from people.models import User


@reminder_source("people.onboarding")
def incomplete_profiles(now: datetime) -> Iterator[Reminder]:
    """Once per person: their profile is still unfinished N days after they joined."""
    joined_before = now - timedelta(days=settings.ONBOARDING_REMINDER_DAYS)
    due = (
        User.objects.active()
        .filter(date_joined__lte=joined_before)
        .profile_incomplete()
        .order_by("pk")
    )
    for user in due.iterator(chunk_size=500):
        yield Reminder(
            recipient=user,
            kind="onboarding",
            message=(
                "Welcome to Huddle! Finish your profile (job title, skills and interests) "
                "so colleagues and mentors can find you."
            ),
            url=reverse("people:profile-edit", args=[user.username]),
            dedupe_key=f"people.onboarding:{user.pk}",
        )
