"""Writes about what a person offers and wants (their mentoring profile) and how a programme
runs (its settings, matching weights and milestone templates).

Programmes are created in the admin; their managers change them here. Changing a
programme's milestone templates changes the milestones of pairings accepted afterwards, never
those of pairings already running (theirs were dated when they started).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentorship.models import MentoringProfile, MilestoneTemplate, Pairing, Participation, Program
from people.models import User

PROFILE_FIELDS = ("open_to_mentor", "capacity", "availability", "goals", "preferred_format")
TEXT_FIELDS = ("availability", "goals")
PROGRAM_FIELDS = (
    "description",
    "duration_weeks",
    "cadence_days",
    "accept_window_days",
    "is_open",
    "required_track",
)
# More milestones than this in one programme is a paste gone wrong, not a plan.
MAX_MILESTONES = 40


@transaction.atomic
def profile_update(*, user: User, data: dict) -> MentoringProfile:
    """Save `user`'s mentoring profile, creating it on first save. `data`: any of
    open_to_mentor, capacity, availability, goals, preferred_format, and topics and develop
    (names of the people app's skill vocabulary).

    The profile row is locked as the pairing services lock it, so a capacity lowered while a
    manager assigns this mentor is counted by one or the other, never neither. A capacity
    below the mentees already taken is allowed: those pairings go on, and nobody new is
    proposed until one ends.
    """
    if not user.is_active:
        raise PermissionDenied("Inactive people have no mentoring profile.")
    profile = MentoringProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = MentoringProfile(user=user)
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            setattr(profile, name, value.strip() if name in TEXT_FIELDS else value)
    profile.full_clean()
    profile.save()
    if "topics" in data:
        profile.topics.set(list(data["topics"]))
    if "develop" in data:
        profile.develop.set(list(data["develop"]))
    return profile


def _milestone_templates(program: Program, milestones) -> list[MilestoneTemplate]:
    """Validated templates for (title, offset) pairs; errors name the line's day and title."""
    milestones = list(milestones)
    if len(milestones) > MAX_MILESTONES:
        raise ValidationError({"milestones": f"Keep it to at most {MAX_MILESTONES} milestones."})
    last_day = program.duration_weeks * 7
    templates, errors = [], []
    for title, offset in milestones:
        title = " ".join(str(title).split())
        template = MilestoneTemplate(program=program, title=title, offset_days=offset)
        try:
            template.full_clean(exclude=["program"])
        except ValidationError as invalid:
            errors.extend(f"“{title[:60]}”: {m}" for m in invalid.messages)
            continue
        if offset > last_day:
            errors.append(
                f"“{title[:60]}” is on day {offset}, after the programme ends (day {last_day}, "
                f"{program.duration_weeks} weeks)."
            )
        templates.append(template)
    if errors:
        raise ValidationError({"milestones": errors})
    return templates


@transaction.atomic
def program_update(*, program: Program, user: User, data: dict) -> Program:
    """A programme manager (or an admin) changes how `program` runs. `data`: any of
    description, duration_weeks, cadence_days, accept_window_days, is_open, required_track
    (a published track, or None; none for peer mentoring), weights (a whole number 0-100 per
    matching factor, not all zero) and milestones ((title, day offset) pairs, replacing the
    templates)."""
    locked = Program.objects.select_for_update().filter(pk=program.pk).first()
    if locked is None:
        raise ValidationError("This programme no longer exists.")
    program.refresh_from_db()
    if not program.is_managed_by(user):
        raise PermissionDenied("Only the programme's managers can change it.")
    kept_track = program.required_track_id
    for name in PROGRAM_FIELDS:
        if name in data:
            setattr(program, name, data[name])
    # A track chosen now must be one mentors can take; one chosen earlier and unpublished
    # since stays until someone changes it (its completions still count).
    track = program.required_track if program.required_track_id else None
    if track is not None and track.pk != kept_track and track.status != "published":
        raise ValidationError(
            {"required_track": "Choose a published track: mentors cannot complete a draft."}
        )
    if "weights" in data:
        program.weights = dict(data["weights"])
    program.full_clean()
    program.save()
    if "milestones" in data:
        templates = _milestone_templates(program, data["milestones"])
        program.milestones.all().delete()
        MilestoneTemplate.objects.bulk_create(templates)
    return program


def require_open(program: Program) -> None:
    """Closed programmes take no new mentees and no new pairings."""
    if not program.is_open:
        raise ValidationError("This programme is closed: it takes no new pairings.")


@transaction.atomic
def participation_join(*, program: Program, mentee: User, by: User | None = None) -> Participation:
    """`mentee` joins `program` as a mentee (themselves, or added by someone who may pair
    them). Joining twice changes nothing."""
    require_open(program)
    by = by or mentee
    if by.pk != mentee.pk and not program.can_pair(by, mentee):
        raise PermissionDenied("Only their manager or a programme manager can add them.")
    if not mentee.is_active:
        raise ValidationError(f"{mentee.name}'s account is switched off.")
    participation, _ = Participation.objects.get_or_create(
        program=program, mentee=mentee, defaults={"added_by": None if by == mentee else by}
    )
    return participation


@transaction.atomic
def participation_leave(*, program: Program, mentee: User) -> None:
    """Leave a programme's cohort; a live pairing must be ended or withdrawn first."""
    if Pairing.objects.live().filter(program=program, mentee=mentee).exists():
        raise ValidationError("End or withdraw your pairing in this programme first.")
    Participation.objects.filter(program=program, mentee=mentee).delete()
