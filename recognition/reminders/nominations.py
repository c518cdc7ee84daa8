"""The reminder to approvers about a nomination still waiting for a decision: once per
nomination and approver, from `RECOGNITION_NOMINATION_REMIND_DAYS` after it was made, and
never once it is decided (the decision also settles the reminders already sent,
`services.nominations.ask_prefix`).

The approvers are the active admins and members of the approvers' group, less the nomination's
nominee and nominator (who may not decide it). The sweep reads in a constant number of queries
per chunk of `CHUNK_SIZE` nominations: the approvers once, then per chunk the nominations and
the reminders already sent (per `KEYS_PER_QUERY` keys), so a nomination waiting for weeks
costs no notification attempt on every sweep.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice

from django.conf import settings

from notifications.engine import Reminder, reminder_source
from notifications.models import Notification
from recognition.models import Nomination
from recognition.services.nominations import ask_prefix, nomination_approvers

CHUNK_SIZE = 200
KEYS_PER_QUERY = 500
KIND = "recognition.nomination_waiting"


def reminder_key(nomination: Nomination, approver) -> str:
    """Under the nomination's ask prefix, so a decision settles the reminder with the ask."""
    return f"{ask_prefix(nomination)}{approver.pk}:reminder"


def _waiting_days(nomination: Nomination, now: datetime) -> int:
    return max((now - nomination.created_at).days, settings.RECOGNITION_NOMINATION_REMIND_DAYS)


def _already_sent(keys: list[str]) -> set[str]:
    # In slices: a database caps the parameters of one query.
    sent = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        sent.update(
            Notification.objects.filter(
                dedupe_key__in=keys[start : start + KEYS_PER_QUERY]
            ).values_list("dedupe_key", flat=True)
        )
    return sent


@reminder_source(KIND)
def nominations_waiting(now: datetime) -> Iterator[Reminder]:
    """Each active approver who may decide it, once per nomination pending since
    `RECOGNITION_NOMINATION_REMIND_DAYS` or longer."""
    due = now - timedelta(days=settings.RECOGNITION_NOMINATION_REMIND_DAYS)
    waiting = (
        Nomination.objects.pending()
        .filter(created_at__lte=due)
        .select_related("award", "nominee", "nominated_by")
        .defer("reason", "evidence")
        .order_by("created_at", "pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    approvers = None
    while chunk := list(islice(waiting, CHUNK_SIZE)):
        if approvers is None:
            approvers = nomination_approvers()
        # The approvers were read as approvers; of those, whoever is the nominee or the
        # nominator may not decide (`Nomination.can_be_decided_by`).
        due_now = [
            (nomination, approver, reminder_key(nomination, approver))
            for nomination in chunk
            for approver in approvers
            if approver.pk not in (nomination.nominee_id, nomination.nominated_by_id)
        ]
        sent = _already_sent([key for _, _, key in due_now])
        for nomination, approver, key in due_now:
            if key in sent:
                continue
            yield Reminder(
                recipient=approver,
                kind=KIND,
                message=f"{nomination.nominated_by.name}'s nomination of "
                f"{nomination.nominee.name} for {nomination.award.name} "
                f"({nomination.period_label}) has waited {_waiting_days(nomination, now)} days "
                "for a decision: please approve or reject it.",
                url=nomination.get_absolute_url(),
                dedupe_key=key,
            )
