"""Every hard constraint leaves the mentor out of the suggestions and the cohort, and says why
when someone asks "why not X?"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.matching.cohort import cohort_proposal
from mentorship.matching.constraints import exclusion_reasons, load_exclusions
from mentorship.matching.suggestions import mentor_suggestions
from mentorship.models import Pairing, Participation
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.training.builders import enrol, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee(team):
    person = UserFactory(username="mentee", display_name="Mia", team=team)
    make_profile(person, open_to_mentor=False, develop=["refunds"])
    return person


@pytest.fixture
def program():
    return make_program(name="Onboarding")


def guide(username="guide", **profile):
    person = UserFactory(username=username, team=TeamFactory())
    make_profile(person, topics=["refunds"], **profile)
    return person


def assert_excluded(program, mentee, person, reason: str) -> None:
    result = mentor_suggestions(program=program, mentee=mentee, about=person)
    assert person not in [s.mentor for s in result.suggestions]
    assert reason in result.about.reasons
    assert result.about.suggestion is None
    assert reason in exclusion_reasons(program=program, mentee=mentee, mentor=person)
    Participation.objects.get_or_create(program=program, mentee=mentee)
    proposal = cohort_proposal(program=program)
    assert person not in [p.mentor for p in proposal.pairs]


def test_capacity_reached(program, mentee):
    full = guide(capacity=1)
    make_pairing(program=make_program(name="Other"), mentor=full, mentee=UserFactory())
    assert_excluded(program, mentee, full, "At capacity: 1 of 1 mentees.")


def test_a_proposal_waiting_for_an_answer_holds_a_place_until_it_expires(program, mentee):
    full = guide(capacity=1)
    pairing = make_pairing(program=make_program(name="Other"), mentor=full,
                           mentee=UserFactory(), active=False)  # fmt: skip
    assert_excluded(program, mentee, full, "At capacity: 1 of 1 mentees.")
    later = pairing.request.expires_at + timedelta(minutes=1)
    assert exclusion_reasons(program=program, mentee=mentee, mentor=full, now=later) == ()


def test_mentor_training_not_completed(mentee, editor):
    track = make_track(owner=editor, title="Mentor training")
    program = make_program(name="Trained", required_track=track)
    untrained, trained = guide("untrained"), guide("trained")
    enrol(untrained, track)  # started is not completed
    enrol(trained, track, status="completed", completed_at=timezone.now(), certificate_code="C")
    assert_excluded(
        program, mentee, untrained, "Has not completed the mentor training track “Mentor training”."
    )
    assert [s.mentor for s in mentor_suggestions(program=program, mentee=mentee).suggestions] == [
        trained
    ]


def test_the_mentees_own_manager(program, mentee, manager):
    make_profile(manager, topics=["refunds"])
    assert_excluded(program, mentee, manager, "Mia's own manager.")


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("active", "Already their mentor in this programme."),
        ("proposed", "Already proposed as their mentor in this programme."),
        ("completed", "Already mentored them in this programme."),
        ("declined", "Declined to mentor them in this programme."),
        ("expired", "Did not answer their request in this programme in time."),
    ],
)
def test_already_paired_in_the_programme(program, mentee, status, reason):
    earlier = guide(capacity=3)
    pairing = make_pairing(program=program, mentor=earlier, mentee=mentee, active=False)
    fields = {"status": status}
    if status in ("active", "completed"):
        fields.update(started_on=timezone.localdate(), ends_on=timezone.localdate())
    Pairing.objects.filter(pk=pairing.pk).update(**fields)
    result = mentor_suggestions(program=program, mentee=mentee, about=earlier)
    assert earlier not in [s.mentor for s in result.suggestions]
    assert reason in result.about.reasons


def test_a_withdrawn_request_does_not_exclude(program, mentee):
    again = guide()
    pairing = make_pairing(program=program, mentor=again, mentee=mentee, active=False)
    Pairing.objects.filter(pk=pairing.pk).update(status="withdrawn")
    assert exclusion_reasons(program=program, mentee=mentee, mentor=again) == ()


def test_not_open_to_mentoring(program, mentee):
    closed = guide(open_to_mentor=False)
    assert_excluded(program, mentee, closed, "Not open to mentoring.")
    nobody = UserFactory(username="no-profile")
    assert_excluded(program, mentee, nobody, "Not open to mentoring.")


def test_inactive(program, mentee):
    gone = guide()
    gone.is_active = False
    gone.save()
    assert_excluded(program, mentee, gone, "Inactive: their account is switched off.")


def test_the_mentee_themselves(program, mentee):
    make_profile(mentee, topics=["refunds"], develop=["refunds"])
    result = mentor_suggestions(program=program, mentee=mentee, about=mentee)
    assert mentee not in [s.mentor for s in result.suggestions]
    assert result.about.reasons == ("That is the mentee themselves.",)


def test_several_reasons_are_all_given(mentee, manager, editor):
    track = make_track(owner=editor, title="Mentor training")
    program = make_program(name="Trained", required_track=track)
    make_profile(manager, capacity=1, topics=["refunds"])
    make_pairing(program=make_program(name="Other"), mentor=manager, mentee=UserFactory())
    reasons = exclusion_reasons(program=program, mentee=mentee, mentor=manager)
    assert reasons == (
        "At capacity: 1 of 1 mentees.",
        "Has not completed the mentor training track “Mentor training”.",
        "Mia's own manager.",
    )


def test_exclusions_read_a_fixed_number_of_queries(program, mentee, editor):
    program.required_track = make_track(owner=editor, title="Mentor training")
    program.save()
    counts = []
    for size in (1, 6):
        mentees = [UserFactory(team=TeamFactory()) for _ in range(size)]
        mentors = [guide(f"g{size}-{n}") for n in range(size)]
        for person, boss in zip(mentees, mentors, strict=True):
            person.team.managers.add(boss)
        with CaptureQueriesContext(connection) as queries:
            found = load_exclusions(
                program=program, mentees=mentees, mentor_ids=[m.pk for m in mentors]
            )
        counts.append(len(queries.captured_queries))
        assert len(found.by_pair) == size
    assert counts[0] == counts[1]
