"""A person's learning hours, from the three places learning is recorded: completed tracks,
knowledge-sharing sessions attended, and external learning; and the external learning still
ahead of them or waiting for approval, which counts once it has happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from training.models import Enrolment, ExternalLearning, SessionSignup

ZERO = Decimal("0.0")
_TENTH = Decimal("0.1")


def _hours(value: Decimal) -> Decimal:
    return value.quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LearningHours:
    """Hours by source (to a tenth of an hour) and how many of each they come from; and the
    external learning not counted yet (planned), of which some may wait for approval."""

    tracks: Decimal = ZERO
    sessions: Decimal = ZERO
    external: Decimal = ZERO
    total: Decimal = ZERO
    track_count: int = 0
    session_count: int = 0
    external_count: int = 0
    planned: Decimal = ZERO
    planned_count: int = 0
    pending: Decimal = ZERO  # of `planned`: waiting for a manager's approval
    pending_count: int = 0


def _per_user(queryset, user_field: str, **aggregates):
    """`queryset`'s rows of the outer query's user, aggregated: one subquery per value."""
    rows = queryset.filter(**{user_field: OuterRef("pk")}).order_by().values(user_field)
    return {
        name: Subquery(rows.annotate(value=aggregate).values("value"), output_field=output)
        for name, (aggregate, output) in aggregates.items()
    }


def learning_hours(*, user, today: date | None = None) -> LearningHours:
    """`user`'s learning hours: each completed track's estimated time, each session they
    attended (as recorded by its presenter) for its length, and their external learning once
    it has ended (its last day is `today` or before) and a manager approved it or it needed
    no approval. External learning still ahead or waiting for approval is planned; declined
    learning is in neither. One query, whatever the numbers."""
    today = today or timezone.localdate()
    length = ExpressionWrapper(
        F("session__ends_at") - F("session__starts_at"), output_field=DurationField()
    )
    Approval = ExternalLearning.Approval
    happened = Q(ends_on__lte=today, approval__in=[Approval.APPROVED, Approval.NOT_ASKED])
    pending = Q(approval=Approval.PENDING)
    decimal = DecimalField(max_digits=12, decimal_places=1)
    columns = {
        **_per_user(
            Enrolment.objects.completed(), "user",
            track_minutes=(Sum("track__estimated_minutes"), IntegerField()),
            track_count=(Count("pk"), IntegerField()),
        ),
        **_per_user(
            SessionSignup.objects.filter(attended=True), "user",
            session_length=(Sum(length), DurationField()),
            session_count=(Count("pk"), IntegerField()),
        ),
        **_per_user(
            ExternalLearning.objects.exclude(approval=Approval.DECLINED), "person",
            external_hours=(Sum("hours", filter=happened), decimal),
            external_count=(Count("pk", filter=happened), IntegerField()),
            planned_hours=(Sum("hours", filter=~happened), decimal),
            planned_count=(Count("pk", filter=~happened), IntegerField()),
            pending_hours=(Sum("hours", filter=pending), decimal),
            pending_count=(Count("pk", filter=pending), IntegerField()),
        ),
    }  # fmt: skip
    row = type(user).objects.filter(pk=user.pk).annotate(**columns).values(*columns).first()
    row = row or dict.fromkeys(columns)
    length = row["session_length"] or timedelta()
    parts = (
        _hours(Decimal(row["track_minutes"] or 0) / 60),
        _hours(Decimal(int(length.total_seconds())) / 3600),
        _hours(Decimal(row["external_hours"] or 0)),
    )
    # The sum of the rounded parts, so the figures shown side by side add up.
    return LearningHours(
        tracks=parts[0],
        sessions=parts[1],
        external=parts[2],
        total=sum(parts, ZERO),
        track_count=row["track_count"] or 0,
        session_count=row["session_count"] or 0,
        external_count=row["external_count"] or 0,
        planned=_hours(Decimal(row["planned_hours"] or 0)),
        planned_count=row["planned_count"] or 0,
        pending=_hours(Decimal(row["pending_hours"] or 0)),
        pending_count=row["pending_count"] or 0,
    )
