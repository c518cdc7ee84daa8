"""What a pairing's page shows, and to whom.

The mentor and the mentee read the plan (`selectors.plans.pairing_plan`); everyone else who
may see the pairing (the mentee's manager, programme managers, admins) reads its health in
numbers: meetings held, goals met, progress, milestones, at risk. Never the words of the
plan (notes, agendas, goal titles, action items), which this module does not read at all.
Feedback is read by programme managers and admins alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorship.models import Milestone, Pairing, PairingFeedback

# Requests that ended without a pairing: the mentee is shown their next suggestions.
_CAME_TO_NOTHING = (Pairing.Status.DECLINED, Pairing.Status.EXPIRED, Pairing.Status.WITHDRAWN)


@dataclass(frozen=True)
class PairingRights:
    """What `viewer` may do on the pairing's page: the services' own rules, asked once."""

    member: bool  # the mentor or the mentee: the plan is theirs
    oversee: bool  # anyone else who sees the pairing: health in numbers only
    answer: bool  # accept or decline (the mentor, while the request is open)
    withdraw: bool  # take the open request back (the mentee, or whoever may pair them)
    steer: bool  # extend, complete, end early (the pair and their managers, while active)
    read_request: bool  # the request's message and the decline reason
    read_feedback: bool  # programme managers and admins
    give_feedback: bool  # a member of a completed pairing who has not rated it yet
    find_another: bool  # the mentee or whoever may pair them, once a request came to nothing

    @classmethod
    def of(cls, pairing: Pairing, viewer, *, now: datetime, feedback_given: bool) -> PairingRights:
        member = pairing.is_member(viewer)
        managed = pairing.is_managed_by(viewer)
        open_request = is_open_request(pairing, now)
        requester = getattr(pairing, "request", None)
        unanswered = pairing.status in _CAME_TO_NOTHING or (
            pairing.is_proposed and not open_request
        )
        return cls(
            member=member,
            oversee=not member,
            answer=open_request and viewer.pk == pairing.mentor_id,
            withdraw=open_request and (viewer.pk == pairing.mentee_id or managed),
            steer=pairing.is_active and (member or managed),
            read_request=member
            or (requester is not None and requester.requested_by_id == viewer.pk),
            read_feedback=pairing.program.is_managed_by(viewer),
            give_feedback=member
            and pairing.status == Pairing.Status.COMPLETED
            and not feedback_given,
            find_another=unanswered and (viewer.pk == pairing.mentee_id or managed),
        )


@dataclass(frozen=True)
class PairingHealth:
    """How a pairing is going, in numbers: what its overseers see instead of the plan."""

    last_meeting_at: datetime | None
    next_meeting_at: datetime | None
    meetings_held: int
    goal_count: int
    goals_met: int
    goal_progress: int | None  # average percent of the goals not dropped
    at_risk: bool
    milestones_total: int
    milestones_done: int
    milestones_overdue: int


@dataclass(frozen=True)
class PairingPage:
    rights: PairingRights
    status_key: str  # the status as it stands now: an overdue proposal reads "expired"
    status_label: str
    deadline: datetime | None  # when an open request expires
    health: PairingHealth | None
    # Active with no meeting in two cadences: the header says so to everyone on the page.
    at_risk: bool
    feedback_given: bool
    feedback: tuple[PairingFeedback, ...]


def is_open_request(pairing: Pairing, now: datetime) -> bool:
    """A proposal whose answer window is still open (an overdue one is expired already,
    whether or not the sweep has marked it)."""
    request = getattr(pairing, "request", None)
    return pairing.is_proposed and request is not None and request.expires_at > now


def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("pairing").annotate(n=Count("pk")).values("n")), 0
    )


def pairing_health(*, pairing: Pairing, now: datetime, today: date) -> PairingHealth:
    """The health of `pairing` at `now` (`today` in the viewer's calendar), in one query."""
    milestones = Milestone.objects.filter(pairing=OuterRef("pk"))
    row = (
        Pairing.objects.with_health(now)
        .select_related("program")
        .annotate(
            milestones_total=_count(milestones),
            milestones_done=_count(milestones.filter(done_at__isnull=False)),
            milestones_overdue=_count(milestones.filter(done_at__isnull=True, due_on__lt=today)),
        )
        .get(pk=pairing.pk)
    )
    progress = row.goal_progress
    return PairingHealth(
        last_meeting_at=row.last_meeting_at,
        next_meeting_at=row.next_meeting_at,
        meetings_held=row.meetings_held,
        goal_count=row.goal_count,
        goals_met=row.goals_met,
        goal_progress=None if progress is None else round(progress),
        at_risk=row.is_at_risk(now),
        milestones_total=row.milestones_total,
        milestones_done=row.milestones_done,
        milestones_overdue=row.milestones_overdue,
    )


def pairing_page(*, pairing: Pairing, viewer, now: datetime | None = None) -> PairingPage:
    """What the page of `pairing` shows `viewer` (who may see it: `Pairing.objects.
    visible_to`), apart from the plan. A constant number of queries."""
    now = now or timezone.now()
    member = pairing.is_member(viewer)
    completed = pairing.status == Pairing.Status.COMPLETED
    feedback_given = (
        member
        and completed
        and PairingFeedback.objects.filter(pairing=pairing, author=viewer).exists()
    )
    rights = PairingRights.of(pairing, viewer, now=now, feedback_given=feedback_given)
    feedback = ()
    if rights.read_feedback and completed:
        feedback = tuple(pairing.feedback.select_related("author").order_by("created_at", "pk"))
    status = Pairing.Status(pairing.status)
    if pairing.is_proposed and not is_open_request(pairing, now):
        status = Pairing.Status.EXPIRED
    health, at_risk = None, False
    if rights.oversee and pairing.started_on:
        today = timezone.localtime(now, viewer.zone).date()
        health = pairing_health(pairing=pairing, now=now, today=today)
        at_risk = health.at_risk
    elif pairing.is_active:
        # The pair's own page reads no health figures, only whether the pairing is at risk.
        at_risk = (
            Pairing.objects.with_health(now).select_related("program").get(pk=pairing.pk)
        ).is_at_risk(now)
    return PairingPage(
        rights=rights,
        status_key=status.value,
        status_label=status.label,
        deadline=pairing.request.expires_at if is_open_request(pairing, now) else None,
        health=health,
        at_risk=at_risk,
        feedback_given=feedback_given,
        feedback=feedback,
    )
