"""Whole-cohort matching: every unmatched mentee of a programme gets the mentor that makes the
total score of the cohort highest, within every mentor's free places.

It is an assignment problem. Each mentor becomes as many columns as they have free places
(capacity minus live mentees, at most the number of mentees), each mentee a row; a pair's
cost is minus its score, a pair a hard constraint forbids (or with nothing in common, score
0) costs too much to ever be chosen, and one extra "no acceptable mentor" column per mentee
costs 0. `scipy.optimize.linear_sum_assignment` then finds the optimum. A greedy pass (best
pair first) on the same scores is computed too, so the page shows what optimising gained.
Nothing is saved: the programme manager approves the pairs they keep (`cohort_approve`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from mentorship.matching.constraints import load_exclusions
from mentorship.matching.scoring import Line, score_people
from mentorship.matching.suggestions import mentor_pool
from mentorship.models import Participation, Program
from people.models import User

# Larger than any total of real scores a cohort can reach, so no forbidden pair is ever worth
# taking; the "no acceptable mentor" columns keep the problem feasible without one.
_FORBIDDEN = 1e9
# Below this score a pair has little in common beyond the mentor's level and team: the page
# flags it as a weak match and leaves it for the programme manager to tick deliberately.
WEAK = 30


@dataclass(frozen=True)
class ProposedPair:
    mentee: User
    mentor: User
    score: int
    lines: tuple[Line, ...]

    @property
    def value(self) -> str:
        """How the approval form names the pair: "mentee id:mentor id"."""
        return f"{self.mentee.pk}:{self.mentor.pk}"

    @property
    def weak(self) -> bool:
        return self.score < WEAK


@dataclass(frozen=True)
class Unmatched:
    mentee: User
    reason: str


@dataclass(frozen=True)
class CohortProposal:
    program: Program
    pairs: tuple[ProposedPair, ...]
    unmatched: tuple[Unmatched, ...]
    total: int  # the optimal assignment's total score
    greedy_total: int  # best-pair-first on the same scores
    greedy_pairs: int
    mentors: int  # in the pool
    places: int  # free places in the pool (capped per mentor at the cohort's size)

    @property
    def mentees(self) -> int:
        return len(self.pairs) + len(self.unmatched)

    @property
    def gain(self) -> int:
        return self.total - self.greedy_total

    @property
    def weak_pairs(self) -> int:
        return sum(1 for pair in self.pairs if pair.weak)


def _acceptable(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    return allowed & (scores > 0)


def assign_optimal(
    scores: np.ndarray, allowed: np.ndarray, places: np.ndarray
) -> list[tuple[int, int]]:
    """(row, column) pairs that maximise the total of `scores` with column j used at most
    `places[j]` times, each row at most once, only where `allowed` and the score is above 0."""
    m = scores.shape[0]
    ok = _acceptable(scores, allowed)
    slots = np.repeat(np.arange(scores.shape[1]), np.clip(places, 0, m))
    cost = np.zeros((m, len(slots) + m))
    cost[:, : len(slots)] = np.where(ok[:, slots], -scores[:, slots].astype(np.float64), _FORBIDDEN)
    rows, columns = linear_sum_assignment(cost)
    return [
        (int(i), int(slots[c]))
        for i, c in zip(rows, columns, strict=True)
        if c < len(slots) and ok[i, slots[c]]
    ]


def assign_greedy(
    scores: np.ndarray, allowed: np.ndarray, places: np.ndarray
) -> list[tuple[int, int]]:
    """Best pair first (ties by row, then column) under the same rules as `assign_optimal`:
    what a person matching by hand would do, for comparison."""
    m = scores.shape[0]
    left = np.clip(places, 0, m).astype(np.int64)
    rows, columns = np.nonzero(_acceptable(scores, allowed))
    order = np.lexsort((columns, rows, -scores[rows, columns]))
    needed = min(m, int(left.sum()))
    taken = np.zeros(m, dtype=bool)
    pairs: list[tuple[int, int]] = []
    for i, j in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        if len(pairs) >= needed:
            break
        if taken[i] or left[j] <= 0:
            continue
        taken[i] = True
        left[j] -= 1
        pairs.append((i, j))
    return pairs


def _total(scores: np.ndarray, pairs: list[tuple[int, int]]) -> int:
    return int(sum(int(scores[i, j]) for i, j in pairs))


def cohort_proposal(*, program: Program, now: datetime | None = None) -> CohortProposal:
    """The optimal assignment of `program`'s unmatched mentees to the mentor pool, each pair
    with its breakdown, the mentees left without a mentor and why, and the totals of the
    optimal and the greedy assignment. Reads a fixed number of queries; saves nothing."""
    now = now or timezone.now()
    mentee_ids = list(
        Participation.objects.filter(program=program)
        .unmatched()
        .order_by("joined_at", "pk")
        .values_list("mentee_id", flat=True)
    )
    pool = mentor_pool(now)
    scores = score_people(
        program=program,
        mentee_ids=mentee_ids,
        mentor_ids=[row["user_id"] for row in pool],
        now=now,
    )
    mentees, mentors = scores.mentees, scores.mentors
    exclusions = load_exclusions(
        program=program,
        mentees=[mt.user for mt in mentees],
        mentor_ids=[mr.user.pk for mr in mentors],
        now=now,
    )
    allowed = np.ones(scores.scores.shape, dtype=bool)
    column = {mr.user.pk: j for j, mr in enumerate(mentors)}
    row = {mt.user.pk: i for i, mt in enumerate(mentees)}
    for mentor_id in exclusions.by_mentor:
        if mentor_id in column:
            allowed[:, column[mentor_id]] = False
    for mentee_id, mentor_id in exclusions.by_pair:
        if mentee_id in row and mentor_id in column:
            allowed[row[mentee_id], column[mentor_id]] = False
    free = {p["user_id"]: p["capacity"] - p["load"] for p in pool}
    places = np.array([max(free.get(mr.user.pk, 0), 0) for mr in mentors], dtype=np.int64)
    places = np.minimum(places, len(mentees))
    places[~allowed.any(axis=0)] = 0  # nobody may have them: no columns for them

    optimal = assign_optimal(scores.scores, allowed, places)
    greedy = assign_greedy(scores.scores, allowed, places)
    pairs = sorted(
        (
            ProposedPair(
                mentee=mentees[i].user,
                mentor=mentors[j].user,
                score=int(scores.scores[i, j]),
                lines=scores.lines(i, j),
            )
            for i, j in optimal
        ),
        key=lambda p: (p.mentee.name.casefold(), p.mentee.pk),
    )
    matched = {i for i, _ in optimal}
    unmatched = tuple(
        Unmatched(mentee=mt.user, reason=_why_unmatched(i, scores.scores, allowed, places))
        for i, mt in enumerate(mentees)
        if i not in matched
    )
    return CohortProposal(
        program=program,
        pairs=tuple(pairs),
        unmatched=tuple(sorted(unmatched, key=lambda u: (u.mentee.name.casefold(), u.mentee.pk))),
        total=_total(scores.scores, optimal),
        greedy_total=_total(scores.scores, greedy),
        greedy_pairs=len(greedy),
        mentors=len(mentors),
        places=int(places.sum()),
    )


def _why_unmatched(i: int, scores: np.ndarray, allowed: np.ndarray, places: np.ndarray) -> str:
    if scores.shape[1] == 0:
        return "Nobody is open to mentoring yet."
    if not places.any():
        return "No mentor has a free place."
    if not (allowed[i] & (places > 0)).any():
        return (
            "No mentor with a free place may mentor them here (their manager, an earlier "
            "pairing, or mentor training not completed). Ask “why not?” on their suggestions."
        )
    if not (_acceptable(scores, allowed)[i] & (places > 0)).any():
        return "No eligible mentor has anything in common with what they want (score 0)."
    return "The mentors who fit them are taken by colleagues they fit better."
