"""Nudges that keep a rotation from ending silently: the participant is asked for their
reflection once the last day has come, and the host, told when it was written, is reminded
if it still waits for their confirmation a week later.

Each is sent once: the key names the rotation and the date it counts from (the last day, or
when the reflection was written), so moving the dates or rewriting the reflection asks again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Prefetch

from notifications.engine import Reminder, reminder_source
from people.models import User
from training.models import Rotation
from training.selectors.team import local_today

_CHUNK_SIZE = 500
# The host was told when the reflection was written; this is the one reminder after that.
CONFIRM_NUDGE_AFTER = timedelta(days=7)


@reminder_source("training.rotation_reflection")
def reflection_due(now: datetime) -> Iterator[Reminder]:
    """Once per rotation and last day: "Your rotation with Escalations has ended: write what
    you learned", on the participant's own calendar day."""
    # A day of slack for time zones ahead of UTC; each person's own date decides below.
    ended = (
        Rotation.objects.filter(
            status=Rotation.Status.APPROVED,
            reflection="",
            ends_on__lte=(now + timedelta(days=1)).date(),
            participant__is_active=True,
        )
        .select_related("participant", "host_team", "host_person")
        .order_by("pk")
    )
    for rotation in ended.iterator(chunk_size=_CHUNK_SIZE):
        person = rotation.participant
        if rotation.ends_on > local_today(person, now):
            continue
        host = rotation.host_person or rotation.host_team
        yield Reminder(
            recipient=person,
            kind="training.rotation_reflection",
            message=f"Your {rotation.get_kind_display().lower()} with {host} has ended: write "
            "what you learned, so your host can confirm it and colleagues can learn from it.",
            url=rotation.get_absolute_url(),
            dedupe_key=f"training.rotation-reflect:{rotation.pk}:{rotation.ends_on.isoformat()}",
        )


@reminder_source("training.rotation_confirmation")
def confirmation_due(now: datetime) -> Iterator[Reminder]:
    """Once per written reflection still unconfirmed after `CONFIRM_NUDGE_AFTER`: the host
    person (or, with none, the host team's active managers) is reminded to confirm it."""
    managers = User.objects.active().order_by("pk")
    waiting = (
        Rotation.objects.filter(
            status=Rotation.Status.APPROVED,
            reflected_at__lte=now - CONFIRM_NUDGE_AFTER,
            host_confirmed_at__isnull=True,
        )
        .exclude(reflection="")
        .select_related("participant", "host_person")
        .prefetch_related(Prefetch("host_team__managers", queryset=managers, to_attr="active"))
        .order_by("pk")
    )
    for rotation in waiting.iterator(chunk_size=_CHUNK_SIZE):
        host = rotation.host_person
        hosts = [host] if host and host.is_active else rotation.host_team.active
        for recipient in hosts:
            if recipient.pk == rotation.participant_id:
                continue
            yield Reminder(
                recipient=recipient,
                kind="training.rotation_confirmation",
                message=f"{rotation.participant.name}'s reflection on their "
                f"{rotation.get_kind_display().lower()} with you has waited a week for your "
                "confirmation.",
                url=rotation.get_absolute_url(),
                dedupe_key=f"training.rotation-confirm:{rotation.pk}:"
                f"{rotation.reflected_at.isoformat()}:{recipient.pk}",
            )
