"""Reads of programmes: the list with where the viewer stands in each, and a programme's page
(its plan, its weights in words, the viewer's status, and for the people who run it, who
takes part and how far their matching is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorship.models import MilestoneTemplate, Pairing, Participation, Program
from mentorship.models.programs import FACTORS
from people.models import Team, User
from training.models import Enrolment

# Pairings that count as "has a mentor in this programme" (a completed one too: the cohort
# leaves them out, `ParticipationQuerySet.unmatched`).
MATCHED = (Pairing.Status.PROPOSED, Pairing.Status.ACTIVE, Pairing.Status.COMPLETED)
# What each matching factor weighs, in words (the programme page and its edit form).
FACTOR_HELP = {
    "skills": "The mentor's topics and skills that the mentee wants to develop.",
    "expertise": "What the mentor has shown in those skills here: articles they own or "
    "verified, sessions they presented, tracks they completed.",
    "goals": "How close the mentor's experience is to the mentee's career goals.",
    "experience": "The mentor is more experienced than the mentee (reverse mentoring: less).",
    "interests": "Interests they share.",
    "cross_team": "The mentor works in another team.",
}


@dataclass(frozen=True)
class ProgramRow:
    """One programme in the list, with its number of mentees and the viewer's place in it."""

    program: Program
    mentee_count: int
    joined: bool
    has_mentor: bool  # a mentor (or a request still open) in this programme


def _has_mentor(user, now: datetime) -> Q:
    """The viewer's pairings that give them a mentor in a programme: active or completed,
    or proposed with the answer window still open."""
    return Q(mentee=user.pk) & (
        Q(status__in=[Pairing.Status.ACTIVE, Pairing.Status.COMPLETED])
        | Q(status=Pairing.Status.PROPOSED, request__expires_at__gt=now)
    )


def program_list(*, user, now: datetime | None = None) -> tuple[ProgramRow, ...]:
    """Every programme, open ones first, then by name: one query whatever their number."""
    now = now or timezone.now()
    mentees = (
        Participation.objects.filter(program=OuterRef("pk"), mentee__is_active=True)
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    programs = (
        Program.objects.select_related("required_track")
        .annotate(
            mentee_count=Coalesce(Subquery(mentees), Value(0)),
            joined=Exists(Participation.objects.filter(program=OuterRef("pk"), mentee=user.pk)),
            has_mentor=Exists(
                Pairing.objects.filter(_has_mentor(user, now), program=OuterRef("pk"))
            ),
        )
        .order_by("-is_open", "name", "pk")
    )
    return tuple(ProgramRow(p, p.mentee_count, p.joined, p.has_mentor) for p in programs)


@dataclass(frozen=True)
class WeightLine:
    """One matching factor in words: its weight and the share of a 100-point score it is."""

    factor: str
    label: str
    weight: int
    points: int
    explanation: str


def weights_in_words(program: Program) -> tuple[WeightLine, ...]:
    """The programme's weights as shares of the 100 points a match can score, in the order a
    breakdown lists them; a factor weighted 0 is listed with 0 points (not counted)."""
    weights = program.weights if isinstance(program.weights, dict) else {}
    total = sum(int(weights.get(factor, 0)) for factor in FACTORS) or 1
    lines = []
    for factor, label in FACTORS.items():
        weight = int(weights.get(factor, 0))
        explanation = FACTOR_HELP[factor]
        if factor == "experience" and program.is_reverse:
            explanation = (
                "Reverse mentoring: the mentor is the less experienced one, who teaches the topics."
            )
        lines.append(WeightLine(factor, label, weight, round(weight * 100 / total), explanation))
    return tuple(lines)


@dataclass(frozen=True)
class MenteeRow:
    """A person who takes part (or could, for their manager), with their latest pairing in
    the programme (None: never paired)."""

    person: User
    joined: bool
    pairing: Pairing | None

    @property
    def is_matched(self) -> bool:
        return self.pairing is not None and self.pairing.status in MATCHED

    @property
    def status_label(self) -> str:
        pairing = self.pairing
        if pairing is None:
            return "Not matched yet" if self.joined else "Not taking part"
        mentor = pairing.mentor.name
        return {
            Pairing.Status.PROPOSED: f"Waiting for {mentor}'s answer",
            Pairing.Status.ACTIVE: f"Mentored by {mentor}",
            Pairing.Status.COMPLETED: f"Completed with {mentor}",
            Pairing.Status.ENDED: "Ended early; not matched again yet",
            Pairing.Status.DECLINED: f"{mentor} declined; not matched yet",
            Pairing.Status.EXPIRED: f"{mentor} did not answer; not matched yet",
            Pairing.Status.WITHDRAWN: "Request withdrawn; not matched yet",
        }[pairing.status]


@dataclass(frozen=True)
class ProgramPage:
    """A programme's page for one viewer."""

    program: Program
    milestones: tuple[MilestoneTemplate, ...]
    weights: tuple[WeightLine, ...]
    joined: bool
    my_pairing: Pairing | None  # my live or completed pairing here as a mentee
    mentoring: int  # my active and proposed pairings here as a mentor
    mentor_trained: bool | None  # None: the programme requires no training
    is_manager: bool
    participants: tuple[MenteeRow, ...]  # programme managers only
    # Managers of teams: their people, but those already among `participants`.
    team_members: tuple[MenteeRow, ...]

    @property
    def matched_count(self) -> int:
        return sum(1 for row in self.participants if row.is_matched)

    @property
    def waiting_count(self) -> int:
        return sum(1 for row in self.participants if not row.is_matched)


def _latest_pairings(program: Program, mentee_ids) -> dict[int, Pairing]:
    """Each mentee's latest pairing in `program` (one query)."""
    latest: dict[int, Pairing] = {}
    rows = (
        Pairing.objects.filter(program=program, mentee__in=mentee_ids)
        .select_related("mentor")
        .order_by("mentee_id", "-created_at", "-pk")
    )
    for pairing in rows:
        latest.setdefault(pairing.mentee_id, pairing)
    return latest


def program_page(*, program: Program, user, now: datetime | None = None) -> ProgramPage:
    """What `user` sees of `program` (prefetch its managers). A constant number of queries:
    the templates, the viewer's own pairings and participation, their training; for
    programme managers the participants and their pairings; for team managers their teams'
    people and theirs."""
    now = now or timezone.now()
    mine = list(
        Pairing.objects.filter(Q(mentee=user) | Q(mentor=user), program=program)
        .select_related("mentor", "mentee", "request")
        .order_by("-created_at", "-pk")
    )
    my_pairing = next((p for p in mine if p.mentee_id == user.pk and p.status in MATCHED), None)
    mentoring = sum(
        1
        for p in mine
        if p.mentor_id == user.pk
        and (p.is_active or (p.is_proposed and p.request.expires_at > now))
    )
    joined = Participation.objects.filter(program=program, mentee=user).exists()
    trained = None
    if program.required_track_id:
        trained = (
            Enrolment.objects.completed()
            .filter(track_id=program.required_track_id, user=user)
            .exists()
        )
    is_manager = program.is_managed_by(user)

    participants: list[MenteeRow] = []
    if is_manager:
        joined_people = list(
            Participation.objects.filter(program=program, mentee__is_active=True)
            .select_related("mentee__team")
            .order_by("joined_at", "pk")
        )
        latest = _latest_pairings(program, [p.mentee_id for p in joined_people])
        participants = [MenteeRow(p.mentee, True, latest.get(p.mentee_id)) for p in joined_people]
        participants.sort(key=lambda row: (row.is_matched, row.person.name.lower()))

    team_members: list[MenteeRow] = []
    if user.is_manager:
        people = list(
            User.objects.active()
            .filter(team__in=Team.objects.managed_by(user))
            .exclude(pk=user.pk)
            .select_related("team")
        )
        listed = {row.person.pk for row in participants}  # shown once, among the participants
        people = [p for p in people if p.pk not in listed]
        ids = [p.pk for p in people]
        taking_part = set(
            Participation.objects.filter(program=program, mentee__in=ids).values_list(
                "mentee_id", flat=True
            )
        )
        latest = _latest_pairings(program, ids)
        team_members = [MenteeRow(p, p.pk in taking_part, latest.get(p.pk)) for p in people]
        team_members.sort(key=lambda row: (row.is_matched, row.person.name.lower()))

    return ProgramPage(
        program=program,
        milestones=tuple(program.milestones.all()),
        weights=weights_in_words(program),
        joined=joined,
        my_pairing=my_pairing,
        mentoring=mentoring,
        mentor_trained=trained,
        is_manager=is_manager,
        participants=tuple(participants),
        team_members=tuple(team_members),
    )
