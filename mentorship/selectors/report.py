"""The programme report: a programme manager's figures on a programme (participation, match
and completion rates, ratings, meeting frequency, request outcomes, end reasons), per pairing
for the CSV. Built on the same `PairingHealth` rows as the team page (`oversight`), so it never
reads what pairs said either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from mentorship.models import (
    MentoringProfile,
    Pairing,
    PairingFeedback,
    Participation,
    Program,
)
from mentorship.selectors.oversight import PairingHealth
from training.models import Enrolment

_STARTED = (Pairing.Status.ACTIVE, Pairing.Status.COMPLETED, Pairing.Status.ENDED)
# A mentee with one of these has a mentor in the programme (`ParticipationQuerySet.unmatched`).
_PAIRED = (Pairing.Status.PROPOSED, Pairing.Status.ACTIVE, Pairing.Status.COMPLETED)
# An average month, for "meetings per pairing-month".
DAYS_PER_MONTH = 30.44


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class ReportRow:
    """One pairing in the programme report's CSV: the same numbers as the page, per pairing."""

    health: PairingHealth
    months: float | None  # how long it ran (started pairings), in months
    ratings: tuple[int, ...]

    @property
    def pairing(self) -> Pairing:
        return self.health.pairing

    @property
    def meetings_per_month(self) -> float | None:
        if not self.months:
            return None
        return round(self.health.meetings_held / self.months, 1)

    @property
    def average_rating(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


@dataclass(frozen=True)
class FeedbackItem:
    """One side's feedback on a completed pairing (programme managers alone read it)."""

    pairing: Pairing
    side: str  # "Mentor" or "Mentee"
    rating: int
    comments: str
    given_on: date


@dataclass(frozen=True)
class ProgramReport:
    program: Program
    # Participation.
    mentees_joined: int
    mentees_matched: int
    mentees_waiting: int  # taking part with no live or completed pairing: the cohort to match
    mentors_taking_part: int
    mentors_open: int
    mentors_with_room: int
    # Now.
    active: int
    at_risk: int
    waiting: int
    # Outcomes.
    completed: int
    ended: int
    # Requests (every pairing starts as one), by answer.
    accepted: int
    declined: int
    expired: int
    withdrawn: int
    # Meetings in the pairings that started.
    meetings_held: int
    pairing_months: float
    # Feedback.
    rating_count: int
    rating_average: float | None
    end_reasons: tuple[PairingHealth, ...] = ()
    feedback: tuple[FeedbackItem, ...] = ()
    rows: tuple[ReportRow, ...] = ()
    by_source: tuple[tuple[str, int], ...] = ()

    @property
    def match_rate(self) -> int | None:
        """Percent of the mentees who joined that have had a pairing start."""
        return percent(self.mentees_matched, self.mentees_joined)

    @property
    def at_risk_pairings(self) -> tuple[PairingHealth, ...]:
        return tuple(row.health for row in self.rows if row.health.at_risk)

    @property
    def completion_rate(self) -> int | None:
        """Percent of the finished pairings that were completed rather than ended early."""
        return percent(self.completed, self.completed + self.ended)

    @property
    def meetings_per_month(self) -> float | None:
        if not self.pairing_months:
            return None
        return round(self.meetings_held / self.pairing_months, 1)

    @property
    def days_between_meetings(self) -> int | None:
        if not self.meetings_held:
            return None
        return round(self.pairing_months * DAYS_PER_MONTH / self.meetings_held)

    @property
    def expected_per_month(self) -> float:
        """What the programme's cadence asks for, in the same unit."""
        return round(DAYS_PER_MONTH / self.program.cadence_days, 1)


def _months(health: PairingHealth, today: date) -> float | None:
    """How long a started pairing ran: from its start to the day it finished, or to today
    while it runs; a day at least, so a pairing started today counts."""
    pairing = health.pairing
    if pairing.status not in _STARTED or pairing.started_on is None:
        return None
    until = health.finished_on() or today
    return max(1, (until - pairing.started_on).days) / DAYS_PER_MONTH


def program_report(*, program: Program, now: datetime | None = None) -> ProgramReport:
    """The report on `program` for its managers. Four queries whatever its size: who joined,
    the pairings with their health, the feedback, and the mentor pool."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    joined = dict(
        Participation.objects.filter(program=program).values_list("mentee_id", "mentee__is_active")
    )
    pairings = (
        Pairing.objects.filter(program=program)
        .with_health(now)
        .select_related("program", "mentor", "mentee__team", "request")
        .order_by("created_at", "pk")
    )
    health = [PairingHealth.of(p, now) for p in pairings]
    feedback = list(
        PairingFeedback.objects.filter(pairing__program=program)
        .select_related("pairing__mentor", "pairing__mentee")
        .order_by("-created_at", "-pk")
    )
    ratings: dict[int, list[int]] = {}
    for item in feedback:
        ratings.setdefault(item.pairing_id, []).append(item.rating)

    started = [h for h in health if h.pairing.status in _STARTED]
    # As the cohort page counts them: active people who joined, with no mentor there yet.
    paired = {h.pairing.mentee_id for h in health if h.pairing.status in _PAIRED}
    waiting = {m for m, is_active in joined.items() if is_active and m not in paired}
    status_count = {s: sum(1 for h in health if h.pairing.status == s) for s in Pairing.Status}
    rows = tuple(
        ReportRow(health=h, months=_months(h, today), ratings=tuple(ratings.get(h.pairing.pk, ())))
        for h in health
    )
    sources = {s: sum(1 for h in health if h.pairing.source == s) for s in Pairing.Source}
    pool = _pool(program, now)
    return ProgramReport(
        program=program,
        # Someone who left after their pairing still joined: the pairing says so.
        mentees_joined=len(joined.keys() | {h.pairing.mentee_id for h in health}),
        mentees_matched=len({h.pairing.mentee_id for h in started}),
        mentees_waiting=len(waiting),
        mentors_taking_part=len({h.pairing.mentor_id for h in started}),
        mentors_open=pool["open"],
        mentors_with_room=pool["room"],
        active=status_count[Pairing.Status.ACTIVE],
        at_risk=sum(1 for h in health if h.at_risk),
        waiting=status_count[Pairing.Status.PROPOSED],
        completed=status_count[Pairing.Status.COMPLETED],
        ended=status_count[Pairing.Status.ENDED],
        accepted=len(started),
        declined=status_count[Pairing.Status.DECLINED],
        expired=status_count[Pairing.Status.EXPIRED],
        withdrawn=status_count[Pairing.Status.WITHDRAWN],
        meetings_held=sum(h.meetings_held for h in started),
        pairing_months=sum(r.months for r in rows if r.months),
        rating_count=len(feedback),
        rating_average=(
            round(sum(f.rating for f in feedback) / len(feedback), 1) if feedback else None
        ),
        end_reasons=tuple(
            sorted(
                (h for h in health if h.pairing.status == Pairing.Status.ENDED),
                key=lambda h: h.pairing.ended_at or now,
                reverse=True,
            )
        ),
        feedback=tuple(
            FeedbackItem(
                pairing=f.pairing,
                side="Mentor" if f.author_id == f.pairing.mentor_id else "Mentee",
                rating=f.rating,
                comments=f.comments,
                given_on=timezone.localdate(f.created_at),
            )
            for f in feedback
        ),
        rows=rows,
        by_source=tuple((s.label, n) for s, n in sources.items()),
    )


def _pool(program: Program, now: datetime) -> dict[str, int]:
    """Mentors open to mentoring who meet the programme's training prerequisite, and how
    many of them have a free slot today (one query)."""
    pool = MentoringProfile.objects.mentor_pool()
    if program.required_track_id:
        pool = pool.filter(
            user__in=Enrolment.objects.completed()
            .filter(track_id=program.required_track_id)
            .values("user_id")
        )
    return pool.with_load(now).aggregate(
        open=Count("pk"), room=Count("pk", filter=Q(load__lt=F("capacity")))
    )
