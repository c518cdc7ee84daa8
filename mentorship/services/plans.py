"""A pairing's plan: goals, milestones, meetings and their action items.

Only the mentor and the mentee write in it, and only while the pairing is active. Every write
locks the pairing's row first (`_lock_running`), so nothing lands in a plan after a
concurrent request ended or completed the pairing.

A goal linked to a training track is met when the mentee completes that track. Training never
calls up into mentorship: `goals_sync_from_training`, run by celery beat, reads training's
enrolments and meets the goals (and copies the mentee's track progress into the other linked
goals, so the averages managers see follow it).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.models import ActionItem, Goal, Meeting, Milestone, Pairing
from notifications.services import notify
from people.models import User
from training.calendar import when_for
from training.models import Enrolment, Track
from training.selectors.team import enrolment_percent, local_today

# What each form may send; anything else in `data` is ignored.
GOAL_FIELDS = ("title", "description", "progress", "status", "due_on", "track")
MEETING_FIELDS = ("starts_at", "duration_minutes", "agenda", "notes")
ACTION_FIELDS = ("title", "owner", "due_on")
# A meeting or a due date further than this from today is a typo in the year, not a plan
# (nor a record of a meeting held).
WINDOW = timedelta(days=365)


def _apply(row, data: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(row, name, data[name])


def _lock_running(pairing_id: int, user: User) -> Pairing:
    """The pairing, locked until the transaction ends and read afresh; refused unless `user`
    is one of the pair and the pairing is active (a completed or ended plan is read-only)."""
    try:
        pairing = (
            Pairing.objects.select_for_update(of=("self",))
            .select_related("program", "mentor", "mentee")
            .get(pk=pairing_id)
        )
    except Pairing.DoesNotExist as gone:
        raise ValidationError("This pairing no longer exists.") from gone
    if not pairing.is_member(user):
        raise PermissionDenied("Only the mentor and the mentee can change their plan.")
    if not pairing.is_active:
        raise ValidationError(read_only_reason(pairing))
    return pairing


def read_only_reason(pairing: Pairing) -> str:
    """Why the plan of a pairing that is not active does not change."""
    if pairing.status == Pairing.Status.COMPLETED:
        return "This pairing is completed: its plan is read-only."
    if pairing.status == Pairing.Status.ENDED:
        return "This pairing ended early: its plan is read-only."
    if pairing.is_proposed:
        return "This pairing has not started: its plan opens when the mentor accepts."
    return "This pairing did not start: it has no plan."


def _other(pairing: Pairing, user: User) -> User:
    return pairing.mentee if user.pk == pairing.mentor_id else pairing.mentor


def _check_due(due_on: date | None, today: date, *, years: int = 1) -> None:
    window = years * WINDOW
    if due_on is not None and not today - window <= due_on <= today + window:
        span = "a year" if years == 1 else f"{years} years"
        raise ValidationError({"due_on": f"Choose a date within {span} of today: check the year."})


# --- Goals ---------------------------------------------------------------------------------


def _track_state(mentee: User, track_id: int) -> tuple[int, datetime | None]:
    """The mentee's progress on a track (percent, by training's rule) and when they
    completed it (None while they have not)."""
    enrolment = Enrolment.objects.filter(user=mentee, track_id=track_id).with_progress().first()
    if enrolment is None:
        return 0, None
    completed = enrolment.status == Enrolment.Status.COMPLETED
    return enrolment_percent(enrolment), enrolment.completed_at if completed else None


def _settle_goal(
    goal: Goal, *, pairing: Pairing, was_met: bool, old_track_id: int | None, now: datetime
) -> None:
    """Apply the goal's rules before it is saved: a due date within the two years a pairing
    may run; a newly linked track must be one the mentee may take; a linked goal's progress is
    the mentee's on the track, and a track they already completed meets it; met is 100% with
    the day it was met."""
    _check_due(goal.due_on, local_today(pairing.mentee, now), years=2)
    if goal.track_id and goal.track_id != old_track_id:
        takeable = Track.objects.published().visible_to(pairing.mentee)
        if not takeable.filter(pk=goal.track_id).exists():
            raise ValidationError(
                {"track": f"Choose a published track {pairing.mentee.name} may take."}
            )
    if goal.track_id and goal.status != Goal.Status.DROPPED:
        percent, completed_at = _track_state(pairing.mentee, goal.track_id)
        if completed_at is not None:
            goal.status, goal.met_at, was_met = Goal.Status.MET, completed_at, True
        elif goal.status == Goal.Status.IN_PROGRESS:
            goal.progress = percent
    if goal.status == Goal.Status.MET:
        goal.progress = 100
        if not (was_met and goal.met_at):
            goal.met_at = now
    else:
        goal.met_at = None


@transaction.atomic
def goal_add(*, pairing: Pairing, user: User, data: dict, now: datetime | None = None) -> Goal:
    """One of the pair adds a goal (`GOAL_FIELDS`). Linked to a track, its progress follows
    the mentee's on the track, and completing the track meets it."""
    now = now or timezone.now()
    pairing = _lock_running(pairing.pk, user)
    goal = Goal(pairing=pairing, created_at=now)
    _apply(goal, data, GOAL_FIELDS)
    _settle_goal(goal, pairing=pairing, was_met=False, old_track_id=None, now=now)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, user: User, data: dict, now: datetime | None = None) -> Goal:
    """One of the pair changes a goal: its words, progress, status, due date or track.
    Marking it met sets 100% and the day; reopening it clears the day."""
    now = now or timezone.now()
    pairing = _lock_running(goal.pairing_id, user)
    goal = Goal.objects.get(pk=goal.pk)
    was_met, old_track_id = goal.status == Goal.Status.MET, goal.track_id
    _apply(goal, data, GOAL_FIELDS)
    _settle_goal(goal, pairing=pairing, was_met=was_met, old_track_id=old_track_id, now=now)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goals_sync_from_training(*, now: datetime | None = None) -> int:
    """Meet every in-progress goal of an active pairing whose mentee completed the linked
    track (met on the day they completed it), telling both of the pair once; copy the
    mentee's track progress into the other linked goals. Returns how many goals were met.
    Safe to run twice, and beside a person editing the goal. `now` is taken like every
    sweep's but not needed: a goal is met on the day its track was completed."""
    linked = list(
        Goal.objects.filter(
            status=Goal.Status.IN_PROGRESS, track__isnull=False, pairing__status="active"
        ).values_list("pk", "pairing__mentee_id", "track_id", "progress")
    )
    if not linked:
        return 0
    enrolments = {
        (e.user_id, e.track_id): e
        for e in Enrolment.objects.filter(
            user__in={mentee for _, mentee, _, _ in linked},
            track__in={track for _, _, track, _ in linked},
        ).with_progress()
    }
    completed: dict[int, datetime] = {}
    by_percent: dict[int, list[int]] = defaultdict(list)
    for pk, mentee_id, track_id, stored in linked:
        enrolment = enrolments.get((mentee_id, track_id))
        if enrolment is not None and enrolment.status == Enrolment.Status.COMPLETED:
            completed[pk] = enrolment.completed_at
            continue
        percent = enrolment_percent(enrolment) if enrolment is not None else 0
        if percent != stored:
            by_percent[percent].append(pk)
    for percent, pks in by_percent.items():
        # Only goals still in progress: one marked met meanwhile keeps its 100%.
        Goal.objects.filter(pk__in=pks, status=Goal.Status.IN_PROGRESS).update(progress=percent)
    if not completed:
        return 0
    due = (
        Goal.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(pk__in=completed, status=Goal.Status.IN_PROGRESS, pairing__status="active")
        .select_related("pairing__mentor", "pairing__mentee", "track")
    )
    met = 0
    for goal in due:
        goal.status = Goal.Status.MET
        goal.progress = 100
        goal.met_at = completed[goal.pk]
        goal.save(update_fields=["status", "progress", "met_at"])
        _tell_goal_met(goal)
        met += 1
    return met


def _tell_goal_met(goal: Goal) -> None:
    pairing = goal.pairing
    message = f"Goal met: “{goal.title}”. {pairing.mentee.name} completed the track “{goal.track}”."
    for person in (pairing.mentor, pairing.mentee):
        if person.is_active:
            notify(
                recipient=person,
                kind="mentorship.goal_met",
                message=message,
                url=f"{pairing.get_absolute_url()}#goal-{goal.pk}",
                dedupe_key=f"mentorship.goal_met:{goal.pk}:{person.pk}",
            )


# --- Milestones ----------------------------------------------------------------------------


@transaction.atomic
def milestone_mark(
    *, milestone: Milestone, user: User, done: bool, now: datetime | None = None
) -> Milestone:
    """One of the pair marks a milestone done (dated now) or not done. Marking it as it
    already is changes nothing (a double click keeps the first date)."""
    _lock_running(milestone.pairing_id, user)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if done and milestone.done_at is None:
        milestone.done_at = now or timezone.now()
    elif not done:
        milestone.done_at = None
    milestone.save(update_fields=["done_at"])
    return milestone


# --- Meetings ------------------------------------------------------------------------------


def _check_start(meeting: Meeting, now: datetime) -> None:
    if meeting.starts_at is None:
        raise ValidationError({"starts_at": "Say when the meeting starts."})
    if meeting.starts_at < now - WINDOW:
        raise ValidationError(
            {"starts_at": "That is more than a year ago: check the year, or log recent meetings."}
        )
    if meeting.starts_at > now + WINDOW:
        raise ValidationError({"starts_at": "Plan meetings at most a year ahead: check the year."})


def _tell_planned(meeting: Meeting, pairing: Pairing, user: User, *, moved: bool) -> None:
    """Tell the other of the pair about a meeting to come (once per change)."""
    other = _other(pairing, user)
    if not other.is_active:
        return
    verb = "moved your mentoring meeting to" if moved else "planned a mentoring meeting on"
    notify(
        recipient=other,
        kind="mentorship.meeting_planned",
        message=f"{user.name} {verb} {when_for(meeting.starts_at, other)}.",
        url=f"{pairing.get_absolute_url()}#meeting-{meeting.pk}",
        # One per change: moving it back to an earlier time is news again.
        dedupe_key=f"mentorship.meeting_planned:{meeting.pk}:{meeting.updated_at.isoformat()}",
    )


@transaction.atomic
def meeting_add(
    *, pairing: Pairing, user: User, data: dict, now: datetime | None = None
) -> Meeting:
    """One of the pair plans a meeting, or logs one held (`MEETING_FIELDS`): within a year of
    now either way, 5 to 480 minutes long. The other is told about one to come."""
    now = now or timezone.now()
    pairing = _lock_running(pairing.pk, user)
    meeting = Meeting(pairing=pairing, created_by=user, created_at=now, updated_at=now)
    _apply(meeting, data, MEETING_FIELDS)
    _check_start(meeting, now)
    meeting.full_clean()
    meeting.save()
    if meeting.starts_at > now:
        _tell_planned(meeting, pairing, user, moved=False)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, user: User, data: dict, now: datetime | None = None
) -> Meeting:
    """One of the pair changes a meeting: its time, length, agenda or shared notes. Notes on
    a meeting held long ago stay editable; only moving it is held to the year's window."""
    now = now or timezone.now()
    pairing = _lock_running(meeting.pairing_id, user)
    meeting = Meeting.objects.get(pk=meeting.pk)
    was = meeting.starts_at
    _apply(meeting, data, MEETING_FIELDS)
    moved = meeting.starts_at != was
    if moved:
        _check_start(meeting, now)
    meeting.updated_at = now
    meeting.full_clean()
    meeting.save()
    if moved and meeting.starts_at > now:
        _tell_planned(meeting, pairing, user, moved=True)
    return meeting


# --- Action items --------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *, meeting: Meeting, user: User, data: dict, now: datetime | None = None
) -> ActionItem:
    """One of the pair adds an action item to a meeting (`ACTION_FIELDS`), owned by the
    mentor or the mentee; the owner is told when someone else gave it to them."""
    pairing = _lock_running(meeting.pairing_id, user)
    item = ActionItem(meeting=meeting)
    _apply(item, data, ACTION_FIELDS)
    if item.owner_id is not None and item.owner_id not in (pairing.mentor_id, pairing.mentee_id):
        raise ValidationError({"owner": "An action item belongs to the mentor or the mentee."})
    _check_due(item.due_on, local_today(user, now))
    item.full_clean()
    item.save()
    owner = pairing.mentor if item.owner_id == pairing.mentor_id else pairing.mentee
    if owner.pk != user.pk and owner.is_active:
        notify(
            recipient=owner,
            kind="mentorship.action_given",
            message=f"{user.name} gave you an action item: “{item.title}”.",
            url=f"{pairing.get_absolute_url()}#action-{item.pk}",
            dedupe_key=f"mentorship.action_given:{item.pk}",
        )
    return item


@transaction.atomic
def action_item_mark(
    *, item: ActionItem, user: User, done: bool, now: datetime | None = None
) -> ActionItem:
    """Either of the pair marks an action item done (dated now) or open again. Marking it
    as it already is changes nothing."""
    _lock_running(item.meeting.pairing_id, user)
    item = ActionItem.objects.get(pk=item.pk)
    if done and not item.done:
        item.done, item.done_at = True, now or timezone.now()
    elif not done:
        item.done, item.done_at = False, None
    item.save(update_fields=["done", "done_at"])
    return item
