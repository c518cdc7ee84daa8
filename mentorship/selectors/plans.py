"""What the pair sees of their plan: the next meeting, goals (a linked goal with the mentee's
live progress on its track), milestones (done, overdue), meetings newest first with their
action items, and how many action items are open. Five queries at most, however long the
plan.

The plan is the pair's alone: anyone else gets an empty one, so a page that forgets to ask
`Pairing.is_member` still shows nobody the goals or the notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from mentorship.models import ActionItem, Goal, Meeting, Milestone, Pairing
from training.models import Enrolment
from training.selectors.team import enrolment_percent, local_today

# The order goals are listed in: what is being worked on first.
_GOAL_ORDER = {Goal.Status.IN_PROGRESS: 0, Goal.Status.MET: 1, Goal.Status.DROPPED: 2}


class TrackState:
    """Where the mentee is on a goal's linked track."""

    NOT_ENROLLED = "not_enrolled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    # The progress shown: the mentee's on the linked track while the goal is in progress.
    percent: int
    # A `TrackState` for a linked goal, "" for one without a track.
    track_state: str
    overdue: bool

    @property
    def is_linked(self) -> bool:
        return self.goal.track_id is not None


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    overdue: bool

    @property
    def done(self) -> bool:
        return self.milestone.done_at is not None


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    actions: tuple[ActionRow, ...]
    upcoming: bool

    @property
    def starts_at(self) -> datetime:
        return self.meeting.starts_at


@dataclass(frozen=True)
class PairingPlan:
    """A pairing's plan as its mentor and mentee see it."""

    goals: tuple[GoalRow, ...] = ()
    milestones: tuple[MilestoneRow, ...] = ()
    # Newest first: meetings planned ahead at the top, then the ones held.
    meetings: tuple[MeetingRow, ...] = ()
    # The soonest meeting to come (also among `meetings`).
    next_meeting: MeetingRow | None = None
    open_actions: int = 0
    overdue_actions: int = 0
    # The viewer may write in it: one of the pair, and the pairing is active.
    editable: bool = False
    today: date | None = None


def milestone_row(milestone: Milestone, today: date) -> MilestoneRow:
    return MilestoneRow(milestone, overdue=milestone.done_at is None and milestone.due_on < today)


def action_row(item: ActionItem, today: date) -> ActionRow:
    overdue = not item.done and item.due_on is not None and item.due_on < today
    return ActionRow(item, overdue=overdue)


def _goal_row(goal: Goal, enrolments: dict[int, Enrolment], today: date) -> GoalRow:
    percent, state = goal.progress, ""
    if goal.track_id is not None:
        enrolment = enrolments.get(goal.track_id)
        if enrolment is None:
            state = TrackState.NOT_ENROLLED
        else:
            state = {
                Enrolment.Status.COMPLETED: TrackState.COMPLETED,
                Enrolment.Status.WITHDRAWN: TrackState.WITHDRAWN,
            }.get(enrolment.status, TrackState.IN_PROGRESS)
        if goal.status == Goal.Status.IN_PROGRESS:
            # Read live: the stored figure waits for the next sync.
            percent = enrolment_percent(enrolment) if enrolment is not None else 0
    overdue = (
        goal.status == Goal.Status.IN_PROGRESS and goal.due_on is not None and goal.due_on < today
    )
    return GoalRow(goal, percent=percent, track_state=state, overdue=overdue)


def pairing_plan(*, pairing: Pairing, viewer, now: datetime | None = None) -> PairingPlan:
    """The plan of `pairing` for `viewer`: everything for the mentor and the mentee, an empty
    plan for anyone else. Reads `pairing.mentor` and `pairing.mentee` (select them)."""
    if not pairing.is_member(viewer):
        return PairingPlan()
    now = now or timezone.now()
    today = local_today(viewer, now)
    goals = sorted(
        Goal.objects.filter(pairing=pairing).select_related("track"),
        key=lambda g: (_GOAL_ORDER.get(g.status, 3), g.created_at, g.pk),
    )
    track_ids = {g.track_id for g in goals if g.track_id is not None}
    enrolments = {}
    if track_ids:
        enrolments = {
            e.track_id: e
            for e in Enrolment.objects.filter(
                user_id=pairing.mentee_id, track_id__in=track_ids
            ).with_progress()
        }
    milestones = tuple(milestone_row(m, today) for m in Milestone.objects.filter(pairing=pairing))
    meetings = Meeting.objects.filter(pairing=pairing).prefetch_related(
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner"))
    )
    rows = tuple(
        MeetingRow(
            m,
            actions=tuple(action_row(a, today) for a in m.action_items.all()),
            upcoming=m.starts_at > now,
        )
        for m in meetings
    )
    upcoming = [r for r in rows if r.upcoming]
    actions = [a for r in rows for a in r.actions]
    return PairingPlan(
        goals=tuple(_goal_row(g, enrolments, today) for g in goals),
        milestones=milestones,
        meetings=rows,
        next_meeting=min(upcoming, key=lambda r: (r.starts_at, r.meeting.pk), default=None),
        open_actions=sum(1 for a in actions if not a.item.done),
        overdue_actions=sum(1 for a in actions if a.overdue),
        editable=pairing.is_active,
        today=today,
    )


def open_action_counts(*, pairing: Pairing, viewer, now: datetime | None = None) -> tuple[int, int]:
    """(open, overdue) action items of the pair's meetings: what a toggle updates on the
    page without reading the whole plan."""
    if not pairing.is_member(viewer):
        return 0, 0
    today = local_today(viewer, now)
    counts = ActionItem.objects.filter(meeting__pairing=pairing, done=False).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    return counts["open"], counts["overdue"]
