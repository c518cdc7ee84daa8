"""A mentee's ranked suggestions: best fit first, hard constraints left out (and explained on
request), the fairness rotation inside a band of close scores, and the page's record of whom
it showed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mentorship.matching.scoring import score_pair
from mentorship.matching.suggestions import (
    BAND,
    _Candidate,
    mentor_suggestions,
    rotation_note,
    rotation_order,
)
from mentorship.models import MentoringProfile
from mentorship.models.programs import FACTORS
from mentorship.services.matching import suggestions_record
from questions.models import Question
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee(team):
    person = UserFactory(username="mentee", team=team, experience_level="new")
    make_profile(person, open_to_mentor=False, develop=["refunds", "chargebacks"])
    return person


def skills_only(name="Skills only"):
    weights = {f: 0 for f in FACTORS}
    weights["skills"] = 1
    return make_program(name=name, weights=weights)


def person(username, *, topics=(), capacity=2, **fields):
    user = UserFactory(username=username, display_name=username.title(), **fields)
    make_profile(user, topics=topics, capacity=capacity)
    return user


def test_best_fit_first_with_breakdown_and_load(mentee, other_team):
    program = make_program(name="Onboarding")
    both = person("both", topics=["refunds", "chargebacks"], team=other_team)
    one = person("one", topics=["refunds"], team=other_team)
    none = person("none", team=other_team)
    result = mentor_suggestions(program=program, mentee=mentee)
    assert [s.mentor for s in result.suggestions] == [both, one, none]
    first = result.suggestions[0]
    assert first.rank == 1
    assert sum(line.points for line in first.lines) == first.score
    assert (first.score, first.lines) == score_pair(program=program, mentee=mentee, mentor=both)
    assert (first.load, first.capacity, first.places_left) == (0, 2, 2)
    assert result.eligible == 3
    assert result.excluded == 0
    assert result.live_pairing is None
    assert result.pool == (both, none, one)  # by name, for "why not …?"


def test_limit_cuts_the_list_not_the_count(mentee):
    program = skills_only()
    for n in range(4):
        person(f"m{n}", topics=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee, limit=2)
    assert len(result.suggestions) == 2
    assert result.eligible == 4


def test_excluded_mentors_are_never_suggested_and_are_counted(mentee, manager, team):
    program = skills_only()
    make_profile(manager, topics=["refunds", "chargebacks"])  # the mentee's own manager
    full = person("full", topics=["refunds", "chargebacks"], capacity=1)
    make_pairing(program=make_program(name="Other"), mentor=full, mentee=UserFactory())
    fine = person("fine", topics=["refunds"])
    make_profile(mentee, open_to_mentor=True, develop=["refunds", "chargebacks"])  # themselves
    result = mentor_suggestions(program=program, mentee=mentee)
    assert [s.mentor for s in result.suggestions] == [fine]
    assert result.excluded == 2  # the mentee is not counted among the pool
    assert mentee not in result.pool


def test_why_not_an_excluded_person_gives_the_reasons(mentee, manager):
    program = skills_only()
    make_profile(manager, topics=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee, about=manager)
    assert result.about.person == manager
    assert result.about.reasons == ("Mentee's own manager.".replace("Mentee", mentee.name),)
    assert result.about.suggestion is None


def test_why_not_someone_not_open_to_mentoring(mentee):
    closed = UserFactory(username="closed")
    result = mentor_suggestions(program=skills_only(), mentee=mentee, about=closed)
    assert result.about.reasons == ("Not open to mentoring.",)
    assert closed not in result.pool


def test_why_not_an_eligible_person_gives_score_rank_and_breakdown(mentee):
    program = skills_only()
    person("best", topics=["refunds", "chargebacks"])
    later = person("later", topics=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee, about=later, limit=1)
    assert [s.mentor.username for s in result.suggestions] == ["best"]
    assert result.about.reasons == ()
    assert result.about.suggestion.rank == 2
    assert result.about.suggestion.score == 50
    assert result.about.suggestion.lines[0].text.startswith("Can help with refunds")


def test_a_live_pairing_is_reported(mentee):
    program = skills_only()
    guide = person("guide", topics=["refunds"])
    pairing = make_pairing(program=program, mentor=guide, mentee=mentee, active=False)
    result = mentor_suggestions(program=program, mentee=mentee)
    assert result.live_pairing == pairing


# --- Fairness rotation --------------------------------------------------------------------


def cand(pk, score, *, load=0, last=None, name=None):
    return _Candidate(j=pk, score=score, load=load, last_suggested_at=last,
                      name=name or f"p{pk}", pk=pk)  # fmt: skip


def test_rotation_orders_a_band_by_load_then_last_suggested_then_name():
    now = timezone.now()
    order = rotation_order(
        [
            cand(1, 90, load=1),
            cand(2, 88, load=0, last=now),
            cand(3, 86, load=0, last=now - timedelta(days=1)),
            cand(4, 86, load=0, name="a"),  # never suggested, comes first
            cand(5, 80),  # more than BAND below 90: the next band
            cand(6, 79, load=0),
        ]
    )
    assert [c.pk for c in order] == [4, 3, 2, 1, 5, 6]


def test_a_higher_score_listed_below_a_lower_one_says_why():
    now = timezone.now()
    assert rotation_note(cand(1, 86, load=0, name="Ann"), cand(2, 90, load=1)) == (
        f"Within {BAND} points of Ann above, who has fewer current mentees."
    )
    assert rotation_note(cand(1, 86, name="Ann"), cand(2, 90, last=now)) == (
        f"Within {BAND} points of Ann above, who has not been suggested yet."
    )
    earlier = cand(1, 86, last=now - timedelta(days=1), name="Ann")
    assert rotation_note(earlier, cand(2, 90, last=now)) == (
        f"Within {BAND} points of Ann above, who was suggested less recently."
    )
    assert rotation_note(cand(1, 86, name="Ann"), cand(2, 90, name="Bo")).endswith("by name.")
    # In score order, nothing to explain.
    assert rotation_note(cand(1, 90), cand(2, 86, load=5)) == ""
    assert rotation_note(cand(1, 90), cand(2, 90)) == ""


def test_suggestions_carry_the_rotation_note(mentee):
    program = make_program(name="Weighted", weights={f: 0 for f in FACTORS} | {"skills": 1})
    both = person("both", topics=["refunds", "chargebacks"])
    make_pairing(program=make_program(name="Other"), mentor=both, mentee=UserFactory())
    one = person("one", topics=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee)
    assert [s.score for s in result.suggestions] == [100, 50]  # 50 apart: no rotation
    assert [s.rotated for s in result.suggestions] == ["", ""]
    # Scores 4 apart (skills 96%: 25 of 26 wanted) with the better one busier.
    wants = [f"skill {n}" for n in range(25)]
    mentee.mentoring_profile.develop.set([*wants, "refunds"])
    both.mentoring_profile.topics.set([*wants, "refunds"])
    one.mentoring_profile.topics.set(wants)
    result = mentor_suggestions(program=program, mentee=mentee)
    assert [(s.mentor, s.score) for s in result.suggestions] == [(one, 96), (both, 100)]
    assert result.suggestions[0].rotated == ""
    assert result.suggestions[1].rotated == (
        f"Within {BAND} points of One above, who has fewer current mentees."
    )


def test_strongest_reasons_are_the_best_scoring_factors(mentee, other_team):
    program = make_program(name="Onboarding")
    guide = person("guide", topics=["refunds", "chargebacks"], team=other_team,
                   experience_level="experienced")  # fmt: skip
    (first,) = mentor_suggestions(program=program, mentee=mentee).suggestions
    best = first.strongest
    assert 0 < len(best) <= 3
    assert [line.points for line in best] == sorted((line.points for line in best), reverse=True)
    assert all(line.points > 0 for line in best)
    assert best[0].factor == "skills"
    shown = {line.factor for line in best}
    assert all(line.points <= best[-1].points for line in first.lines if line.factor not in shown)
    assert guide == first.mentor


def test_the_summary_says_what_the_mentee_asked_for(mentee):
    mentee.career_goals = "Join escalations."
    mentee.save()
    MentoringProfile.objects.filter(user=mentee).update(
        goals="Learn refunds.", preferred_format="chat"
    )
    summary = mentor_suggestions(program=make_program(name="P"), mentee=mentee).summary
    assert summary.person == mentee
    assert summary.person.team == mentee.team
    assert summary.wishes == ("chargebacks", "refunds")
    assert (summary.goals, summary.preferred_format, summary.has_profile) == (
        "Learn refunds.",
        "Chat",
        True,
    )
    assert summary.person.career_goals == "Join escalations."


def test_a_mentee_without_a_profile_has_an_empty_summary(team):
    newcomer = UserFactory(team=team)
    summary = mentor_suggestions(program=make_program(name="P"), mentee=newcomer).summary
    assert (summary.wishes, summary.goals, summary.has_profile) == ((), "", False)
    assert summary.preferred_format == "No preference"


def test_rotation_never_lifts_a_score_more_than_a_band():
    scores = [100, 96, 95, 94, 90, 89, 70, 66]
    order = rotation_order([cand(n, s, load=10 - n) for n, s in enumerate(scores)])
    shown = [c.score for c in order]
    for n, score in enumerate(shown):
        assert all(score >= later - BAND for later in shown[n:])


@pytest.mark.parametrize("band", [3, 4, 5, 7])
def test_repeated_viewing_spreads_the_top_pick_across_a_tie_band(mentee, band):
    program = skills_only()
    tied = [person(f"tied{n}", topics=["refunds"]) for n in range(band)]
    person("weak")  # far below: never in the band
    tops = []
    start = timezone.now()
    for view in range(band):
        result = mentor_suggestions(program=program, mentee=mentee)
        assert {s.mentor for s in result.suggestions[:band]} == set(tied)
        tops.append(result.suggestions[0].mentor)
        suggestions_record(
            mentor_ids=[result.suggestions[0].mentor.pk], now=start + timedelta(seconds=view)
        )
    assert set(tops) == set(tied)


def test_fewer_live_mentees_come_first_within_a_band(mentee):
    program = skills_only()
    busy = person("aaa-busy", topics=["refunds"])
    make_pairing(program=make_program(name="Other"), mentor=busy, mentee=UserFactory())
    free = person("zzz-free", topics=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee)
    assert [s.mentor for s in result.suggestions] == [free, busy]
    assert result.suggestions[1].load == 1


def test_suggestions_record_stamps_in_one_update(mentee, django_assert_num_queries):
    a, b, c = (person(name, topics=["refunds"]) for name in ("a", "b", "c"))
    now = timezone.now()
    with django_assert_num_queries(1):
        assert suggestions_record(mentor_ids=[a.pk, b.pk], now=now) == 2
    stamps = dict(MentoringProfile.objects.values_list("user_id", "last_suggested_at"))
    assert stamps[a.pk] == stamps[b.pk] == now
    assert stamps[c.pk] is None
    assert suggestions_record(mentor_ids=[]) == 0


def test_the_selector_writes_nothing(mentee, django_assert_max_num_queries):
    person("a", topics=["refunds"], team=TeamFactory())
    program = skills_only()
    # Accepted answers are found through their questions' tags, whose content type Django
    # reads once per process: read before counting, as any page before this one would have.
    ContentType.objects.get_for_model(Question)
    with django_assert_max_num_queries(21) as queries:
        mentor_suggestions(program=program, mentee=mentee)
    assert not [q for q in queries.captured_queries if not q["sql"].startswith("SELECT")]
