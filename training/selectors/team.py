"""Reads for managers: their people's progress on tracks, per person and per track.

Dates are each learner's own calendar: a track due on the 12th is overdue once the 12th is
over where the learner is (`User.timezone`), the same rule the due-date reminders use
(`training.reminders.due`), so the team page never calls someone overdue before they were
reminded, nor the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from people.models import Team, User
from training.models import Enrolment, StepCompletion, Track
from training.selectors.learning import progress_percent

# The statuses a manager filters by and the chart counts. "Overdue" wins over "in progress"
# and "not started": it is what needs a word from the manager.
STATUS_CHOICES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("overdue", "Overdue"),
    ("completed", "Completed"),
    ("withdrawn", "Withdrawn"),
]
STATUS_LABELS = dict(STATUS_CHOICES)
# What the chart and its table count, in the order they are drawn.
SUMMARY_STATUSES = ("completed", "in_progress", "overdue", "not_started")
ALL_TEAMS = "all"


def local_today(user, now: datetime | None = None) -> date:
    """The date it is for `user` at `now`, in their own time zone."""
    return timezone.localtime(now or timezone.now(), user.zone).date()


def is_started(enrolment: Enrolment) -> bool:
    """Whether the learner did something on the track: a step done or a task handed in for
    review (`has_activity`, annotated by `team_progress`), as the learner's own pages count
    it; a completed track is started whatever its steps became."""
    return enrolment.status == Enrolment.Status.COMPLETED or bool(
        getattr(enrolment, "has_activity", enrolment.steps_done)
    )


def progress_status(enrolment: Enrolment, today: date) -> str:
    """One of `STATUS_CHOICES` for an enrolment annotated by `with_progress()`."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return "completed"
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        return "withdrawn"
    if enrolment.due_on is not None and enrolment.due_on < today:
        return "overdue"
    return "in_progress" if is_started(enrolment) else "not_started"


def enrolment_percent(enrolment: Enrolment) -> int:
    """How far an enrolment annotated by `with_progress()` is, rounded down by the rule every
    training page uses (6 of 7 steps is 85%); a completed track is 100%."""
    if enrolment.status == Enrolment.Status.COMPLETED:
        return 100
    return progress_percent(enrolment.steps_done, enrolment.steps_total)


@dataclass(frozen=True)
class ProgressRow:
    """One person on one track, as the team page and its CSV show it."""

    enrolment_id: int
    person: User
    team: Team | None
    track: Track
    status: str
    progress: int
    started: bool  # something done or handed in (or completed): "Not started" otherwise
    assigned_by: User | None
    due_on: date | None
    completed_on: date | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


@dataclass(frozen=True)
class TrackSummary:
    """How many of the team are at each stage of one track (withdrawn people not counted)."""

    track: Track
    completed: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.overdue + self.not_started

    def counts(self) -> list[int]:
        return [getattr(self, status) for status in SUMMARY_STATUSES]


@dataclass(frozen=True)
class TeamProgress:
    """The team page: the teams the manager may pick from, the one shown (None: all of
    them), the rows that pass the filters, the per-track summary of everyone shown (the
    filters narrow the rows, not the summary), the tracks in use (for the track filter), and
    the active members not on any track."""

    teams: tuple[Team, ...]
    team: Team | None
    track_slug: str
    status: str
    rows: tuple[ProgressRow, ...]
    summary: tuple[TrackSummary, ...]
    tracks: tuple[Track, ...]
    unassigned: tuple[User, ...]

    @property
    def rows_span_teams(self) -> bool:
        """Whether the rows belong to more than one team: only then is a Team column worth
        its room on a phone."""
        return len({r.team.pk for r in self.rows if r.team}) > 1

    @property
    def spans_teams(self) -> bool:
        """Whether the people listed (on a track or not) belong to more than one team: only
        then is a team named beside each person not on any track."""
        teams = {r.team.pk for r in self.rows if r.team} | {u.team_id for u in self.unassigned}
        return len(teams) > 1

    @property
    def chart_data(self) -> dict:
        """What static/js/team-chart.js draws: the numbers of `summary`, one dataset per
        status (the table beside the chart shows the same numbers)."""
        return {
            "labels": [item.track.title for item in self.summary],
            "datasets": [
                {
                    "key": status,
                    "label": STATUS_LABELS[status],
                    "data": [getattr(item, status) for item in self.summary],
                }
                for status in SUMMARY_STATUSES
            ],
        }


def managed_teams(*, manager) -> list[Team]:
    """The teams `manager` manages, by name."""
    return list(Team.objects.managed_by(manager).order_by("name", "pk"))


def team_progress(
    *,
    manager,
    team_slug: str = "",
    track_slug: str = "",
    status: str = "",
    now: datetime | None = None,
) -> TeamProgress:
    """Progress of the people in the teams `manager` manages (or in the one of them named by
    `team_slug`), filtered by track and status. Three queries whatever the team's size: the
    teams, the enrolments with their progress, the members.

    A slug of a team they do not manage is ignored (all their teams are shown): it never
    reveals another team. Without a status, withdrawn enrolments are left out.
    """
    now = now or timezone.now()
    teams = managed_teams(manager=manager)
    chosen = next((t for t in teams if t.slug == team_slug), None)
    shown = [chosen] if chosen else teams
    team_ids = [t.pk for t in shown]
    if not team_ids:
        return TeamProgress(tuple(teams), None, "", "", (), (), (), ())

    enrolments = (
        Enrolment.objects.filter(user__team__in=team_ids, user__is_active=True)
        .with_progress()
        .annotate(has_activity=Exists(StepCompletion.objects.filter(enrolment=OuterRef("pk"))))
        .select_related("user__team", "track", "assigned_by")
        .order_by()
    )
    all_rows = [_row(e, local_today(e.user, now)) for e in enrolments]
    all_rows.sort(key=lambda r: (r.person.name.lower(), r.track.title.lower(), r.enrolment_id))
    current = [r for r in all_rows if r.status != "withdrawn"]

    tracks = {r.track.pk: r.track for r in all_rows}
    track_list = sorted(tracks.values(), key=lambda t: (t.title.lower(), t.pk))
    summary = [
        _summary(track, [r for r in current if r.track.pk == track.pk]) for track in track_list
    ]
    summary = [item for item in summary if item.total]

    rows = all_rows if status == "withdrawn" else current
    if status in STATUS_LABELS:
        rows = [r for r in rows if r.status == status]
    else:
        status = ""
    if track_slug and any(t.slug == track_slug for t in track_list):
        rows = [r for r in rows if r.track.slug == track_slug]
    else:
        track_slug = ""

    on_a_track = {r.person.pk for r in current}
    members = User.objects.active().filter(team__in=team_ids).select_related("team")
    unassigned = [m for m in members if m.pk not in on_a_track]
    return TeamProgress(
        teams=tuple(teams),
        team=chosen,
        track_slug=track_slug,
        status=status,
        rows=tuple(rows),
        summary=tuple(summary),
        tracks=tuple(track_list),
        unassigned=tuple(unassigned),
    )


def _row(enrolment: Enrolment, today: date) -> ProgressRow:
    completed_on = None
    if enrolment.status == Enrolment.Status.COMPLETED and enrolment.completed_at:
        completed_on = local_today(enrolment.user, enrolment.completed_at)
    return ProgressRow(
        enrolment_id=enrolment.pk,
        person=enrolment.user,
        team=enrolment.user.team,
        track=enrolment.track,
        status=progress_status(enrolment, today),
        progress=enrolment_percent(enrolment),
        started=is_started(enrolment),
        assigned_by=enrolment.assigned_by,
        due_on=enrolment.due_on,
        completed_on=completed_on,
    )


def _summary(track: Track, rows: list[ProgressRow]) -> TrackSummary:
    counts = dict.fromkeys(SUMMARY_STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return TrackSummary(track=track, **counts)
