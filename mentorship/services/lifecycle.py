"""Running pairings to their end: extend, complete, end early with a reason, and the
feedback each side gives once it is completed. Each locks the pairing's row first, as every
status change does (`pairings`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.models import Pairing, PairingFeedback
from notifications.services import notify
from people.models import User
from training.selectors.team import local_today

# An extension further out than this from the start is a typo, not a plan.
MAX_LENGTH = timedelta(days=2 * 366)


def _lock_pairing(pairing: Pairing) -> Pairing:
    try:
        return (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("program", "mentor", "mentee", "request__requested_by")
            .get(pk=pairing.pk)
        )
    except Pairing.DoesNotExist as gone:
        raise ValidationError("This pairing no longer exists.") from gone


def _require_running(pairing: Pairing, user: User, what: str) -> None:
    if not (pairing.is_member(user) or pairing.is_managed_by(user)):
        raise PermissionDenied(f"Only the pair or their managers can {what} this pairing.")
    if not pairing.is_active:
        raise ValidationError(
            f"This pairing is {pairing.get_status_display().lower()}: only an active one can "
            "change."
        )


def _tell_pair(pairing: Pairing, user: User, *, kind: str, message: str, key: str = "") -> None:
    """Tell the mentor and the mentee, except `user`, who did it."""
    for person in (pairing.mentor, pairing.mentee):
        if person.pk != user.pk:
            notify(
                recipient=person,
                kind=kind,
                message=message,
                url=pairing.get_absolute_url(),
                dedupe_key=f"{kind}:{pairing.pk}:{person.pk}{key}",
            )


@transaction.atomic
def pairing_end(
    *, pairing: Pairing, user: User, reason: str, now: datetime | None = None
) -> Pairing:
    """End an active pairing early, saying why (the report reads the reasons)."""
    pairing = _lock_pairing(pairing)
    _require_running(pairing, user, "end")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"end_reason": "Say why the pairing ends early."})
    pairing.status = Pairing.Status.ENDED
    pairing.end_reason = reason
    pairing.ended_at = now or timezone.now()
    pairing.ended_by = user
    pairing.full_clean()
    pairing.save(update_fields=["status", "end_reason", "ended_at", "ended_by"])
    _tell_pair(
        pairing,
        user,
        kind="mentorship.ended",
        message=f"{user.name} ended the mentoring of {pairing.mentee.name} by "
        f"{pairing.mentor.name} early.",
    )
    return pairing


@transaction.atomic
def pairing_extend(
    *, pairing: Pairing, user: User, ends_on: date, now: datetime | None = None
) -> Pairing:
    """Move an active pairing's end date later (never earlier, never into the past, at most
    two years from the start)."""
    pairing = _lock_pairing(pairing)
    _require_running(pairing, user, "extend")
    if ends_on <= pairing.ends_on:
        raise ValidationError(
            {"ends_on": f"Choose a day after the current end, {pairing.ends_on:%d %b %Y}."}
        )
    if ends_on < local_today(user, now):
        raise ValidationError({"ends_on": "This day has passed: choose one to come."})
    if ends_on > pairing.started_on + MAX_LENGTH:
        raise ValidationError({"ends_on": "A pairing runs at most two years from its start."})
    pairing.ends_on = ends_on
    pairing.save(update_fields=["ends_on"])
    _tell_pair(
        pairing,
        user,
        kind="mentorship.extended",
        key=f":{ends_on.isoformat()}",
        message=f"{user.name} extended the mentoring of {pairing.mentee.name} to "
        f"{ends_on:%d %b %Y}.",
    )
    return pairing


@transaction.atomic
def pairing_complete(*, pairing: Pairing, user: User, now: datetime | None = None) -> Pairing:
    """Mark an active pairing completed; the others of the pair are asked for feedback."""
    pairing = _lock_pairing(pairing)
    _require_running(pairing, user, "complete")
    pairing.status = Pairing.Status.COMPLETED
    pairing.completed_at = now or timezone.now()
    pairing.save(update_fields=["status", "completed_at"])
    _tell_pair(
        pairing,
        user,
        kind="mentorship.completed",
        message=f"The mentoring of {pairing.mentee.name} by {pairing.mentor.name} in "
        f"{pairing.program} is completed. How did it go? Rate it on the pairing's page.",
    )
    return pairing


@transaction.atomic
def feedback_give(
    *, pairing: Pairing, author: User, rating: int, comments: str = ""
) -> PairingFeedback:
    """The mentor or the mentee rates a completed pairing, once. Only programme managers
    read it."""
    if not pairing.is_member(author):
        raise PermissionDenied("Only the mentor and the mentee give feedback.")
    if pairing.status != Pairing.Status.COMPLETED:
        raise ValidationError("Feedback is given once the pairing is completed.")
    feedback = PairingFeedback(
        pairing=pairing, author=author, rating=rating, comments=comments.strip()
    )
    feedback.full_clean(validate_constraints=False)
    if PairingFeedback.objects.filter(pairing=pairing, author=author).exists():
        raise ValidationError("You already gave feedback on this pairing.")
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as twice:  # the same person sending the form twice at once
        raise ValidationError("You already gave feedback on this pairing.") from twice
    return feedback
