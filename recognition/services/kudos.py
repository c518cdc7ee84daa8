"""Giving kudos, and what people do with one: react, comment, report; admins restore or remove.

The giver's allowance is checked and spent under a lock on their wallet row, so the same
person posting twice at once (two tabs, a double click, the API) waits for the first post and
can never overspend; on SQLite the write transaction (BEGIN IMMEDIATE) serialises it anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kb.mentions import mentioned_people
from kb.models import Article
from mentorship.models import Pairing
from notifications.services import notify
from people.models import User
from people.validators import clean_text as _clean_text
from recognition.models import Kudos, KudosComment, KudosRecipient, Reaction, Value, Wallet
from recognition.models.kudos import COMMENT_MAX, MESSAGE_MAX, POINTS_MAX
from recognition.selectors.accounts import allowance_for
from training.models import Session

# More recipients than this is a broadcast, not a thank-you (and a typo in a loop).
MAX_RECIPIENTS = 20


def wallet_locked(user) -> Wallet:
    """`user`'s wallet row, created if missing and locked until the transaction ends: the
    one place that serialises a person's spending (giving and redeeming)."""
    Wallet.objects.get_or_create(user=user)
    return Wallet.objects.select_for_update().get(user=user)


def _check_target(giver, *, article, session, pairing, ticket_ref: str, customer_quote: str):
    targets = [t for t in (article, session, pairing, ticket_ref) if t]
    if len(targets) > 1:
        raise ValidationError(
            {"target": "A kudos is for one piece of work: an article, a session, a mentorship "
             "or a customer interaction."}
        )  # fmt: skip
    if customer_quote and not ticket_ref:
        raise ValidationError({"ticket_ref": "Name the ticket the customer's words come from."})
    # Someone who cannot open the work cannot thank anyone for it, and must not learn from
    # the refusal that it exists: the same words for hidden and missing.
    if article is not None and not (
        Article.objects.visible_to(giver).published().filter(pk=article.pk).exists()
    ):
        raise ValidationError({"article": "Choose a published article you can open."})
    if session is not None and not Session.objects.visible_to(giver).filter(pk=session.pk).exists():
        raise ValidationError({"session": "Choose a session you can see."})
    if pairing is not None and giver.pk not in (pairing.mentor_id, pairing.mentee_id):
        raise ValidationError({"pairing": "Choose a mentorship you are part of."})


def _check_recipients(giver, recipients: Sequence[User]) -> list[User]:
    people = list({person.pk: person for person in recipients}.values())
    if not people:
        raise ValidationError({"recipients": "Choose at least one colleague."})
    if len(people) > MAX_RECIPIENTS:
        raise ValidationError({"recipients": f"Choose at most {MAX_RECIPIENTS} colleagues."})
    if any(person.pk == giver.pk for person in people):
        raise ValidationError({"recipients": "You cannot give kudos to yourself."})
    inactive = [person.name for person in people if not person.is_active]
    if inactive:
        raise ValidationError(
            {"recipients": f"{', '.join(inactive)} can no longer sign in to Huddle."}
        )
    return people


@transaction.atomic
def kudos_give(
    *,
    giver: User,
    recipients: Sequence[User],
    message: str,
    values: Sequence[Value],
    points: int,
    article: Article | None = None,
    session: Session | None = None,
    pairing: Pairing | None = None,
    ticket_ref: str = "",
    customer_quote: str = "",
    now: datetime | None = None,
) -> Kudos:
    """Give `points` to each of `recipients` for `values`, spending points times recipients of
    the giver's monthly allowance; each recipient is told once. Refused (ValidationError by
    field, nothing saved) for an empty or long message, no or unknown value, oneself or an
    inactive recipient, points out of range or beyond what is left, or work the giver may not
    see."""
    now = now or timezone.now()
    people = _check_recipients(giver, recipients)
    message = _clean_text(message, field="message", limit=MESSAGE_MAX, label="a message")
    chosen = list({value.pk: value for value in values}.values())
    if not chosen:
        raise ValidationError({"values": "Choose at least one value."})
    if any(not value.is_active for value in chosen):
        raise ValidationError({"values": "Choose values that are still offered."})
    if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= POINTS_MAX:
        raise ValidationError({"points": f"Give between 0 and {POINTS_MAX:,} points."})
    ticket_ref = (ticket_ref or "").strip()
    customer_quote = (customer_quote or "").strip()
    # PostgreSQL refuses a NUL character in text: a refusal here, not a database error later.
    for field, text in (("ticket_ref", ticket_ref), ("customer_quote", customer_quote)):
        if "\x00" in text:
            raise ValidationError({field: "This text holds a character that cannot be stored."})
    _check_target(
        giver, article=article, session=session, pairing=pairing,
        ticket_ref=ticket_ref, customer_quote=customer_quote,
    )  # fmt: skip

    wallet_locked(giver)
    allowance = allowance_for(giver, now=now)
    cost = points * len(people)
    if cost > allowance.left:
        raise ValidationError(
            {
                "points": f"That is {cost:,} points ({points:,} for each of {len(people)}) and "
                f"you have {allowance.left:,} left this month (it resets on "
                f"{allowance.resets_on.day} {allowance.resets_on:%B})."
            }
        )

    kudos = Kudos(
        giver=giver, message=message, points=points, article=article, session=session,
        pairing=pairing, ticket_ref=ticket_ref, customer_quote=customer_quote, created_at=now,
    )  # fmt: skip
    kudos.full_clean()
    kudos.save()
    kudos.values.set(chosen)
    KudosRecipient.objects.bulk_create(
        KudosRecipient(kudos=kudos, recipient=person, giver=giver, points=points)
        for person in people
    )
    names = ", ".join(value.name for value in chosen)
    for person in people:
        notify(
            recipient=person,
            kind="recognition.kudos",
            # The message itself stays on the kudos page, behind its visibility rule: a
            # notification quoting it would keep showing it after a report hides the kudos.
            message=f"{giver.name} gave you kudos for {names}"
            + (f" (+{points} points)" if points else "")
            + ".",
            url=kudos.get_absolute_url(),
            dedupe_key=f"recognition.kudos:{kudos.pk}:{person.pk}",
        )
    return kudos


def _require_visible(kudos: Kudos, user: User) -> None:
    if not Kudos.objects.visible_to(user).filter(pk=kudos.pk).exists():
        raise ValidationError("This kudos is not there any more.")


def _require_open(kudos: Kudos, closed: str) -> None:
    # The caller's row may be stale (a report landed since the page was drawn): ask the table.
    if not Kudos.objects.filter(pk=kudos.pk, status=Kudos.Status.VISIBLE).exists():
        raise ValidationError(closed)


@transaction.atomic
def reaction_toggle(*, kudos: Kudos, user: User, kind: str, on: bool | None = None) -> bool:
    """Add `user`'s reaction of `kind` to a visible kudos, or take it back if they had it;
    with `on`, make it on or off whatever it was (what the button pressed showed, so a double
    click or two tabs end as asked instead of undoing each other). Returns whether the
    reaction is now there. Clicks racing leave one reaction at most."""
    if kind not in Reaction.Kind.values:
        raise ValidationError({"kind": "Choose one of the offered reactions."})
    _require_open(kudos, "Reactions are closed while this kudos is under review.")
    mine = Reaction.objects.filter(kudos=kudos, user=user, kind=kind)
    if on is None:
        deleted, _ = mine.delete()
        if deleted:
            return False
    elif not on:
        mine.delete()
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(kudos=kudos, user=user, kind=kind)
    except IntegrityError:
        pass  # a concurrent click added it: it is there, as asked
    return True


@transaction.atomic
def comment_add(*, kudos: Kudos, author: User, body: str) -> KudosComment:
    """A short comment on a visible kudos. The giver and recipients are told, and so is
    everyone @mentioned (each once per comment)."""
    _require_open(kudos, "Comments are closed while this kudos is under review.")
    body = _clean_text(body, field="body", limit=COMMENT_MAX, label="a comment")
    comment = KudosComment(kudos=kudos, author=author, body=body)
    comment.full_clean()
    comment.save()
    told = {kudos.giver_id: kudos.giver}
    told.update(
        {
            row.recipient_id: row.recipient
            for row in kudos.recipient_rows.select_related("recipient")
        }
    )
    for person in mentioned_people([body]).values():
        told.setdefault(person.pk, person)
    for person in told.values():
        if person.pk == author.pk or not person.is_active:
            continue
        notify(
            recipient=person,
            kind="recognition.comment",
            message=f"{author.name} commented on a kudos: “{body}”",
            url=kudos.get_absolute_url(),
            dedupe_key=f"recognition.comment:{comment.pk}:{person.pk}",
        )
    return comment


@transaction.atomic
def kudos_report(*, kudos: Kudos, user: User, reason: str) -> Kudos:
    """Hide a kudos from everyone but its giver and admins until an admin decides; admins are
    told once per kudos."""
    kudos = Kudos.objects.select_for_update().get(pk=kudos.pk)
    _require_visible(kudos, user)
    if not kudos.can_be_reported_by(user):
        raise ValidationError("This kudos cannot be reported (yours, or already reported).")
    reason = _clean_text(reason, field="reason", limit=COMMENT_MAX, label="what is wrong")
    kudos.status = Kudos.Status.REPORTED
    kudos.reported_by, kudos.reported_at, kudos.report_reason = user, timezone.now(), reason
    kudos.decided_by, kudos.decided_at = None, None
    kudos.save(update_fields=[
        "status", "reported_by", "reported_at", "report_reason", "decided_by", "decided_at",
    ])  # fmt: skip
    for admin in User.objects.filter(is_superuser=True, is_active=True):
        notify(
            recipient=admin,
            kind="recognition.report",
            message=f"{user.name} reported a kudos from {kudos.giver.name}: “{reason}”",
            url=reverse("admin:recognition_kudos_change", args=[kudos.pk]),
            dedupe_key=f"recognition.report:{kudos.pk}:{kudos.reported_at.isoformat()}:{admin.pk}",
        )
    return kudos


def _decide(kudos: Kudos, admin: User, status: str) -> Kudos:
    if not admin.is_superuser:
        raise ValidationError("Only admins decide on reported kudos.")
    kudos = Kudos.objects.select_for_update().get(pk=kudos.pk)
    if kudos.status == Kudos.Status.VISIBLE and status == Kudos.Status.VISIBLE:
        return kudos
    now = timezone.now()
    if kudos.reported_at is None:
        # Removed without a report (an admin came across it): the admin stands as its
        # reporter, as the table requires a hidden kudos to say who hid it and when.
        kudos.reported_by, kudos.reported_at = admin, now
    kudos.status, kudos.decided_by, kudos.decided_at = status, admin, now
    kudos.save(update_fields=["status", "decided_by", "decided_at", "reported_by", "reported_at"])
    return kudos


@transaction.atomic
def kudos_restore(*, kudos: Kudos, admin: User) -> Kudos:
    """An admin finds a reported (or removed) kudos fine: it shows and counts again."""
    return _decide(kudos, admin, Kudos.Status.VISIBLE)


@transaction.atomic
def kudos_remove(*, kudos: Kudos, admin: User) -> Kudos:
    """An admin upholds a report: the kudos stays hidden from all but its giver and admins,
    and never counts (the giver's spent points are not refunded)."""
    return _decide(kudos, admin, Kudos.Status.REMOVED)
