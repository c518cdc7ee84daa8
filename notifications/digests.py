"""One digest email per person and period: what they set to "digest only" since the last one.

A person's period ends at their chosen hour on their own clock (`User.zone`), every day or
on their chosen weekday, and covers the day or week before it. Each sweep (a beat task every
DIGEST_SWEEP_SECONDS) sends the periods that have ended and were not sent yet:

- the period is claimed first by inserting its `Digest` row; the unique constraint on person
  and period start lets exactly one sweep win it, however many run at once;
- the items are the period's digest deliveries that the person has not read in the app yet;
  nothing is sent, and nothing claimed, when there are none;
- a send that fails releases its claim, so the next sweep tries again.

The sweep reads in a constant number of queries per chunk of `CHUNK_SIZE` people.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from itertools import islice

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import BigIntegerField, Case, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.models import Delivery, Digest, Notification, NotificationPreference
from notifications.preferences import GROUP_LABELS, GROUPS, kind_group

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# An email lists the latest this many and sends the reader to the notifications page for the rest.
SHOWN_ITEMS = 50
UNSUBSCRIBE_SALT = "notifications.digest.unsubscribe"
# A digest read months later still unsubscribes; an older link asks the person to sign in.
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)
OTHER_GROUP = "Other"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def due_period(preference: NotificationPreference, zone, now: datetime) -> Period:
    """The last period of `preference` that has ended by `now`: it ends at the chosen hour
    on the person's clock (on the chosen weekday for a weekly digest) and lasts a day or a
    week of that clock, so a change to or from summer time is still midnight-to-midnight."""
    local = timezone.localtime(now, zone)
    at = time(preference.digest_hour)
    weekly = preference.digest_frequency == NotificationPreference.Frequency.WEEKLY
    length = 7 if weekly else 1
    end_day = local.date()
    if weekly:
        end_day -= timedelta(days=(local.weekday() - preference.digest_weekday) % 7)
    if datetime.combine(end_day, at) > local.replace(tzinfo=None):
        end_day -= timedelta(days=length)
    return Period(
        start=datetime.combine(end_day - timedelta(days=length), at, tzinfo=zone),
        end=datetime.combine(end_day, at, tzinfo=zone),
    )


def unsubscribe_token(user) -> str:
    """A signed, salted link token naming `user`: it unsubscribes them, and nobody else."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user_id(token: str) -> int:
    """The id a token names; `signing.BadSignature` when it was altered, made for something
    else or is too old."""
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not isinstance(value, int):
        raise signing.BadSignature("Not an unsubscribe token.")
    return value


@transaction.atomic
def digest_unsubscribe(*, user) -> int:
    """Turn `user`'s digest off: every group set to "digest only" becomes "in-app only" (their
    at-once emails stay as they chose). Returns how many groups changed."""
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        return 0
    changed = [name for name, _ in GROUPS if getattr(preference, name) == Delivery.DIGEST]
    for name in changed:
        setattr(preference, name, Delivery.IN_APP)
    if changed:
        preference.full_clean()
        preference.save(update_fields=[*changed, "updated_at"])
    return len(changed)


@dataclass
class DigestReport:
    sent: int = 0
    empty: int = 0
    already_sent: int = 0
    failed: list[int] = field(default_factory=list)  # people whose send failed


def _chunks(rows: Iterable) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        yield chunk


def _wants_digest() -> Q:
    digest = Q()
    for name, _ in GROUPS:
        digest |= Q(**{name: Delivery.DIGEST})
    return digest


def digests_send(*, now: datetime | None = None) -> DigestReport:
    """Send every digest that is due at `now`, once each (see the module's docstring)."""
    now = now or timezone.now()
    report = DigestReport()
    preferences = (
        NotificationPreference.objects.filter(_wants_digest())
        .filter(user__is_active=True, user__email_notifications=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    for chunk in _chunks(preferences.iterator(chunk_size=CHUNK_SIZE)):
        _send_chunk(chunk, now, report)
    logger.info(
        "Digest sweep: %s sent, %s empty, %s already sent, %s failed",
        report.sent,
        report.empty,
        report.already_sent,
        len(report.failed),
    )
    return report


def _send_chunk(chunk: list[NotificationPreference], now: datetime, report: DigestReport) -> None:
    """Six queries, whatever the chunk holds: the periods already claimed, the items, the
    claims, the claims won, and marking what was sent."""
    periods = {pref.user_id: due_period(pref, pref.user.zone, now) for pref in chunk}
    claimed_before = set(
        Digest.objects.filter(
            recipient__in=list(periods), period_start__in={p.start for p in periods.values()}
        ).values_list("recipient_id", "period_start")
    )
    pending = {
        pk: period for pk, period in periods.items() if (pk, period.start) not in claimed_before
    }
    report.already_sent += len(periods) - len(pending)
    if not pending:
        return
    items = defaultdict(list)
    rows = Notification.objects.filter(
        recipient__in=list(pending),
        delivery=Delivery.DIGEST,
        digest__isnull=True,
        read_at__isnull=True,
        created_at__gte=min(p.start for p in pending.values()),
        created_at__lt=max(p.end for p in pending.values()),
    ).order_by("created_at", "pk")
    for item in rows:
        period = pending[item.recipient_id]
        if period.start <= item.created_at < period.end:
            items[item.recipient_id].append(item)
    report.empty += len(pending) - len(items)
    if not items:
        return
    claim = uuid.uuid4()
    Digest.objects.bulk_create(
        [
            Digest(
                recipient_id=pk,
                period_start=pending[pk].start,
                period_end=pending[pk].end,
                claim=claim,
                claimed_at=now,
                item_count=len(found),
            )
            for pk, found in items.items()
        ],
        # A sweep racing this one may have claimed some: theirs to send.
        ignore_conflicts=True,
    )
    won = {d.recipient_id: d for d in Digest.objects.filter(claim=claim)}
    report.already_sent += len(items) - len(won)
    people = {pref.user_id: pref.user for pref in chunk}
    sent = []
    for pk, digest in won.items():
        try:
            _email(people[pk], digest, items[pk])
        except Exception:
            logger.exception("Digest %s for person %s could not be sent", digest.pk, pk)
            Digest.objects.filter(pk=digest.pk).delete()  # released: the next sweep retries
            report.failed.append(pk)
        else:
            sent.append(digest)
    if not sent:
        return
    Digest.objects.filter(pk__in=[d.pk for d in sent]).update(sent_at=timezone.now())
    which = [When(recipient_id=d.recipient_id, then=Value(d.pk)) for d in sent]
    Notification.objects.filter(
        pk__in=[item.pk for d in sent for item in items[d.recipient_id]]
    ).update(digest_id=Case(*which, output_field=BigIntegerField()))
    report.sent += len(sent)


def _email(person, digest: Digest, items: list[Notification]) -> None:
    """One email in HTML and plain text, from the templates in notifications/email/."""
    zone = person.zone
    groups: dict[str, list[dict]] = {}
    order = {name: index for index, (name, _) in enumerate(GROUPS)}
    shown = sorted(items[-SHOWN_ITEMS:], key=lambda n: order.get(kind_group(n.kind) or "", 99))
    for item in shown:
        label = GROUP_LABELS.get(kind_group(item.kind) or "", OTHER_GROUP)
        groups.setdefault(label, []).append(
            {
                "message": item.message,
                "when": date_format(timezone.localtime(item.created_at, zone), "D j M, H:i"),
                "link": f"{settings.SITE_URL}{item.get_absolute_url()}",
            }
        )
    site = settings.SITE_URL
    unsubscribe = f"{site}{reverse('notifications:unsubscribe', args=[unsubscribe_token(person)])}"
    count = len(items)
    since = date_format(timezone.localtime(digest.period_start, zone), "D j M, H:i")
    context = {
        "person": person,
        "count": count,
        "since": since,
        "groups": groups,
        "more": count - len(shown),
        "list_url": f"{site}{reverse('notifications:list')}",
        "preferences_url": f"{site}{reverse('notifications:preferences')}",
        "unsubscribe_url": unsubscribe,
    }
    subject = f"[Huddle] Your digest: {count} update{'s' if count != 1 else ''} since {since}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        to=[person.email],
        # Mail programs show their own "unsubscribe" button from these (RFC 2369, RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    message.send()
