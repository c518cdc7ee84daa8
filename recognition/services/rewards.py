"""Redeeming rewards with points received, and the decision on a redemption.

A balance is never stored (`points_balance`: received less what pending and approved
redemptions hold), so spending is creating a redemption and giving back is declining one. A
person's redemptions are serialised by the lock on their wallet (the same lock their giving
takes) and a reward's stock by the lock on the reward's row, so neither the balance nor the
stock can be overspent by concurrent requests on PostgreSQL; on SQLite the write transaction
(BEGIN IMMEDIATE) serialises them anyway.

A decision is only taken on a pending redemption, read under a lock on its row: a second
decision (a double click, two approvers at once) is refused, so a decline returns the points
exactly once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify
from people.models import Role, User
from people.validators import clean_text as _clean
from recognition.models import Redemption, Reward
from recognition.selectors.accounts import points_balance
from recognition.services.kudos import wallet_locked

NOTE_MAX = Redemption._meta.get_field("note").max_length
REASON_MAX = Redemption._meta.get_field("reason").max_length


def _approvers(redemption: Redemption) -> list[User]:
    """Who is told that a redemption waits: for a reward a manager approves, the person's
    team managers (who hold the manager role, as `can_be_decided_by` asks); otherwise, or when
    the team has none but the person, the admins. Never the person themselves."""
    person = redemption.person
    active = User.objects.filter(is_active=True).exclude(pk=person.pk)
    if redemption.reward.approver == Reward.Approver.MANAGER and person.team_id:
        managers = list(
            active.filter(managed_teams=person.team_id)
            .filter(Q(is_superuser=True) | Q(groups__name=Role.MANAGER))
            .distinct()
        )
        if managers:
            return managers
    return list(active.filter(is_superuser=True))


@transaction.atomic
def reward_redeem(*, person: User, reward: Reward, note: str = "") -> Redemption:
    """`person` spends `reward.price` of their points balance on `reward`; the redemption waits
    for an approver, who is told once. Refused (ValidationError by field, nothing saved) for a
    reward no longer offered, a balance short of the price, a sold-out reward, an inactive
    person, or a note that is too long or not one line."""
    note = _clean(note, field="note", limit=NOTE_MAX, label="the note", required=False)
    if not person.is_active:
        raise ValidationError({"reward": "Only people who can sign in may redeem rewards."})
    # Always the wallet first, then the reward: every transaction that takes both takes them
    # in this order, so two redemptions never each hold the lock the other waits for (a
    # deadlock). The wallet serialises one person's spending (giving kudos takes it too); the
    # reward's row serialises its stock across people.
    wallet_locked(person)
    try:
        reward = Reward.objects.select_for_update().get(pk=reward.pk)
    except Reward.DoesNotExist:
        raise ValidationError({"reward": "This reward is not offered any more."}) from None
    if not reward.is_active:
        raise ValidationError({"reward": f"“{reward.name}” is not offered any more."})
    # Read after both locks: every redemption and decision committed before now is counted.
    balance = points_balance(person)
    if balance < reward.price:
        raise ValidationError(
            {
                "reward": f"“{reward.name}” costs {reward.price:,} points and your balance is "
                f"{balance:,}: you need {reward.price - balance:,} more."
            }
        )
    if reward.stock is not None:
        taken = reward.redemptions.holding().count()
        if taken >= reward.stock:
            raise ValidationError(
                {"reward": f"“{reward.name}” is sold out: all {reward.stock:,} are taken."}
            )
    redemption = Redemption(reward=reward, person=person, points=reward.price, note=note)
    redemption.full_clean()
    redemption.save()
    url = reverse("recognition:redemption-list")
    for approver in _approvers(redemption):
        notify(
            recipient=approver,
            kind="recognition.redemption",
            message=f"{person.name} redeemed “{reward.name}” for {reward.price:,} points: "
            "please approve or decline.",
            url=url,
            dedupe_key=f"recognition.redemption:{redemption.pk}:{approver.pk}",
        )
    return redemption


def _lock_pending(redemption: Redemption, user: User) -> Redemption:
    """The redemption read afresh under a lock on its row; refused unless `user` may decide it
    (`Redemption.can_be_decided_by`) and it still waits for a decision."""
    try:
        # Only this row: the person's team is an outer join, which PostgreSQL cannot lock.
        redemption = (
            Redemption.objects.select_for_update(of=("self",))
            .select_related("reward", "person", "person__team")
            .get(pk=redemption.pk)
        )
    except Redemption.DoesNotExist:
        raise ValidationError("This redemption is not there any more.") from None
    if not redemption.can_be_decided_by(user):
        raise ValidationError(
            "You cannot decide this redemption: your own, or not one you approve."
        )
    if redemption.status != Redemption.Status.PENDING:
        raise ValidationError(
            f"This redemption was already decided ({redemption.get_status_display().lower()})."
        )
    return redemption


def _tell_person(redemption: Redemption, message: str) -> None:
    notify(
        recipient=redemption.person,
        kind="recognition.redemption_decided",
        message=message,
        url=reverse("recognition:me"),
        dedupe_key=f"recognition.redemption_decided:{redemption.pk}",
    )


@transaction.atomic
def redemption_approve(*, redemption: Redemption, user: User) -> Redemption:
    """`user` approves a pending redemption they may decide: its points stay spent and its
    item taken. The person is told once."""
    redemption = _lock_pending(redemption, user)
    redemption.status = Redemption.Status.APPROVED
    redemption.decided_by, redemption.decided_at = user, timezone.now()
    redemption.full_clean()
    redemption.save(update_fields=["status", "decided_by", "decided_at"])
    _tell_person(redemption, f"{user.name} approved your redemption of “{redemption.reward.name}”.")
    return redemption


@transaction.atomic
def redemption_decline(*, redemption: Redemption, user: User, reason: str) -> Redemption:
    """`user` declines a pending redemption they may decide, saying why: it holds no points
    any more, so they are back in the person's balance (once: a decided redemption is never
    decided again), and its item is back in stock. The person is told once, with the reason."""
    reason = _clean(
        reason, field="reason", limit=REASON_MAX, label="why you decline it", required=True
    )
    redemption = _lock_pending(redemption, user)
    redemption.status = Redemption.Status.DECLINED
    redemption.decided_by, redemption.decided_at = user, timezone.now()
    redemption.reason = reason
    redemption.full_clean()
    redemption.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _tell_person(
        redemption,
        f"{user.name} declined your redemption of “{redemption.reward.name}”; the "
        f"{redemption.points:,} points are back in your balance. Why: “{reason}”",
    )
    return redemption
