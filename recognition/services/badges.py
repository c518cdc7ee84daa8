"""Awarding badges: a periodic sweep reads who earned each badge (`recognition.badges`) and
records each award once. The `(badge, user)` unique constraint is what makes "once" hold
when two sweeps run at the same moment; each new holder is told once (a dedupe key)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify
from people.models import User
from recognition.badges import earners
from recognition.models import Badge, BadgeAward


@transaction.atomic
def badges_award(*, now: datetime | None = None) -> int:
    """Award every active badge to the active people who earned it and do not hold it yet,
    and tell each of them once. Returns how many awards this sweep made.

    A constant number of queries whatever the number of people: the badges, then per badge
    the new earners and one insert (and, when there were any, the rows this sweep wrote and
    their people), then one notification each. A second sweep, or one racing this one,
    finds nothing new or loses the insert to the constraint and tells nobody again."""
    now = now or timezone.now()
    page = reverse("recognition:badges")
    awarded = 0
    for badge in Badge.objects.filter(is_active=True).order_by("order", "pk"):
        new = list(earners(badge.rule, now=now).exclude(badge_awards__badge=badge).order_by("pk"))
        if not new:
            continue
        # Sorted ids: two sweeps take the unique index's locks in the same order.
        BadgeAward.objects.bulk_create(
            [BadgeAward(badge=badge, user_id=pk, awarded_at=now) for pk in new],
            ignore_conflicts=True,
        )
        # The rows this sweep wrote carry its moment; a racing sweep's rows carry another,
        # and its people are told by it.
        mine = User.objects.filter(
            badge_awards__badge=badge, badge_awards__awarded_at=now
        ).order_by("pk")
        for person in mine:
            awarded += 1
            notify(
                recipient=person,
                kind="recognition.badge",
                message=f"You earned the badge {badge.emoji} {badge.name}: {badge.description}",
                url=f"{page}#{badge.rule}",
                dedupe_key=f"recognition.badge:{badge.pk}:{person.pk}",
            )
    return awarded
