"""Nudges from a pairing's plan: a milestone coming due this week (both members), and an
action item past its due date (its owner).

Dates are each recipient's own (`local_today`). Each is sent once per item and due date, so
moving the date asks again; nothing is sent for items already done, or for pairings that are
no longer active.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils.formats import date_format

from mentorship.models import ActionItem, Milestone, Pairing
from mentorship.reminders.base import CHUNK_SIZE, dates_in_use, in_days, members
from notifications.engine import Reminder, reminder_source
from training.selectors.team import local_today

# "Due this week": from today to a week ahead. The nudge arrives the first time a sweep
# finds it that close (a week before, or as soon as a nearer date is set).
MILESTONE_NOTICE_DAYS = 7


@reminder_source("mentorship.milestone_due")
def milestone_due(now: datetime) -> Iterator[Reminder]:
    """Once per milestone, due date and member: "Milestone “First review” of your mentoring
    with Sam Lee is due in 3 days (Fri 7 Mar)"."""
    earliest, latest = dates_in_use(now)
    milestones = (
        Milestone.objects.filter(
            done_at__isnull=True,
            pairing__status=Pairing.Status.ACTIVE,
            due_on__gte=earliest,
            due_on__lte=latest + timedelta(days=MILESTONE_NOTICE_DAYS),
        )
        .select_related("pairing__mentor", "pairing__mentee")
        .order_by("pk")
    )
    for milestone in milestones.iterator(chunk_size=CHUNK_SIZE):
        for person, other in members(milestone.pairing):
            days = (milestone.due_on - local_today(person, now)).days
            if not 0 <= days <= MILESTONE_NOTICE_DAYS:
                continue
            yield Reminder(
                recipient=person,
                kind="mentorship.milestone_due",
                message=f"Milestone “{milestone.title}” of your mentoring with {other.name} is "
                f"due {in_days(days)} ({date_format(milestone.due_on, 'D j M')}).",
                url=milestone.pairing.get_absolute_url(),
                dedupe_key=f"mentorship.milestone-due:{milestone.pk}:"
                f"{milestone.due_on.isoformat()}:{person.pk}",
            )


@reminder_source("mentorship.action_overdue")
def action_overdue(now: datetime) -> Iterator[Reminder]:
    """Once per action item and due date: its owner hears, the day after the due date by
    their calendar, that it is still open."""
    _, latest = dates_in_use(now)
    items = (
        ActionItem.objects.filter(
            done=False,
            due_on__lt=latest,
            owner__is_active=True,
            meeting__pairing__status=Pairing.Status.ACTIVE,
        )
        .select_related("owner", "meeting__pairing__mentor", "meeting__pairing__mentee")
        .defer("meeting__agenda", "meeting__notes")  # the pair's words, not needed here
        .order_by("pk")
    )
    for item in items.iterator(chunk_size=CHUNK_SIZE):
        owner, pairing = item.owner, item.meeting.pairing
        if local_today(owner, now) <= item.due_on:
            continue
        if owner.pk == pairing.mentor_id:
            where = f"your mentoring with {pairing.mentee.name}"
        elif owner.pk == pairing.mentee_id:
            where = f"your mentoring with {pairing.mentor.name}"
        else:
            where = f"the mentoring of {pairing.mentee.name} by {pairing.mentor.name}"
        yield Reminder(
            recipient=owner,
            kind="mentorship.action_overdue",
            message=f"Your action item “{item.title}” from {where} was due on "
            f"{date_format(item.due_on, 'D j M')}. Do it and tick it off, or agree a new date.",
            url=pairing.get_absolute_url(),
            dedupe_key=f"mentorship.action-overdue:{item.pk}:{item.due_on.isoformat()}",
        )
