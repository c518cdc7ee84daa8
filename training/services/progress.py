"""A learner's progress through a track: which steps count, completing one, and completing
the track (with its certificate) once every step that counts is done."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kb.models import Article
from notifications.services import notify
from training.models import Enrolment, Session, SessionSignup, StepCompletion, Track, TrackStep


def steps_for_learner(*, track: Track, user) -> tuple[list[TrackStep], list[TrackStep]]:
    """The track's steps as `user` takes them: (steps that count, steps skipped).

    A step pointing at an article `user` may not read (restricted, archived, deleted) or at
    a session they may not see (or that was cancelled) is skipped for them, not a wall: the
    track stays completable, and the owner is told about the step (`training.reminders.living`
    and the editor's flags). Two queries.
    """
    steps = list(track.steps.select_related("article__published_revision", "session"))
    article_ids = {s.article_id for s in steps if s.kind == TrackStep.Kind.ARTICLE and s.article_id}
    session_ids = {s.session_id for s in steps if s.kind == TrackStep.Kind.SESSION and s.session_id}
    readable = set(
        Article.objects.published().visible_to(user).filter(pk__in=article_ids).values_list(
            "pk", flat=True
        )
    ) if article_ids else set()  # fmt: skip
    visible = set(
        Session.objects.visible_to(user)
        .scheduled()
        .filter(pk__in=session_ids)
        .values_list("pk", flat=True)
    ) if session_ids else set()  # fmt: skip
    counted, skipped = [], []
    for step in steps:
        if step.kind == TrackStep.Kind.ARTICLE:
            ok = step.article_id in readable
        elif step.kind == TrackStep.Kind.SESSION:
            ok = step.session_id in visible
        else:
            ok = True
        (counted if ok else skipped).append(step)
    return counted, skipped


def _new_certificate_code() -> str:
    raw = secrets.token_hex(6).upper()  # 48 random bits: not guessable, short enough to read out
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _lock(enrolment: Enrolment) -> Enrolment:
    """The enrolment, locked for the rest of the transaction (two tabs completing the last
    two steps at once complete the track once)."""
    return (
        Enrolment.objects.select_for_update().select_related("track", "user").get(pk=enrolment.pk)
    )


@transaction.atomic
def step_complete(
    *,
    enrolment: Enrolment,
    step: TrackStep,
    evidence: str = "",
    awaiting_review: bool = False,
) -> StepCompletion:
    """Record `step` done in `enrolment` (or, with `awaiting_review`, handed in for a
    reviewer to confirm), then complete the track if nothing that counts is left.

    Doing a step again updates it: re-reading an article step records the revision read now,
    which clears "updated since you completed it". Steps may be done in any order.
    """
    enrolment = _lock(enrolment)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError("You left this track; enrol again to continue.")
    if step.track_id != enrolment.track_id:
        raise ValidationError("This step belongs to another track.")
    revision_id = None
    if step.kind == TrackStep.Kind.ARTICLE and step.article_id:
        revision_id = (
            Article.objects.filter(pk=step.article_id)
            .values_list("published_revision_id", flat=True)
            .first()
        )
    status = (
        StepCompletion.Status.AWAITING_REVIEW if awaiting_review else StepCompletion.Status.DONE
    )
    completion = StepCompletion.objects.filter(enrolment=enrolment, step=step).first()
    if completion is None:
        completion = StepCompletion(enrolment=enrolment, step=step)
    elif completion.status == StepCompletion.Status.DONE:
        status = StepCompletion.Status.DONE  # handing in again never undoes a confirmation
    completion.status = status
    completion.completed_at = timezone.now()
    completion.revision_id = revision_id
    if evidence:
        completion.evidence = evidence
    completion.full_clean(validate_unique=False, validate_constraints=False)
    completion.save()
    enrolment_settle(enrolment=enrolment)
    return completion


@transaction.atomic
def enrolment_settle(*, enrolment: Enrolment) -> Enrolment:
    """Complete an active enrolment whose counted steps are all done: date it, give it a
    certificate code, and tell whoever assigned it. Safe to call any time; a completed
    enrolment stays completed (its certificate was earned)."""
    enrolment = _lock(enrolment)
    if enrolment.status != Enrolment.Status.ACTIVE:
        return enrolment
    counted, _ = steps_for_learner(track=enrolment.track, user=enrolment.user)
    if not counted:
        return enrolment  # an empty track is never "complete"
    done = set(
        enrolment.completions.done().filter(step__in=counted).values_list("step_id", flat=True)
    )
    if len(done) < len(counted):
        return enrolment
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.certificate_code = _new_certificate_code()
    enrolment.save(update_fields=["status", "completed_at", "certificate_code"])
    if enrolment.assigned_by_id and enrolment.assigned_by_id != enrolment.user_id:
        notify(
            recipient=enrolment.assigned_by,
            kind="training.completed",
            message=f"{enrolment.user.name} completed the track “{enrolment.track}”.",
            url=enrolment.get_certificate_url(),
            dedupe_key=f"training.completed:{enrolment.pk}",
        )
    return enrolment


@transaction.atomic
def enrolment_credit_attendance(*, enrolment: Enrolment) -> Enrolment:
    """Complete the "attend" steps of sessions the learner already attended before enrolling
    (attendance recorded earlier completes only the enrolments that existed then), then
    settle. One query when there is nothing to credit."""
    attended = SessionSignup.objects.filter(user=enrolment.user_id, attended=True).values("session")
    steps = (
        TrackStep.objects.filter(track=enrolment.track_id, kind=TrackStep.Kind.SESSION)
        .filter(session__in=attended)
        .exclude(completions__enrolment=enrolment, completions__status=StepCompletion.Status.DONE)
    )
    for step in steps:
        step_complete(enrolment=enrolment, step=step)
    return enrolment
