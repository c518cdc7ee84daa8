"""The demo organisation's mentorship: three programmes, profiles, pairings in every state a
programme manager meets and a cohort left to match; seeding twice changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from mentorship.demo import ONBOARDING, PEER, REVERSE
from mentorship.matching.constraints import load_exclusions
from mentorship.models import (
    ActionItem,
    Goal,
    Meeting,
    MentoringProfile,
    MentorRequest,
    Pairing,
    PairingFeedback,
    Participation,
    Program,
)
from notifications.models import Notification
from people.models import User
from training.models import Enrolment

LEVELS = ["new", "developing", "experienced", "expert"]

pytestmark = pytest.mark.django_db


def _rows() -> dict[str, int]:
    counted = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("mentorship").get_models()
    }
    return {**counted, "notifications": Notification.objects.count()}


def _health() -> dict[int, Pairing]:
    return {p.pk: p for p in Pairing.objects.with_health().select_related("program", "mentee")}


def test_seeding_twice_changes_nothing(demo):
    rows = _rows()
    states = list(Pairing.objects.order_by("pk").values_list("status", "started_on", "ends_on"))
    call_command("seed_demo", verbosity=0)
    assert _rows() == rows
    assert (
        list(Pairing.objects.order_by("pk").values_list("status", "started_on", "ends_on"))
        == states
    )


def test_three_programmes_classic_reverse_and_peer(demo):
    programs = {p.slug: p for p in Program.objects.prefetch_related("managers", "milestones")}
    assert {slug: programs[slug].kind for slug in (ONBOARDING, REVERSE, PEER)} == {
        ONBOARDING: "classic", REVERSE: "reverse", PEER: "peer"
    }  # fmt: skip
    onboarding = programs[ONBOARDING]
    assert onboarding.required_track.slug == "mentor-training"
    assert [(m.title, m.offset_days) for m in onboarding.milestones.all()] == [
        ("First meeting and goals agreed", 7), ("Midpoint check-in", 42), ("Wrap-up", 84)
    ]  # fmt: skip
    assert [m.username for m in onboarding.managers.all()] == ["manager"]
    assert programs[PEER].required_track is None
    for program in programs.values():
        program.full_clean()  # weights and the peer rule hold
        assert program.is_open


def test_a_dozen_mentors_most_of_them_trained_with_topics_from_the_skill_vocabulary(demo):
    pool = list(MentoringProfile.objects.mentor_pool().select_related("user"))
    assert len(pool) >= 12
    assert all(1 <= profile.capacity <= 3 for profile in pool)
    trained = set(
        Enrolment.objects.completed()
        .filter(track__slug="mentor-training")
        .values_list("user_id", flat=True)
    )
    onboarding_mentors = {p.mentor_id for p in Pairing.objects.filter(program__slug=ONBOARDING)}
    assert onboarding_mentors <= trained
    assert len(trained & {p.user_id for p in pool}) >= 5
    for profile in pool:
        topics = list(profile.topics.all())
        assert topics, profile
        # Words people already use: the matching compares them with people's skills.
        for skill in topics:
            assert User.objects.filter(skills=skill).exists(), skill.name


def test_every_pairing_state_is_there(demo):
    health = _health()
    now = timezone.now()
    active = [p for p in health.values() if p.is_active]
    assert len(active) >= 4
    # One at risk (no meeting in two cadences), the others meeting.
    at_risk = [p for p in active if p.is_at_risk(now)]
    assert len(at_risk) == 1
    assert all(p.meetings_held >= 1 for p in active)
    # A full plan: goals (one linked to a track), milestones, meetings with notes and action
    # items, and a meeting ahead.
    planned = max(active, key=lambda p: (p.goal_count, p.meetings_held))
    assert planned.goal_count >= 3
    assert planned.goals_met >= 1
    assert planned.next_meeting_at is not None
    assert Goal.objects.filter(pairing=planned, track__isnull=False).exists()
    assert planned.milestones.filter(done_at__isnull=False).exists()
    assert Meeting.objects.filter(pairing=planned).exclude(notes="").count() >= 2
    assert ActionItem.objects.filter(meeting__pairing=planned, done=False).exists()
    # Completed, with feedback from both sides.
    completed = Pairing.objects.get(status="completed")
    assert {f.author_id for f in PairingFeedback.objects.filter(pairing=completed)} == {
        completed.mentor_id, completed.mentee_id
    }  # fmt: skip
    # A request waiting for the demo mentor.
    waiting = MentorRequest.objects.open().select_related("pairing__mentor").get()
    assert waiting.pairing.mentor.username == "mentor"
    assert waiting.message
    # History: pairings started weeks ago, with their milestones dated from then.
    for pairing in health.values():
        pairing.full_clean()
        if pairing.started_on:
            assert pairing.started_on < timezone.localdate()
            first = pairing.milestones.first()
            offset = pairing.program.milestones.first().offset_days
            assert (first.due_on - pairing.started_on).days == offset


def test_reverse_mentors_are_junior_to_their_mentees(demo):
    pairing = Pairing.objects.select_related("mentor", "mentee").get(program__slug=REVERSE)
    mentor, mentee = pairing.mentor, pairing.mentee
    assert LEVELS.index(mentor.experience_level) < LEVELS.index(mentee.experience_level)


def test_unmatched_mentees_the_agent_among_them_each_have_someone_to_match(demo):
    program = Program.objects.get(slug=ONBOARDING)
    cohort = [p.mentee for p in Participation.objects.unmatched().filter(program=program)]
    assert "agent" in {m.username for m in cohort}
    assert len(cohort) >= 4
    pool = list(MentoringProfile.objects.mentor_pool().values_list("user_id", flat=True))
    found = load_exclusions(program=program, mentees=cohort, mentor_ids=pool)
    for mentee in cohort:
        assert any(found.allows(mentee.pk, m) for m in pool), mentee.username
    # "Why not Theo?" has an answer: he has not completed mentor training.
    theo = User.objects.get(username="theo.laurent")
    assert any("mentor training" in r for r in found.by_mentor[theo.pk])
    # Every programme has someone waiting.
    for slug in (REVERSE, PEER):
        assert Participation.objects.unmatched().filter(program__slug=slug).exists()


def test_what_happened_long_ago_was_read_and_what_waits_was_not(demo):
    mentorship = Notification.objects.filter(kind__startswith="mentorship.")
    unread = mentorship.filter(read_at=None).select_related("recipient")
    # The mentor's request to answer, and the meeting the mentee planned for later this week.
    assert {(n.recipient.username, n.kind) for n in unread} == {
        ("mentor", "mentorship.request"), ("mentor", "mentorship.meeting_planned")
    }  # fmt: skip
    assert mentorship.filter(read_at__isnull=False).count() >= 10
    assert not mentorship.filter(created_at__gt=timezone.now()).exists()
