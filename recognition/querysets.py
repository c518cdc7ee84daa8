"""Reads of recognition. `KudosQuerySet.visible_to` is the one rule for who sees a kudos;
`counted()` is the one rule for what counts (leaderboards, badges, balances, profiles): only
visible kudos, so a reported or removed one never counts for anyone."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

VISIBLE = "visible"


def _is_admin(user) -> bool:
    return user.is_authenticated and user.is_superuser


class KudosQuerySet(models.QuerySet):
    def counted(self) -> KudosQuerySet:
        """Kudos that count and show to everyone: not reported, not removed."""
        return self.filter(status=VISIBLE)

    def visible_to(self, user) -> KudosQuerySet:
        """Kudos `user` may see: every visible one; their own while reported or removed;
        every one for admins (who decide reports)."""
        if not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return self.all()
        return self.filter(Q(status=VISIBLE) | Q(giver=user))

    def between(self, start: datetime | None, end: datetime | None) -> KudosQuerySet:
        """Given in [start, end); either end may be open."""
        qs = self
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lt=end)
        return qs

    def involving_team(self, team) -> KudosQuerySet:
        """Kudos given by or to a member of `team`."""
        from recognition.models import KudosRecipient

        to_team = KudosRecipient.objects.filter(kudos=OuterRef("pk"), recipient__team=team)
        return self.filter(Q(giver__team=team) | Exists(to_team))

    def involving(self, person) -> KudosQuerySet:
        """Kudos given by or to `person`."""
        from recognition.models import KudosRecipient

        to_person = KudosRecipient.objects.filter(kudos=OuterRef("pk"), recipient=person)
        return self.filter(Q(giver=person) | Exists(to_person))

    def for_value(self, value) -> KudosQuerySet:
        return self.filter(values=value)

    def with_wall_data(self) -> KudosQuerySet:
        """Everything a wall card shows from the kudos's own rows, in a constant number of
        queries for any page: giver, recipients, values and the comment count (the
        reactions are read apart by `recognition.selectors.wall.kudos_cards`)."""
        return (
            self.select_related("giver", "giver__team")
            .prefetch_related(
                "values",
                models.Prefetch(
                    "recipient_rows",
                    queryset=_recipient_rows().select_related("recipient", "recipient__team"),
                ),
            )
            .annotate(comment_count=Count("comments", distinct=True))
        )


def _recipient_rows():
    from recognition.models import KudosRecipient

    return KudosRecipient.objects.all()


class KudosRecipientQuerySet(models.QuerySet):
    def counted(self) -> KudosRecipientQuerySet:
        """Rows of kudos that count (`KudosQuerySet.counted`)."""
        return self.filter(kudos__status=VISIBLE)

    def between(self, start: datetime | None, end: datetime | None) -> KudosRecipientQuerySet:
        qs = self
        if start is not None:
            qs = qs.filter(kudos__created_at__gte=start)
        if end is not None:
            qs = qs.filter(kudos__created_at__lt=end)
        return qs

    def points_total(self) -> int:
        return self.aggregate(total=Coalesce(Sum("points"), 0))["total"]


class PraiseQuerySet(models.QuerySet):
    def visible_to(self, user) -> PraiseQuerySet:
        """Customer praise is shared with everyone signed in: it is the organisation's."""
        return self.all() if user.is_authenticated else self.none()

    def with_wall_data(self) -> PraiseQuerySet:
        return self.select_related("recorded_by").prefetch_related("agents")


class SuccessStoryQuerySet(models.QuerySet):
    def pinned(self, today: date) -> SuccessStoryQuerySet:
        """Stories pinned on `today` whose kudos still counts (a reported kudos's story is
        hidden with it)."""
        return self.filter(pinned_from__lte=today, pinned_until__gte=today).filter(
            Q(kudos__isnull=True) | Q(kudos__status=VISIBLE)
        )

    def visible_to(self, user) -> SuccessStoryQuerySet:
        if not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return self.all()
        return self.filter(Q(kudos__isnull=True) | Q(kudos__status=VISIBLE))


class RewardQuerySet(models.QuerySet):
    def offered(self) -> RewardQuerySet:
        return self.filter(is_active=True)

    def with_taken(self) -> RewardQuerySet:
        """Adds `taken`: redemptions holding an item (pending or approved)."""
        return self.annotate(
            taken=Count("redemptions", filter=Q(redemptions__status__in=["pending", "approved"]))
        )


class RedemptionQuerySet(models.QuerySet):
    def holding(self) -> RedemptionQuerySet:
        """Redemptions whose points are spent and whose item is taken: pending or approved."""
        return self.filter(status__in=["pending", "approved"])

    def decidable_by(self, user) -> RedemptionQuerySet:
        """Pending redemptions `user` may decide (`Redemption.can_be_decided_by`)."""
        pending = self.filter(status="pending").exclude(person=user)
        if not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return pending
        if not user.is_manager:
            return self.none()
        return pending.filter(reward__approver="manager", person__team__managers=user)

    def visible_to(self, user) -> RedemptionQuerySet:
        """One's own, those one may decide, and every one for admins."""
        if not user.is_authenticated:
            return self.none()
        if _is_admin(user):
            return self.all()
        rule = Q(person=user)
        if user.is_manager:
            rule |= Q(reward__approver="manager", person__team__managers=user)
        return self.filter(rule).distinct()


class NominationQuerySet(models.QuerySet):
    def approved(self) -> NominationQuerySet:
        return self.filter(status="approved")

    def pending(self) -> NominationQuerySet:
        return self.filter(status="pending")

    def visible_to(self, user) -> NominationQuerySet:
        """Approved nominations are celebrated for all to see; a pending or rejected one is
        seen by whoever made it, the approvers and admins (never by its nominee, so a
        rejection does not reach them)."""
        from recognition.models import Nomination

        if not user.is_authenticated:
            return self.none()
        if Nomination.is_approver(user):
            # Approvers see every nomination but those about themselves not yet approved.
            return self.exclude(Q(nominee=user) & ~Q(status="approved"))
        return self.filter(Q(status="approved") | Q(nominated_by=user))
