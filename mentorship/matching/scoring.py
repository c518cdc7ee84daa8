"""Match scores, vectorised: every factor is a (mentees x mentors) array of values in [0, 1],
computed with NumPy/SciPy for a whole batch at once; the score of a pair is

    100 x Σ weight_f · x_f / Σ weight_f

over the programme's weights. A single mentee's ranking is a batch of one; a breakdown is
read off the same arrays for the pairs shown (its points add up to the score), so there is one
scoring rule, whatever the page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import sparse

from mentorship.matching import features as ft
from mentorship.models import Program
from mentorship.models.programs import FACTORS
from people.models import User

# Experience gap -> value, indexed by gap + 3 (gap = the mentor's level minus the mentee's;
# reverse mentoring looks at it from the other side). Classic: one or two levels above is
# right, three still good, the same level or below is no gap at all. Peer: equals.
_GAP_RIGHT = np.array([0, 0, 0, 0, 1, 1, 0.75])
_GAP_PEER = np.array([0, 0, 0.5, 1, 0.5, 0, 0])


@dataclass(frozen=True)
class Line:
    """One factor of a breakdown: its points in the score, the most it could give, and why,
    in plain words."""

    factor: str
    label: str
    points: int
    out_of: int
    text: str


@dataclass(frozen=True, eq=False)
class Scores:
    """The factor values and scores of `mentees` x `mentors` in one programme."""

    program: Program
    mentees: list[ft.Mentee]
    mentors: list[ft.Mentor]
    values: dict[str, np.ndarray]  # factor -> (mentees x mentors) in [0, 1]
    evidence_counts: np.ndarray  # (mentees x mentors) evidence items in the wished skills
    exact: np.ndarray  # (mentees x mentors) score before rounding, 0-100
    scores: np.ndarray  # (mentees x mentors) whole-number score shown

    def lines(self, i: int, j: int) -> tuple[Line, ...]:
        """The breakdown of mentee `i` with mentor `j`: one line per factor, in `FACTORS`
        order; the points add up to `scores[i, j]`."""
        weights = _weights(self.program)
        total = sum(weights.values())
        exact = [100 * weights[f] * float(self.values[f][i, j]) / total for f in FACTORS]
        points = share_out(exact, int(self.scores[i, j]))
        out_of = share_out([100 * weights[f] / total for f in FACTORS], 100)
        mentee, mentor = self.mentees[i], self.mentors[j]
        return tuple(
            Line(
                factor=f,
                label=FACTORS[f],
                points=points[n],
                out_of=out_of[n],
                text=_EXPLAIN[f](self, mentee, mentor, i, j),
            )
            for n, f in enumerate(FACTORS)
        )


def _weights(program: Program) -> dict[str, int]:
    return {f: int(program.weights.get(f, 0)) for f in FACTORS}


def round_score(value: float) -> int:
    """Half up, the way people round: 62.5 shows as 63."""
    return math.floor(value + 0.5)


def share_out(exact: Sequence[float], total: int) -> list[int]:
    """Whole numbers close to `exact` that add up to `total` (largest remainder): a
    breakdown's lines add up to the score shown above them."""
    floors = [math.floor(v + 1e-9) for v in exact]
    missing = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda n: (-(exact[n] - floors[n]), n))
    for n in order[: max(missing, 0)]:
        floors[n] += 1
    return floors


def _indicator(rows: Sequence[Sequence], vocab: dict) -> sparse.csr_matrix:
    """A 0/1 sparse matrix: row r has a 1 in the column of each of `rows[r]`'s items that is
    in `vocab` (item -> column)."""
    r, c = [], []
    for n, items in enumerate(rows):
        for item in items:
            col = vocab.get(item)
            if col is not None:
                r.append(n)
                c.append(col)
    data = np.ones(len(r), dtype=np.float64)
    return sparse.csr_matrix((data, (r, c)), shape=(len(rows), max(len(vocab), 1)))


def _vocab(*groups) -> dict:
    vocab: dict = {}
    for group in groups:
        for items in group:
            for item in items:
                vocab.setdefault(item, len(vocab))
    return vocab


def _dense(matrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, 0 where whole is 0."""
    out = np.zeros_like(part, dtype=np.float64)
    np.divide(part, whole, out=out, where=whole > 0)
    return out


def score_matrices(
    *, program: Program, mentees: list[ft.Mentee], mentors: list[ft.Mentor]
) -> Scores:
    """Every factor for every (mentee, mentor), and the scores."""
    m, n = len(mentees), len(mentors)
    values: dict[str, np.ndarray] = {}

    # Skills: the share of the mentee's wishes the mentor offers.
    wish_vocab = _vocab([mt.wishes for mt in mentees])
    wishes = _indicator([mt.wishes for mt in mentees], wish_vocab)
    offers = _indicator([mr.offers for mr in mentors], wish_vocab)
    wish_count = np.asarray(wishes.sum(axis=1)).reshape(m, 1)
    values["skills"] = _share(_dense(wishes @ offers.T), wish_count)

    # Interests: shared over all interests of the two (Jaccard).
    interest_vocab = _vocab([mt.interests for mt in mentees], [mr.interests for mr in mentors])
    a = _indicator([mt.interests for mt in mentees], interest_vocab)
    b = _indicator([mr.interests for mr in mentors], interest_vocab)
    shared = _dense(a @ b.T)
    union = np.asarray(a.sum(axis=1)).reshape(m, 1) + np.asarray(b.sum(axis=1)).reshape(1, n)
    values["interests"] = _share(shared, union - shared)

    # Career-goal fit: cosine of the two sets of stemmed words.
    word_vocab = _vocab([mt.goal_words for mt in mentees])
    a = _indicator([mt.goal_words for mt in mentees], word_vocab)
    b = _indicator([mr.background_words for mr in mentors], word_vocab)
    a_len = np.array([len(mt.goal_words) for mt in mentees], dtype=np.float64).reshape(m, 1)
    b_len = np.array([len(mr.background_words) for mr in mentors], dtype=np.float64)
    values["goals"] = _share(_dense(a @ b.T), np.sqrt(a_len * b_len.reshape(1, n)))

    # Experience: the gap in the programme's direction.
    mentee_level = np.array([mt.level for mt in mentees], dtype=np.int64).reshape(m, 1)
    mentor_level = np.array([mr.level for mr in mentors], dtype=np.int64).reshape(1, n)
    gap = mentor_level - mentee_level
    if program.kind == Program.Kind.PEER:
        values["experience"] = _GAP_PEER[gap + 3]
    elif program.kind == Program.Kind.REVERSE:
        values["experience"] = _GAP_RIGHT[-gap + 3]
    else:
        values["experience"] = _GAP_RIGHT[gap + 3]

    # Cross-team: anyone not on the mentee's team.
    mentee_team = np.array([mt.team_id or -1 for mt in mentees], dtype=np.int64).reshape(m, 1)
    mentor_team = np.array([mr.team_id or -2 for mr in mentors], dtype=np.int64).reshape(1, n)
    values["cross_team"] = (mentee_team != mentor_team).astype(np.float64)

    # Demonstrated expertise: n evidence items in the wished skills, 1 - 0.5^n.
    items = [e for mr in mentors for e in mr.evidence]
    owners = [j for j, mr in enumerate(mentors) for _ in mr.evidence]
    item_skills = _indicator([e.skills for e in items], wish_vocab)  # items x skills
    has = sparse.csr_matrix(
        (np.ones(len(items)), (owners, np.arange(len(items)))), shape=(n, max(len(items), 1))
    )  # mentors x items
    relevant = (item_skills @ wishes.T) > 0  # items x mentees: tagged with one of their wishes
    counts = _dense(has @ relevant.astype(np.float64)).T if items else np.zeros((m, n))
    values["expertise"] = 1 - np.power(0.5, counts)

    weights = _weights(program)
    total_weight = sum(weights.values()) or 1
    exact = sum(100 * weights[f] * values[f] for f in FACTORS) / total_weight
    scores = np.floor(exact + 0.5).astype(np.int64)
    return Scores(
        program=program,
        mentees=mentees,
        mentors=mentors,
        values=values,
        evidence_counts=np.rint(counts).astype(np.int64),
        exact=exact,
        scores=scores,
    )


def score_people(
    *,
    program: Program,
    mentee_ids: Sequence[int],
    mentor_ids: Sequence[int],
    now: datetime | None = None,
) -> Scores:
    """Read the people (a fixed number of queries) and score them all."""
    mentees = ft.load_mentees(mentee_ids)
    wished = {key for mt in mentees for key in mt.wishes}
    mentors = ft.load_mentors(mentor_ids, wished=wished, now=now)
    return score_matrices(program=program, mentees=mentees, mentors=mentors)


def score_pair(
    *, program: Program, mentee: User, mentor: User, now: datetime | None = None
) -> tuple[int, tuple[Line, ...]]:
    """The score of one pair (0-100) and its breakdown, hard constraints aside."""
    found = score_people(program=program, mentee_ids=[mentee.pk], mentor_ids=[mentor.pk], now=now)
    return int(found.scores[0, 0]), found.lines(0, 0)


def score_pairs(
    *, program: Program, pairs: Sequence[tuple[User, User]], now: datetime | None = None
) -> list[int]:
    """The scores of (mentee, mentor) pairs, read and computed together."""
    if not pairs:
        return []
    found = score_people(
        program=program,
        mentee_ids=[a.pk for a, _ in pairs],
        mentor_ids=[b.pk for _, b in pairs],
        now=now,
    )
    row = {mt.user.pk: i for i, mt in enumerate(found.mentees)}
    col = {mr.user.pk: j for j, mr in enumerate(found.mentors)}
    return [int(found.scores[row[a.pk], col[b.pk]]) for a, b in pairs]


# --- The plain-language lines ------------------------------------------------------------


def names(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _explain_skills(scores, mentee, mentor, i, j) -> str:
    if not mentee.wishes:
        return "No skills to develop listed yet, so none to match."
    shared = [name for key, name in mentee.wishes.items() if key in mentor.offers]
    wanted = len(mentee.wishes)
    if not shared:
        return f"Offers none of the {_plural(wanted, 'skill')} wanted."
    return f"Can help with {names(shared)} ({len(shared)} of {wanted} wanted)."


def _explain_interests(scores, mentee, mentor, i, j) -> str:
    shared = sorted(
        (mentee.interests[k] for k in mentee.interests if k in mentor.interests), key=str.casefold
    )
    if not shared:
        if not mentee.interests or not mentor.interests:
            return "No interests listed to compare."
        return "No shared interests."
    everyone = len(set(mentee.interests) | set(mentor.interests))
    return f"Both interested in {names(shared)} ({len(shared)} of {everyone} between them)."


def _explain_goals(scores, mentee, mentor, i, j) -> str:
    if not mentee.goal_words:
        return "No career goals written yet to compare."
    shared = [word for stem, word in mentee.goal_words.items() if stem in mentor.background_words]
    if not shared:
        return "Their goals and the mentor's role and goals have no words in common."
    quoted = [f"“{word}”" for word in shared[:6]]
    return f"Their goals and the mentor's role and goals share {names(quoted)}."


def _explain_experience(scores, mentee, mentor, i, j) -> str:
    them, me = ft.LEVEL_NAMES[mentee.level], ft.LEVEL_NAMES[mentor.level]
    gap = mentor.level - mentee.level
    kind = scores.program.kind
    if kind == Program.Kind.PEER:
        if gap == 0:
            return f"Same level ({me}): peers learn from each other."
        if abs(gap) == 1:
            return f"One level apart ({me}, mentee {them}): close to peers."
        return f"Levels apart ({me}, mentee {them}): peer mentoring pairs equals."
    if kind == Program.Kind.REVERSE:
        if gap < 0:
            good = "the right gap" if gap >= -2 else "still a good gap"
            return (
                f"{me.capitalize()}, teaching someone {them}: in reverse mentoring the junior "
                f"teaches ({_plural(-gap, 'level')} apart, {good})."
            )
        return f"Not junior to the mentee ({me}, mentee {them}): reverse mentoring needs that."
    if gap > 0:
        good = "the right gap" if gap <= 2 else "still a good gap"
        return f"{me.capitalize()}, mentee {them}: {_plural(gap, 'level')} more, {good}."
    if gap == 0:
        return f"Same level ({me}): a mentor is usually more experienced."
    return f"Less experienced than the mentee ({me}, mentee {them})."


def _explain_cross_team(scores, mentee, mentor, i, j) -> str:
    if mentee.team_id and mentee.team_id == mentor.team_id:
        return "Same team: a mentor from another team widens their network."
    if mentor.user.team:
        return f"Works in {mentor.user.team.name}: a mentor from another team widens the network."
    return "Not on the mentee's team: a wider network."


_EVIDENCE_WORDS = {
    ft.OWNED: ("Owns", "published article"),
    ft.VERIFIED: ("Verified", "published article"),
    ft.ANSWERED: ("Wrote", "accepted answer"),
    ft.SESSION: ("Presented", "session"),
    ft.TRACK: ("Completed", "track"),
}


def evidence_in(mentee: ft.Mentee, mentor: ft.Mentor) -> list[ft.Evidence]:
    """The mentor's evidence items in the mentee's wished skills."""
    return [e for e in mentor.evidence if e.skills & mentee.wishes.keys()]


def _explain_expertise(scores, mentee, mentor, i, j) -> str:
    if not mentee.wishes:
        return "No skills to develop listed, so no expertise to look for."
    items = evidence_in(mentee, mentor)
    if not items:
        return (
            "No published articles, accepted answers, sessions or completed tracks in the "
            "skills wanted yet."
        )
    parts = []
    for kind, (verb, noun) in _EVIDENCE_WORDS.items():
        mine = [e for e in items if e.kind == kind]
        if mine:
            keys = set().union(*(e.skills for e in mine))
            on = [name for key, name in mentee.wishes.items() if key in keys]
            parts.append(f"{verb.lower()} {_plural(len(mine), noun)} on {names(on)}")
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}."


_EXPLAIN = {
    "skills": _explain_skills,
    "interests": _explain_interests,
    "goals": _explain_goals,
    "experience": _explain_experience,
    "cross_team": _explain_cross_team,
    "expertise": _explain_expertise,
}
