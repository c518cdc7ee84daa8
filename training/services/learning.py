"""Taking a track: enrolling and leaving, reading an article step (and re-reading it when the
knowledge base changes), marking a resource done, handing in a practical task for a reviewer,
and quiz attempts. Completing a step always goes through `progress.step_complete`, which
completes the track (with its certificate) once every step that counts is done."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kb.models import Article
from notifications.services import notifications_settle, notify
from people.models import Role, User
from training.models import Enrolment, QuizAttempt, StepCompletion, Track, TrackStep
from training.services import progress

EVIDENCE_MAX_LENGTH = 5000


# --- Enrolling -----------------------------------------------------------------------------


@transaction.atomic
def track_enrol(*, track: Track, user) -> Enrolment:
    """Enrol `user` in a published track they may see. Enrolling twice is the same enrolment
    (one row per person and track); a withdrawn one is taken up again with its progress kept,
    and completes at once if nothing is left to do."""
    if not Track.objects.published().visible_to(user).filter(pk=track.pk).exists():
        raise ValidationError("This track is not open for enrolment.")
    # get_or_create retries the read when a concurrent enrolment wins the unique constraint.
    enrolment, created = Enrolment.objects.get_or_create(user=user, track=track)
    if created:
        return progress.enrolment_credit_attendance(enrolment=enrolment)
    if enrolment.status != Enrolment.Status.WITHDRAWN:
        return enrolment
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.withdrawn_at = None
        enrolment.save(update_fields=["status", "withdrawn_at"])
    return progress.enrolment_settle(enrolment=enrolment)


@transaction.atomic
def track_withdraw(*, enrolment: Enrolment, user) -> Enrolment:
    """The learner leaves a track they are taking. Their progress is kept for when they enrol
    again; a manager who assigned the track is told. A completed track cannot be left: its
    certificate was earned."""
    if enrolment.user_id != user.pk:
        raise PermissionDenied("Only the learner leaves their track.")
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("track", "user", "assigned_by")
        .get(pk=enrolment.pk)
    )
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise ValidationError("You completed this track; your certificate stays valid.")
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError("You already left this track.")
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    assigner = enrolment.assigned_by
    if assigner is not None and assigner.pk != user.pk and assigner.is_active:
        notify(
            recipient=assigner,
            kind="training.withdrawn",
            message=f"{user.name} left the track “{enrolment.track}” you assigned.",
            url=enrolment.track.get_absolute_url(),
            dedupe_key=f"training.withdrawn:{enrolment.pk}:{enrolment.withdrawn_at.isoformat()}",
        )
    return enrolment


# --- Steps ---------------------------------------------------------------------------------


def _check_step(enrolment: Enrolment, step: TrackStep, kind: str) -> None:
    if step.kind != kind:
        raise ValidationError(f"This step is not a {TrackStep.Kind(kind).label.lower()} step.")
    if step.track_id != enrolment.track_id:
        raise ValidationError("This step belongs to another track.")
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError("You left this track; enrol again to continue.")


def _outdated_prefix(completion: StepCompletion) -> str:
    """What every "updated since you read it" notice of `completion` starts with (the
    reminder source `training.reminders.living` writes them)."""
    return f"training.outdated:{completion.pk}:"


@transaction.atomic
def article_step_read(*, enrolment: Enrolment, step: TrackStep) -> StepCompletion:
    """The learner read the step's article: the step is done on the revision published now.
    Reading it again after the knowledge base changed clears "updated since you completed
    it", and marks the notices that said so read."""
    _check_step(enrolment, step, TrackStep.Kind.ARTICLE)
    readable = (
        step.article_id is not None
        and Article.objects.published()
        .visible_to(enrolment.user)
        .filter(pk=step.article_id)
        .exists()
    )
    if not readable:
        raise ValidationError("You cannot read this article, so this step is skipped for you.")
    completion = progress.step_complete(enrolment=enrolment, step=step)
    notifications_settle(dedupe_prefix=_outdated_prefix(completion))
    return completion


@transaction.atomic
def external_step_done(*, enrolment: Enrolment, step: TrackStep) -> StepCompletion:
    """The learner went through an external resource."""
    _check_step(enrolment, step, TrackStep.Kind.EXTERNAL)
    return progress.step_complete(enrolment=enrolment, step=step)


@transaction.atomic
def task_evidence_submit(*, enrolment: Enrolment, step: TrackStep, evidence: str) -> StepCompletion:
    """The learner hands in a practical task's reflection or evidence. When the step asks for
    a reviewer, it waits for one (the track owner, a KB editor or the learner's manager),
    and the reviewers are told once per hand-in; otherwise it is done."""
    _check_step(enrolment, step, TrackStep.Kind.TASK)
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": "Write what you did and what you learned."})
    if "\x00" in evidence:
        raise ValidationError({"evidence": "The text contains a character that is not allowed."})
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ValidationError(
            {"evidence": f"Keep it to {EVIDENCE_MAX_LENGTH} characters (it has {len(evidence)})."}
        )
    completion = progress.step_complete(
        enrolment=enrolment,
        step=step,
        evidence=evidence,
        awaiting_review=step.requires_confirmation,
    )
    if completion.status == StepCompletion.Status.AWAITING_REVIEW:
        learner = enrolment.user
        for reviewer in task_reviewers(completion):
            notify(
                recipient=reviewer,
                kind="training.task_review",
                message=(
                    f"{learner.name} handed in “{step}” in “{step.track}”: it is waiting "
                    "for your review."
                ),
                url=_reviews_url(),
                dedupe_key=f"training.task-review:{completion.pk}:{reviewer.pk}",
            )
    return completion


def _reviews_url() -> str:
    return reverse("training:task-reviews")


def task_reviewers(completion: StepCompletion) -> list[User]:
    """Who is asked to confirm a practical task: the track owner and the learner's team
    managers; the KB editors when there is nobody else. Never the learner."""
    enrolment = completion.enrolment
    learner = enrolment.user
    people = User.objects.active().exclude(pk=learner.pk)
    chosen = list(people.filter(pk=enrolment.track.owner_id))
    if learner.team_id:
        chosen += list(
            people.filter(managed_teams=learner.team_id).exclude(pk__in=[p.pk for p in chosen])
        )
    if not chosen:
        chosen = list(people.with_role(Role.KB_EDITOR))
    return chosen


@transaction.atomic
def task_confirm(*, completion: StepCompletion, reviewer) -> StepCompletion:
    """A reviewer confirms a learner's evidence: the step counts as done (and may complete the
    track); the learner is told, and the other reviewers' requests are marked read, as
    nothing waits for them any more."""
    if not completion.can_be_confirmed_by(reviewer):
        raise PermissionDenied("You cannot confirm this learner's task.")
    completion = StepCompletion.objects.select_for_update().get(pk=completion.pk)
    if completion.status != StepCompletion.Status.AWAITING_REVIEW:
        raise ValidationError("This task is not waiting for a reviewer.")
    if completion.enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError("The learner left this track.")
    completion.status = StepCompletion.Status.DONE
    completion.reviewed_by = reviewer
    completion.reviewed_at = timezone.now()
    completion.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    progress.enrolment_settle(enrolment=completion.enrolment)
    notify(
        recipient=completion.enrolment.user,
        kind="training.task_confirmed",
        message=f"{reviewer.name} confirmed your task “{completion.step}”.",
        url=completion.enrolment.track.get_absolute_url(),
        dedupe_key=f"training.task-confirmed:{completion.pk}:{completion.reviewed_at.isoformat()}",
    )
    notifications_settle(dedupe_prefix=f"training.task-review:{completion.pk}:")
    return completion


# --- Quizzes -------------------------------------------------------------------------------


def _as_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    return int(str(value).strip())


def _clean_answers(answers, questions) -> dict[int, set[int]]:
    """{question id: chosen option ids}, refusing what is not part of the quiz."""
    if not isinstance(answers, Mapping):
        raise ValidationError("Send the answers as question ids with chosen option ids.")
    options_of = {q.pk: {o.pk for o in q.options.all()} for q in questions}
    chosen: dict[int, set[int]] = {}
    for key, values in answers.items():
        try:
            question_id = _as_id(key)
            if isinstance(values, str | int):
                values = [values]
            option_ids = {_as_id(v) for v in values}
        except (TypeError, ValueError) as bad:
            raise ValidationError("The answers could not be read; send the form again.") from bad
        if question_id not in options_of:
            raise ValidationError("One of the answers is for a question that is not in this quiz.")
        if not option_ids <= options_of[question_id]:
            raise ValidationError("One of the answers is not an option of its question.")
        chosen[question_id] = option_ids
    return chosen


def correct_options(question) -> set[int]:
    """The ids of a question's right options (from its prefetched options)."""
    return {o.pk for o in question.options.all() if o.is_correct}


@transaction.atomic
def quiz_attempt_submit(*, enrolment: Enrolment, step: TrackStep, answers: Mapping) -> QuizAttempt:
    """Score an attempt at a quiz and record it. The score is the percentage of questions
    answered exactly right (every right option chosen, no wrong one; an unanswered question
    is wrong), rounded down, so "passed" (score >= pass mark) never rounds a fail up.
    Passing completes the step; failing leaves it open for another attempt. `answers`:
    {question id: [option ids]}; ids not in this quiz are refused."""
    _check_step(enrolment, step, TrackStep.Kind.QUIZ)
    questions = list(step.questions.prefetch_related("options"))
    if not questions:
        raise ValidationError("This quiz has no questions yet.")
    chosen = _clean_answers(answers, questions)
    right = sum(1 for q in questions if chosen.get(q.pk, set()) == correct_options(q))
    score = right * 100 // len(questions)
    attempt = QuizAttempt(
        enrolment=enrolment,
        step=step,
        answers={str(q): sorted(ids) for q, ids in sorted(chosen.items())},
        score=score,
        passed=score >= (step.pass_mark or 100),
    )
    attempt.full_clean()
    attempt.save()
    if attempt.passed:
        progress.step_complete(enrolment=enrolment, step=step)
    return attempt
