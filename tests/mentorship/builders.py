"""Builders for mentorship tests: programmes, mentoring profiles and pairings in any state.

They write rows directly (the services are tested on their own), except `make_pairing(
active=True)`, which goes through the real request and accept services so an active pairing
has its request, dates and milestones exactly as one made in the app.
"""

from __future__ import annotations

from django.utils.text import slugify

from mentorship.models import MentoringProfile, MilestoneTemplate, Pairing, Program
from mentorship.services import pairings


def make_program(*, name: str = "Onboarding mentoring", managers=(), milestones=(), **fields):
    """An open classic programme with no training prerequisite unless `required_track=` is
    given; `milestones` are (title, offset days) pairs."""
    program = Program.objects.create(name=name, slug=fields.pop("slug", slugify(name)), **fields)
    program.managers.set(managers)
    for title, offset in milestones:
        MilestoneTemplate.objects.create(program=program, title=title, offset_days=offset)
    return program


def make_profile(user, *, open_to_mentor: bool = True, capacity: int = 2, topics=(),
                 develop=(), **fields) -> MentoringProfile:  # fmt: skip
    profile, _ = MentoringProfile.objects.update_or_create(
        user=user, defaults={"open_to_mentor": open_to_mentor, "capacity": capacity, **fields}
    )
    profile.topics.set(list(topics))
    profile.develop.set(list(develop))
    return profile


def make_pairing(*, program, mentor, mentee, active: bool = True) -> Pairing:
    """A pairing the mentee asked for: proposed, or (`active`) accepted by the mentor. The
    mentor gets an open profile if they have none."""
    if not MentoringProfile.objects.filter(user=mentor, open_to_mentor=True).exists():
        make_profile(mentor)
    pairing = pairings.pairing_request(program=program, mentee=mentee, mentor=mentor)
    if active:
        pairing = pairings.pairing_accept(pairing=pairing, mentor=mentor)
    return pairing
