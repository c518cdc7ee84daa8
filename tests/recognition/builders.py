"""Builders for recognition tests: kudos, praise and redemptions written as rows directly (the
services are tested on their own), so a test can set dates, statuses and points freely.
The seeded values and badges (migration 0002) are in every test database."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from recognition.models import Kudos, KudosRecipient, Praise, Value


def value(slug: str = "went-the-extra-mile") -> Value:
    return Value.objects.get(slug=slug)


def make_kudos(
    giver,
    recipients,
    *,
    values=None,
    points: int = 10,
    message: str = "Thank you for sorting out that refund so quickly.",
    status: str = Kudos.Status.VISIBLE,
    created_at: datetime | None = None,
    **target,
) -> Kudos:
    """A kudos from `giver` to `recipients` (a person or a list) with `values` (slugs or
    Value rows; the first seeded value by default). `target`: article=, session=, pairing=,
    ticket_ref=, customer_quote=."""
    if not isinstance(recipients, list | tuple):
        recipients = [recipients]
    created_at = created_at or timezone.now()
    reported = {} if status == Kudos.Status.VISIBLE else {"reported_at": created_at}
    kudos = Kudos.objects.create(
        giver=giver, message=message, points=points, status=status, created_at=created_at,
        **reported, **target,
    )  # fmt: skip
    chosen = [value(v) if isinstance(v, str) else v for v in (values or ["went-the-extra-mile"])]
    kudos.values.set(chosen)
    KudosRecipient.objects.bulk_create(
        KudosRecipient(kudos=kudos, recipient=person, giver=giver, points=points)
        for person in recipients
    )
    return kudos


def make_praise(agents, *, quote: str = "Best support I have ever had.", recorded_by=None,
                **fields) -> Praise:  # fmt: skip
    if not isinstance(agents, list | tuple):
        agents = [agents]
    fields.setdefault("channel", Praise.Channel.EMAIL)
    fields.setdefault("received_on", timezone.localdate())
    praise = Praise.objects.create(quote=quote, recorded_by=recorded_by, **fields)
    praise.agents.set(agents)
    return praise
