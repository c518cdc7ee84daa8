"""Ranked mentor suggestions for one mentee in a programme, each with its breakdown, and the
answer to "why not X?".

Fairness: scores a few points apart say little, while always showing the same best-scoring
mentors first would send every mentee to them. So mentors are taken in bands from the top
(everyone within `BAND` points of the best one left) and, inside a band, ordered by fewest
live mentees, then least recently suggested (never suggested first), then name. The page
records its top picks (`services.matching.suggestions_record`), so the next mentee sees the
others of the band first. A suggestion listed below a lower score says why (`Suggestion.rotated`),
so the order never looks like a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

from mentorship.matching.constraints import load_exclusions
from mentorship.matching.features import ANSWERED, OWNED, SESSION, TRACK, VERIFIED
from mentorship.matching.scoring import Line, Scores, evidence_in, score_people
from mentorship.models import MentoringProfile, Pairing, Program
from people.models import User

BAND = 5
RULE = (
    f"Mentors within {BAND} points of each other are listed with the fewest current mentees "
    "first, then whoever was suggested least recently, so the same few people are not "
    "proposed to everyone."
)
_NEVER = datetime.min.replace(tzinfo=UTC)
# A card shows this many of its best-scoring factors inline; the rest is in its breakdown.
STRONGEST = 3


@dataclass(frozen=True)
class EvidenceCount:
    """What a mentor has shown in the mentee's wished skills, by kind."""

    articles: int = 0
    answers: int = 0  # accepted answers on colleagues' questions
    sessions: int = 0
    tracks: int = 0

    @property
    def total(self) -> int:
        return self.articles + self.answers + self.sessions + self.tracks


@dataclass(frozen=True)
class Suggestion:
    mentor: User
    score: int
    lines: tuple[Line, ...]
    load: int  # live mentees now, in every programme
    capacity: int
    evidence: EvidenceCount
    rank: int  # 1 for the first suggestion
    rotated: str = ""  # why it is listed below a lower score (the rotation), or ""

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.load, 0)

    @property
    def strongest(self) -> tuple[Line, ...]:
        """The factors that gave the most points (none that gave nothing), best first: the
        reasons a card shows before its full breakdown."""
        ranked = sorted((line for line in self.lines if line.points), key=lambda line: -line.points)
        return tuple(ranked[:STRONGEST])


@dataclass(frozen=True)
class MenteeSummary:
    """What the mentee asked for, shown above their suggestions so whoever pairs them sees
    whom they are pairing (level, team and career goals are on `person`)."""

    person: User
    wishes: tuple[str, ...]  # skills they want to develop, as they wrote them
    goals: str  # what they want from mentoring
    preferred_format: str  # its label ("Video call")
    has_profile: bool


@dataclass(frozen=True)
class WhyNot:
    """The answer about one person: why they may not mentor the mentee here, or (when they
    may) where they rank and why."""

    person: User
    reasons: tuple[str, ...] = ()
    suggestion: Suggestion | None = None


@dataclass(frozen=True)
class MentorSuggestions:
    program: Program
    mentee: User
    suggestions: tuple[Suggestion, ...]
    eligible: int  # mentors who may mentor them here
    excluded: int  # mentors of the pool left out by a hard constraint
    live_pairing: Pairing | None  # their proposed or active pairing here: nothing to suggest
    about: WhyNot | None
    pool: tuple[User, ...]  # everyone open to mentoring (for "why not …?")
    summary: MenteeSummary
    rule: str = RULE


@dataclass(frozen=True)
class _Candidate:
    j: int  # column in the scores
    score: int
    load: int
    last_suggested_at: datetime | None
    name: str
    pk: int

    def fairness(self) -> tuple:
        return (self.load, self.last_suggested_at or _NEVER, self.name.casefold(), self.pk)


def rotation_order(candidates: list[_Candidate]) -> list[_Candidate]:
    """Best score first, in bands of `BAND` points ordered by fairness (see the module)."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.fairness()))
    ordered: list[_Candidate] = []
    start = 0
    while start < len(ranked):
        floor = ranked[start].score - BAND
        end = start
        while end < len(ranked) and ranked[end].score >= floor:
            end += 1
        ordered.extend(sorted(ranked[start:end], key=_Candidate.fairness))
        start = end
    return ordered


def rotation_note(above: _Candidate, below: _Candidate) -> str:
    """Why `below` is listed after `above` although it scores more ("" when it does not):
    they are in one band, so the fairness order decided."""
    if below.score <= above.score:
        return ""
    lead = f"Within {BAND} points of {above.name} above"
    if above.load != below.load:
        return f"{lead}, who has fewer current mentees."
    if above.last_suggested_at != below.last_suggested_at:
        if above.last_suggested_at is None:
            return f"{lead}, who has not been suggested yet."
        return f"{lead}, who was suggested less recently."
    return f"{lead}: the same load and turn, so by name."


def mentor_pool(now: datetime | None = None) -> list[dict]:
    """The people open to mentoring with their load (live mentees), capacity and when they
    were last suggested: one query."""
    return list(
        MentoringProfile.objects.mentor_pool()
        .with_load(now)
        .order_by("user_id")
        .values("user_id", "capacity", "load", "last_suggested_at")
    )


def evidence_count(scores: Scores, i: int, j: int) -> EvidenceCount:
    items = evidence_in(scores.mentees[i], scores.mentors[j])
    kinds = [e.kind for e in items]
    return EvidenceCount(
        articles=kinds.count(OWNED) + kinds.count(VERIFIED),
        answers=kinds.count(ANSWERED),
        sessions=kinds.count(SESSION),
        tracks=kinds.count(TRACK),
    )


def mentor_suggestions(
    *,
    program: Program,
    mentee: User,
    now: datetime | None = None,
    limit: int = 10,
    about: User | None = None,
) -> MentorSuggestions:
    """The best `limit` mentors for `mentee` in `program`, in rotation order, with their
    breakdowns; and, with `about`, why that person is not among them or where they rank.
    Reads a fixed number of queries whatever the size of the pool; writes nothing."""
    now = now or timezone.now()
    pool = [row for row in mentor_pool(now) if row["user_id"] != mentee.pk]
    pool_ids = [row["user_id"] for row in pool]
    asked = [about.pk] if about is not None and about.pk not in pool_ids else []
    scores = score_people(
        program=program, mentee_ids=[mentee.pk], mentor_ids=pool_ids + asked, now=now
    )
    exclusions = load_exclusions(
        program=program, mentees=[mentee], mentor_ids=pool_ids + asked, now=now
    )
    live = (
        Pairing.objects.live()
        .filter(program=program, mentee=mentee)
        .select_related("mentor")
        .first()
    )
    column = {mr.user.pk: j for j, mr in enumerate(scores.mentors)}
    profile = {row["user_id"]: row for row in pool}
    candidates = [
        _Candidate(
            j=column[pk],
            score=int(scores.scores[0, column[pk]]),
            load=profile[pk]["load"],
            last_suggested_at=profile[pk]["last_suggested_at"],
            name=scores.mentors[column[pk]].user.name,
            pk=pk,
        )
        for pk in pool_ids
        if pk in column and exclusions.allows(mentee.pk, pk)
    ]
    ordered = rotation_order(candidates)

    def suggestion(rank: int, c: _Candidate) -> Suggestion:
        above = ordered[rank - 2] if rank > 1 else None
        return Suggestion(
            mentor=scores.mentors[c.j].user,
            score=c.score,
            lines=scores.lines(0, c.j),
            load=c.load,
            capacity=profile[c.pk]["capacity"],
            evidence=evidence_count(scores, 0, c.j),
            rank=rank,
            rotated=rotation_note(above, c) if above is not None else "",
        )

    answer = None
    if about is not None:
        reasons = exclusions.reasons(mentee.pk, about.pk)
        rank = next((n for n, c in enumerate(ordered, 1) if c.pk == about.pk), None)
        answer = WhyNot(
            person=about,
            reasons=reasons,
            suggestion=suggestion(rank, ordered[rank - 1]) if rank else None,
        )
    return MentorSuggestions(
        program=program,
        mentee=mentee,
        suggestions=tuple(suggestion(n, c) for n, c in enumerate(ordered[:limit], 1)),
        eligible=len(ordered),
        excluded=len(pool_ids) - len(candidates),
        live_pairing=live,
        about=answer,
        pool=tuple(
            sorted(
                (mr.user for mr in scores.mentors if mr.user.pk in profile),
                key=lambda u: (u.name.casefold(), u.pk),
            )
        ),
        summary=_summary(mentee, scores),
    )


def _summary(mentee: User, scores: Scores) -> MenteeSummary:
    """The mentee's wishes as the scores read them, and their profile's words: one query."""
    features = scores.mentees[0] if scores.mentees else None
    profile = (
        MentoringProfile.objects.filter(user=mentee).values("goals", "preferred_format").first()
    )
    formats = dict(MentoringProfile.Format.choices)
    shown = formats.get(profile["preferred_format"] if profile else "", formats["any"])
    return MenteeSummary(
        person=features.user if features is not None else mentee,
        wishes=tuple(features.wishes.values()) if features is not None else (),
        goals=profile["goals"] if profile else "",
        preferred_format=str(shown),
        has_profile=profile is not None,
    )
