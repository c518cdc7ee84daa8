"""The home page below "what needs me today": recognition (kudos received lately, the
allowance left to give, badges), upcoming sessions, teammates and the latest notifications.
Each a fixed number of queries, through the owning app's rules (`Kudos.counted`,
`allowance_for`, `Session.visible_to`, `User.visible_to`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef

from dashboard.selectors.common import SHOWN, Section, section
from notifications.models import Notification
from people.models import User
from recognition.models import BadgeAward, Kudos
from recognition.selectors.accounts import Allowance, allowance_for
from training.models import Session, SessionSignup

# "Kudos I received recently".
KUDOS_DAYS = 30


@dataclass(frozen=True)
class MyRecognition:
    kudos: Section  # counted kudos received in the last `KUDOS_DAYS` days, newest first
    allowance: Allowance
    badges: tuple[BadgeAward, ...]
    badge_count: int


def my_recognition(*, user: User, now: datetime, limit: int = SHOWN) -> MyRecognition:
    """Four or five queries: the kudos (and their count when the list is full), the
    allowance (two) and the badges."""
    received = (
        Kudos.objects.counted()
        .filter(recipient_rows__recipient=user, created_at__gte=now - timedelta(days=KUDOS_DAYS))
        .select_related("giver")
        .order_by("-created_at", "-pk")
    )
    badges = list(
        BadgeAward.objects.filter(user=user).select_related("badge").order_by("-awarded_at", "-pk")
    )
    return MyRecognition(
        kudos=section(received, limit),
        allowance=allowance_for(user, now=now),
        badges=tuple(badges[:limit]),
        badge_count=len(badges),
    )


def upcoming_sessions(*, user: User, now: datetime, limit: int = SHOWN) -> list[Session]:
    """The next sessions `user` may see, soonest first, each with `going` (they have a
    confirmed seat). One query."""
    seat = SessionSignup.objects.confirmed().filter(session=OuterRef("pk"), user=user)
    return list(
        Session.objects.visible_to(user)
        .scheduled()
        .upcoming(now)
        .annotate(going=Exists(seat))
        .defer("agenda", "notes")[:limit]
    )


def teammates(*, user: User, limit: int = 8) -> list[User]:
    """A few people of `user`'s team, without `user`."""
    if not user.team_id:
        return []
    return list(
        User.objects.visible_to(user).filter(team_id=user.team_id).exclude(pk=user.pk)[:limit]
    )


def recent_notifications(*, user: User, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.for_user(user)[:limit])
