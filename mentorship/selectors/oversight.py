"""Reads for the people who oversee mentoring: a manager's view of their teams' pairings (here)
and a programme manager's report on a programme (`report`, built on the same rows).

Both show how pairs are doing (cadence, meetings held, goal progress, status) and never what
they said: neither reads a note, an agenda, a goal's words or an action item, so no page built
on them can show one by mistake. The numbers come from `PairingQuerySet.with_health`, the
same health every mentorship page shows, in one query whatever the number of pairings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from mentorship.models import (
    MentoringProfile,
    Pairing,
    Participation,
    Program,
)
from people.models import Team, User

# What the team page's chart and its table count, in the order they are drawn: a pairing's
# state, one each. "All goals met" cuts across them, so the page shows it as a figure apart.
STATES = [
    ("at_risk", "At risk"),
    ("on_track", "Active, on track"),
    ("waiting", "Waiting for the mentor"),
    ("completed", "Completed"),
    ("ended", "Ended early"),
]
STATE_LABELS = dict(STATES)
# The order rows are listed in: what needs a word from the manager first.
_ROW_ORDER = {"at_risk": 0, "on_track": 1, "waiting": 2, "completed": 3, "ended": 4}
# The statuses the team page lists (declined, expired and withdrawn proposals are history:
# the person shows among those with no mentor instead).
_SHOWN = (
    Pairing.Status.PROPOSED,
    Pairing.Status.ACTIVE,
    Pairing.Status.COMPLETED,
    Pairing.Status.ENDED,
)


@dataclass(frozen=True)
class PairingHealth:
    """One pairing as its overseers see it: who, where, its status and dates, and how it is
    going, from a pairing annotated by `with_health()`. Nothing the pair wrote."""

    pairing: Pairing
    at_risk: bool
    last_meeting_at: datetime | None
    next_meeting_at: datetime | None
    meetings_held: int
    goal_count: int
    goals_met: int
    goal_progress: int | None  # average percent of the goals not dropped; None without goals

    @classmethod
    def of(cls, pairing: Pairing, now: datetime) -> PairingHealth:
        progress = pairing.goal_progress
        return cls(
            pairing=pairing,
            at_risk=pairing.is_at_risk(now),
            last_meeting_at=pairing.last_meeting_at,
            next_meeting_at=pairing.next_meeting_at,
            meetings_held=pairing.meetings_held,
            goal_count=pairing.goal_count,
            goals_met=pairing.goals_met,
            goal_progress=None if progress is None else int(progress),
        )

    @property
    def state(self) -> str:
        """One of the `STATES`, or the status of a proposal that ended unanswered
        (declined, expired, withdrawn)."""
        status = self.pairing.status
        if status == Pairing.Status.ACTIVE:
            return "at_risk" if self.at_risk else "on_track"
        if status == Pairing.Status.PROPOSED:
            return "waiting"
        return status

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state) or self.pairing.get_status_display()

    @property
    def all_goals_met(self) -> bool:
        return self.goal_count > 0 and self.goals_met == self.goal_count

    @property
    def answer_due(self) -> datetime | None:
        """When a waiting proposal expires unanswered."""
        request = getattr(self.pairing, "request", None)
        return request.expires_at if request else None

    def finished_on(self) -> date | None:
        """The day a completed or ended pairing finished (the viewer's calendar)."""
        when = self.pairing.completed_at or self.pairing.ended_at
        return timezone.localdate(when) if when else None


def _sort_key(row: PairingHealth, by: str) -> tuple:
    person = getattr(row.pairing, by)
    return (
        _ROW_ORDER.get(row.state, 9),
        person.name.lower(),
        row.pairing.program.name,
        row.pairing.pk,
    )


@dataclass(frozen=True)
class StateCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class MentorLoad:
    """A team member's mentoring load across programmes: how many of their slots are taken
    (active pairings and proposals still open), of how many. Counts only, as anyone's
    profile shows their mentoring roles."""

    person: User
    open_to_mentor: bool
    load: int
    capacity: int

    @property
    def is_full(self) -> bool:
        return self.load >= self.capacity


@dataclass(frozen=True)
class Unmatched:
    """A team member with no mentor in any programme, the open programmes they joined, and
    every open programme, those they joined first: "Find a mentor" leads to the first."""

    person: User
    joined: tuple[Program, ...]
    programs: tuple[Program, ...]


@dataclass(frozen=True)
class TeamMentoring:
    """The team page: the teams the manager may pick from and the one shown (None: all of
    them); members with no mentor; the pairings at risk (each once, on whichever side);
    the other pairings of their members as mentees and, apart, as mentors; proposals waiting
    for a mentor's answer; the count per state of every pairing listed (each once) and how
    many met all their goals; and the load of members who mentor or are open to it."""

    teams: tuple[Team, ...]
    team: Team | None
    at_risk: tuple[PairingHealth, ...] = ()
    as_mentee: tuple[PairingHealth, ...] = ()
    as_mentor: tuple[PairingHealth, ...] = ()
    waiting: tuple[PairingHealth, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()
    summary: tuple[StateCount, ...] = ()
    goals_met: int = 0  # pairings listed, in any state, whose every goal is met
    mentor_loads: tuple[MentorLoad, ...] = ()

    @property
    def spans_teams(self) -> bool:
        """Whether the page covers more than one team: only then is each person's team named."""
        return self.team is None and len(self.teams) > 1

    @property
    def has_pairings(self) -> bool:
        return bool(self.at_risk or self.as_mentee or self.as_mentor or self.waiting)

    @property
    def chart_data(self) -> dict:
        """What static/js/mentoring-chart.js draws; the table beside it has the same numbers."""
        return {
            "keys": [s.key for s in self.summary],
            "labels": [s.label for s in self.summary],
            "values": [s.count for s in self.summary],
        }


def team_mentoring(
    *, manager: User, team_slug: str = "", now: datetime | None = None
) -> TeamMentoring:
    """The mentoring of the people in the teams `manager` manages (or the one of them named
    by `team_slug`; a slug of another team shows all of theirs, never that team). Six
    queries whatever the teams' size: the teams, the pairings with their health, the members,
    the open programmes, who joined which, and the mentors' loads.

    The pairings are those `Pairing.objects.visible_to(manager)` admits: a member's pairing
    as a mentor shows when the manager may see it (its mentee is theirs too, or it is in a
    programme they run); the member's load, a count, shows in any case."""
    now = now or timezone.now()
    teams = list(Team.objects.managed_by(manager).order_by("name", "pk"))
    chosen = next((t for t in teams if t.slug == team_slug), None)
    team_ids = [t.pk for t in ([chosen] if chosen else teams)]
    if not team_ids:
        return TeamMentoring(teams=tuple(teams), team=None)

    pairings = (
        Pairing.objects.visible_to(manager)
        .filter(Q(mentee__team__in=team_ids) | Q(mentor__team__in=team_ids), status__in=_SHOWN)
        .with_health(now)
        .select_related("program", "mentor__team", "mentee__team", "request")
        .order_by()
    )
    rows = [PairingHealth.of(p, now) for p in pairings]
    mine = set(team_ids)
    waiting = [r for r in rows if r.state == "waiting"]
    # At-risk pairings come first, on their own: they are the ones needing a word.
    at_risk = sorted((r for r in rows if r.at_risk), key=lambda r: _sort_key(r, "mentee"))
    running = [r for r in rows if r.state not in ("waiting", "at_risk")]
    as_mentee = sorted(
        (r for r in running if r.pairing.mentee.team_id in mine),
        key=lambda r: _sort_key(r, "mentee"),
    )
    as_mentor = sorted(
        (r for r in running if r.pairing.mentor.team_id in mine),
        key=lambda r: _sort_key(r, "mentor"),
    )
    waiting.sort(key=lambda r: (r.answer_due or now, r.pairing.pk))

    # "No mentor" is no live pairing as a mentee anywhere (a waiting proposal counts as one:
    # it is listed with the others waiting).
    mentored = {r.pairing.mentee_id for r in rows if r.pairing.is_live}
    members = [
        m
        for m in User.objects.active().filter(team__in=team_ids).select_related("team")
        if m.pk not in mentored and m.pk != manager.pk
    ]
    return TeamMentoring(
        teams=tuple(teams),
        team=chosen,
        at_risk=tuple(at_risk),
        as_mentee=tuple(as_mentee),
        as_mentor=tuple(as_mentor),
        waiting=tuple(waiting),
        unmatched=tuple(_unmatched(members)),
        summary=tuple(_summary(rows)),
        goals_met=sum(1 for r in rows if r.all_goals_met),
        mentor_loads=tuple(_loads(team_ids, now)),
    )


def _loads(team_ids: list[int], now: datetime) -> list[MentorLoad]:
    """Members open to mentoring or still holding a mentor's slot (one query)."""
    profiles = (
        MentoringProfile.objects.filter(user__team__in=team_ids, user__is_active=True)
        .with_load(now)
        .filter(Q(open_to_mentor=True) | Q(load__gt=0))
        .select_related("user__team")
        .order_by()
    )
    loads = [MentorLoad(p.user, p.open_to_mentor, p.load, p.capacity) for p in profiles]
    return sorted(loads, key=lambda m: (not m.is_full, m.person.name.lower(), m.person.pk))


def _unmatched(members: list[User]) -> list[Unmatched]:
    if not members:
        return []
    programs = list(Program.objects.open().order_by("name", "pk"))
    joined: dict[int, set[int]] = {}
    for mentee_id, program_id in Participation.objects.filter(
        mentee__in=[m.pk for m in members], program__is_open=True
    ).values_list("mentee_id", "program_id"):
        joined.setdefault(mentee_id, set()).add(program_id)
    found = []
    for member in sorted(members, key=lambda m: (m.name.lower(), m.pk)):
        theirs = joined.get(member.pk, set())
        found.append(
            Unmatched(
                person=member,
                joined=tuple(p for p in programs if p.pk in theirs),
                programs=tuple(sorted(programs, key=lambda p: p.pk not in theirs)),
            )
        )
    return found


def _summary(rows: list[PairingHealth]) -> list[StateCount]:
    counts = dict.fromkeys(STATE_LABELS, 0)
    for row in rows:
        if row.state in counts:
            counts[row.state] += 1
    return [StateCount(key, label, counts[key]) for key, label in STATES]
