"""A person's points: what is left of this month's giving allowance, and the balance of points
received that rewards are bought with. Both are sums over the rows, never stored, so there is
nothing to drift; the services read them under the lock on the person's wallet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce

from recognition.models import KudosRecipient, Redemption, Wallet
from recognition.selectors.periods import month_start, next_month_start


@dataclass(frozen=True)
class Allowance:
    total: int
    spent: int
    resets_on: date

    @property
    def left(self) -> int:
        return max(self.total - self.spent, 0)


def allowance_total(user) -> int:
    """`user`'s monthly allowance: their wallet's, or the organisation's default."""
    wallet = Wallet.objects.filter(user=user).only("monthly_allowance").first()
    return wallet.allowance if wallet else settings.RECOGNITION_MONTHLY_ALLOWANCE


def allowance_for(user, *, now: datetime | None = None) -> Allowance:
    """This month's allowance of `user` (two queries). Every kudos given this month spends
    its points times its recipients, also one later reported or removed: what was spent
    stays spent."""
    start = month_start(now)
    spent = KudosRecipient.objects.filter(
        giver=user, kudos__created_at__gte=start, kudos__created_at__lt=next_month_start(now)
    ).aggregate(spent=Coalesce(Sum("points"), 0))["spent"]
    return Allowance(
        total=allowance_total(user), spent=spent, resets_on=next_month_start(now).date()
    )


def points_received(user) -> int:
    """Points `user` received in kudos that count (visible ones)."""
    return KudosRecipient.objects.filter(recipient=user).counted().points_total()


def points_balance(user) -> int:
    """Points `user` may still spend on rewards: received, less what pending and approved
    redemptions hold (a declined one holds nothing, so its points are back)."""
    held = (
        Redemption.objects.filter(person=user)
        .holding()
        .aggregate(held=Coalesce(Sum("points"), 0))["held"]
    )
    return points_received(user) - held
