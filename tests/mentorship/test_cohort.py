"""Whole-cohort matching: the assignment's total equals brute force on small random cases,
respects capacities and hard constraints, never loses to greedy; and the proposal built from
a programme's unmatched mentees saves nothing."""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.matching.cohort import WEAK, assign_greedy, assign_optimal, cohort_proposal
from mentorship.matching.constraints import exclusion_reasons
from mentorship.matching.scoring import score_pair
from mentorship.models import Pairing, Participation
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program


def brute_force(scores, allowed, places) -> int:
    """The best total by trying every assignment (each mentee: a mentor with a place, or
    nobody)."""
    m, n = scores.shape
    left = list(places)
    best = 0

    def walk(i: int, total: int) -> None:
        nonlocal best
        if i == m:
            best = max(best, total)
            return
        walk(i + 1, total)
        for j in range(n):
            if allowed[i, j] and scores[i, j] > 0 and left[j] > 0:
                left[j] -= 1
                walk(i + 1, total + int(scores[i, j]))
                left[j] += 1

    walk(0, 0)
    return best


def check(pairs, scores, allowed, places) -> int:
    """The pairs are a valid assignment; returns their total."""
    rows = [i for i, _ in pairs]
    assert len(rows) == len(set(rows))
    for j in range(scores.shape[1]):
        assert sum(1 for _, c in pairs if c == j) <= max(places[j], 0)
    for i, j in pairs:
        assert allowed[i, j]
        assert scores[i, j] > 0
    return sum(int(scores[i, j]) for i, j in pairs)


@pytest.mark.parametrize("seed", range(200))
def test_optimal_equals_brute_force_and_greedy_is_never_better(seed):
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    # Coarse scores make ties, where a careless assignment goes wrong.
    scores = rng.integers(0, 6, size=(m, n)) * int(rng.choice([1, 20]))
    allowed = rng.random((m, n)) < 0.8
    places = rng.integers(0, 4, size=n)
    optimal = check(assign_optimal(scores, allowed, places), scores, allowed, places)
    greedy = check(assign_greedy(scores, allowed, places), scores, allowed, places)
    assert optimal == brute_force(scores, allowed, places)
    assert greedy <= optimal


def test_greedy_can_lose_what_optimal_finds():
    scores = np.array([[10, 9], [9, 0]])
    allowed = np.ones((2, 2), dtype=bool)
    places = np.array([1, 1])
    assert check(assign_greedy(scores, allowed, places), scores, allowed, places) == 10
    assert check(assign_optimal(scores, allowed, places), scores, allowed, places) == 18


def test_no_mentors_or_no_mentees():
    empty = np.zeros((3, 0), dtype=np.int64)
    assert assign_optimal(empty, empty.astype(bool), np.zeros(0, dtype=np.int64)) == []
    assert assign_greedy(empty, empty.astype(bool), np.zeros(0, dtype=np.int64)) == []
    none = np.zeros((0, 2), dtype=np.int64)
    assert assign_optimal(none, none.astype(bool), np.array([1, 1])) == []


# --- The proposal from the database ---------------------------------------------------------

SKILLS = ["refunds", "chargebacks", "disputes", "tone", "billing"]
LEVELS = ["new", "developing", "experienced", "expert"]


def random_cohort(seed: int):
    """A programme with 5 unmatched mentees and 3 mentors of random skills, levels and teams;
    one mentor manages a mentee's team, one already has a mentee elsewhere."""
    rnd = random.Random(seed)
    teams = [TeamFactory() for _ in range(3)]
    program = make_program(name=f"Cohort {seed}")
    mentees = []
    for _ in range(5):
        mentee = UserFactory(team=rnd.choice(teams), experience_level=rnd.choice(LEVELS[:2]))
        make_profile(mentee, open_to_mentor=False, develop=rnd.sample(SKILLS, rnd.randint(0, 3)))
        Participation.objects.create(program=program, mentee=mentee)
        mentees.append(mentee)
    mentors = []
    for _ in range(3):
        mentor = UserFactory(team=rnd.choice(teams), experience_level=rnd.choice(LEVELS[1:]))
        make_profile(mentor, capacity=rnd.randint(1, 2), topics=rnd.sample(SKILLS, 2))
        mentor.interests.set(rnd.sample(["chess", "hiking", "films"], 1))
        mentors.append(mentor)
    mentees[0].interests.set(["chess"])
    mentees[0].team.managers.add(mentors[0])
    make_pairing(program=make_program(name=f"Elsewhere {seed}"), mentor=mentors[1],
                 mentee=UserFactory())  # fmt: skip
    return program, mentees, mentors


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_cohort_proposal_is_optimal_valid_and_saves_nothing(seed):
    program, mentees, mentors = random_cohort(seed)
    before = Pairing.objects.count()
    proposal = cohort_proposal(program=program)
    assert Pairing.objects.count() == before

    # Score and constraints per pair, the slow way, for brute force.
    scores = np.array(
        [[score_pair(program=program, mentee=a, mentor=b)[0] for b in mentors] for a in mentees]
    )
    allowed = np.array(
        [[not exclusion_reasons(program=program, mentee=a, mentor=b) for b in mentors]
         for a in mentees]
    )  # fmt: skip
    places = [b.mentoring_profile.capacity - b.pairings_as_mentor.live().count() for b in mentors]
    pairs = [(mentees.index(p.mentee), mentors.index(p.mentor)) for p in proposal.pairs]
    assert check(pairs, scores, allowed, places) == proposal.total
    assert proposal.total == brute_force(scores, allowed, places)
    assert proposal.greedy_total <= proposal.total
    assert not allowed[0, 0]  # their manager
    for pair in proposal.pairs:
        assert sum(line.points for line in pair.lines) == pair.score
        assert pair.value == f"{pair.mentee.pk}:{pair.mentor.pk}"
    assert {p.mentee for p in proposal.pairs} | {u.mentee for u in proposal.unmatched} == set(
        mentees
    )
    assert all(u.reason for u in proposal.unmatched)


@pytest.mark.django_db
def test_only_unmatched_mentees_are_matched_and_reasons_are_given(team, other_team, manager):
    program = make_program(name="Cohort")
    paired, waiting, managed, crowded = (
        UserFactory(username=name, team=other_team) for name in ("paired", "w", "m", "c")
    )
    managed.team = team
    managed.save()
    guide = UserFactory(username="guide", team=TeamFactory())
    make_profile(guide, capacity=2, topics=["refunds"])
    make_profile(manager, capacity=1, topics=["refunds"])
    for mentee in (paired, waiting, managed, crowded):
        make_profile(mentee, open_to_mentor=False, develop=["refunds"])
        Participation.objects.create(program=program, mentee=mentee)
    make_pairing(program=program, mentor=guide, mentee=paired)  # takes one of guide's places
    # Two places (guide's last one, the manager's one) for three mentees; `managed` is on
    # the manager's own team.
    proposal = cohort_proposal(program=program)
    assert paired not in {p.mentee for p in proposal.pairs} | {u.mentee for u in proposal.unmatched}
    assert len(proposal.pairs) == 2  # guide's last place and the manager's one
    assert proposal.places == 2
    assert managed not in {p.mentee for p in proposal.pairs if p.mentor == manager}
    (left,) = proposal.unmatched
    assert left.reason == "The mentors who fit them are taken by colleagues they fit better."


@pytest.mark.django_db
def test_an_empty_pool_says_so(team):
    program = make_program(name="Nobody")
    mentee = UserFactory(team=team)
    Participation.objects.create(program=program, mentee=mentee)
    proposal = cohort_proposal(program=program)
    assert proposal.pairs == ()
    assert proposal.unmatched[0].reason == "Nobody is open to mentoring yet."
    assert (proposal.total, proposal.greedy_total) == (0, 0)


@pytest.mark.django_db
def test_cohort_reads_a_fixed_number_of_queries():
    counts = []
    for size in (1, 3):
        program = make_program(name=f"Size {size}")
        for n in range(size):
            random_cohort(100 * size + n)  # more people everywhere
            mentee = UserFactory()
            make_profile(mentee, open_to_mentor=False, develop=["refunds"])
            Participation.objects.create(program=program, mentee=mentee)
        with CaptureQueriesContext(connection) as queries:
            cohort_proposal(program=program)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_programme_without_unmatched_mentees_proposes_nothing(other_team):
    program = make_program(name="Empty")
    make_profile(UserFactory(team=other_team), topics=["refunds"])
    proposal = cohort_proposal(program=program)
    assert (proposal.pairs, proposal.unmatched, proposal.total) == ((), (), 0)
    assert proposal.places == 0


@pytest.mark.django_db
def test_pairs_under_the_threshold_are_weak(other_team):
    program = make_program(name="Weak")
    wanted, vague = UserFactory(username="wanted"), UserFactory(username="vague")
    make_profile(wanted, open_to_mentor=False, develop=["refunds"])
    make_profile(vague, open_to_mentor=False, develop=["tax law"])
    for mentee in (wanted, vague):
        Participation.objects.create(program=program, mentee=mentee)
    make_profile(UserFactory(team=other_team, experience_level="experienced"), capacity=2,
                 topics=["refunds"])  # fmt: skip
    proposal = cohort_proposal(program=program)
    by_mentee = {pair.mentee: pair for pair in proposal.pairs}
    assert by_mentee[wanted].score >= WEAK
    assert not by_mentee[wanted].weak
    assert 0 < by_mentee[vague].score < WEAK
    assert by_mentee[vague].weak
    assert proposal.weak_pairs == 1
