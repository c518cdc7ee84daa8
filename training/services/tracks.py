"""The track editor's writes: creating and changing tracks, their steps and quiz questions,
publishing and unpublishing.

Only someone `track.can_be_edited_by` (the owner or a KB editor) changes a track; everyone
else gets PermissionDenied. Step and question positions stay dense (1..n) after every add,
move and remove, renumbered while the track's row is locked, so two editors reordering at
once never leave two steps at one position.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from kb.models import Article
from people.slugs import unique_slug
from searchkit.pipeline import queue_update
from training.models import (
    Enrolment,
    QuizOption,
    QuizQuestion,
    Session,
    Track,
    TrackStep,
)
from training.services.progress import enrolment_settle

TRACK_FIELDS = ("title", "description", "visibility", "estimated_minutes")
# What each kind of step keeps; the other fields are cleared, so a step never carries a
# stale link or pass mark of a kind it is not.
STEP_FIELDS = {
    TrackStep.Kind.ARTICLE: ("title", "description", "article"),
    TrackStep.Kind.EXTERNAL: ("title", "description", "url"),
    TrackStep.Kind.TASK: ("title", "description", "requires_confirmation"),
    TrackStep.Kind.QUIZ: ("title", "description", "pass_mark"),
    TrackStep.Kind.SESSION: ("title", "description", "session"),
}
BLANK_STEP = {
    "title": "", "description": "", "article": None, "url": "", "session": None,
    "requires_confirmation": False, "pass_mark": None,
}  # fmt: skip
MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_QUESTIONS = 100
MAX_STEPS = 200


def _require_editor(track: Track, user) -> None:
    if not track.can_be_edited_by(user):
        raise PermissionDenied("Only the track's owner and KB editors can change it.")


def _locked(track: Track, user) -> Track:
    """Lock the track's row until the transaction ends and reread it, so concurrent edits of
    one track (two tabs reordering) happen one after the other. Returns the same instance."""
    rows = Track.objects.select_for_update(of=("self",)).filter(pk=track.pk)
    if not rows.values_list("pk", flat=True):
        raise ValidationError("This track no longer exists.")
    track.refresh_from_db()
    _require_editor(track, user)
    return track


def _touch(track: Track) -> None:
    track.updated_at = timezone.now()
    track.save(update_fields=["updated_at"])
    queue_update(Track, track.pk)


def _apply_track_data(track: Track, data: dict) -> None:
    for name in TRACK_FIELDS:
        if name in data:
            setattr(track, name, data[name])
    if track.visibility == Track.Visibility.TEAMS and "teams" in data and not data["teams"]:
        raise ValidationError(
            {"teams": "Choose at least one team, or make the track open to everyone."}
        )


def _save_relations(track: Track, data: dict) -> None:
    if "skills" in data:
        track.skills.set(list(data["skills"]))
    if track.visibility == Track.Visibility.EVERYONE:
        track.teams.clear()
    elif "teams" in data:
        track.teams.set(data["teams"])


@transaction.atomic
def track_create(*, owner, data: dict) -> Track:
    """A new draft track owned by `owner` (a KB editor or a manager). `data`: title,
    description, skills (names of the people app's skill vocabulary), visibility, teams,
    estimated_minutes, and optionally slug (else made unique from the title)."""
    if not Track.can_be_created_by(owner):
        raise PermissionDenied("Only KB editors and managers can build tracks.")
    track = Track(owner=owner)
    _apply_track_data(track, data)
    track.slug = data.get("slug") or unique_slug(Track.objects.all(), track.title, fallback="track")
    track.full_clean()
    track.save()
    _save_relations(track, data)
    queue_update(Track, track.pk)
    return track


@transaction.atomic
def track_update(*, track: Track, user, data: dict) -> Track:
    """Change a track's settings. While it has never been published its address follows its
    title; once published the address stays, so links people shared keep working."""
    track = _locked(track, user)
    old_title = track.title
    _apply_track_data(track, data)
    if track.published_at is None and track.title != old_title:
        track.slug = unique_slug(Track.objects.exclude(pk=track.pk), track.title, fallback="track")
    track.updated_at = timezone.now()
    track.full_clean()
    track.save()
    _save_relations(track, data)
    queue_update(Track, track.pk)
    return track


def publish_problems(track: Track) -> list[str]:
    """Why `track` cannot be published yet, one sentence per problem (empty when it can):
    no steps, a quiz without questions, a question without a correct option or with fewer
    than two options, an article or a session step whose target was deleted."""
    steps = list(
        track.steps.select_related(
            "article__published_revision", "article__latest_revision", "session"
        )
        .annotate(question_count=Count("questions"))
        .order_by("position", "pk")
    )
    if not steps:
        return ["Add at least one step before publishing."]
    broken: dict[int, list[dict]] = {}
    rows = (
        QuizQuestion.objects.filter(step__track=track)
        .annotate(
            options_n=Count("options"),
            correct_n=Count("options", filter=Q(options__is_correct=True)),
        )
        .filter(Q(options_n__lt=MIN_OPTIONS) | Q(correct_n=0))
        .order_by("position", "pk")
        .values("step_id", "position", "options_n", "correct_n")
    )
    for row in rows:
        broken.setdefault(row["step_id"], []).append(row)
    problems = []
    for step in steps:
        name = f"Step {step.position} “{step.shown_title}”"
        if step.kind == TrackStep.Kind.ARTICLE and step.article_id is None:
            problems.append(f"{name}: its article was deleted; choose another or remove it.")
        elif step.kind == TrackStep.Kind.SESSION and step.session_id is None:
            problems.append(f"{name}: its session was deleted; choose another or remove it.")
        elif step.kind == TrackStep.Kind.QUIZ and not step.question_count:
            problems.append(f"{name}: add at least one question to the quiz.")
        for row in broken.get(step.pk, []):
            if row["correct_n"] == 0:
                problems.append(f"{name}: question {row['position']} has no correct option.")
            else:
                problems.append(f"{name}: question {row['position']} needs at least two options.")
    return problems


@transaction.atomic
def track_publish(*, track: Track, user) -> Track:
    """Publish a draft: learners in its audience find it in the catalogue and search. Refused
    (ValidationError listing every problem) while `publish_problems` finds any."""
    track = _locked(track, user)
    if track.status == Track.Status.PUBLISHED:
        raise ValidationError("This track is already published.")
    problems = publish_problems(track)
    if problems:
        raise ValidationError(problems)
    track.status = Track.Status.PUBLISHED
    track.published_at = track.updated_at = timezone.now()
    track.save(update_fields=["status", "published_at", "updated_at"])
    queue_update(Track, track.pk)
    return track


@transaction.atomic
def track_unpublish(*, track: Track, user) -> Track:
    """Back to draft: it leaves the catalogue and search; enrolments are kept for when it is
    published again."""
    track = _locked(track, user)
    if track.status != Track.Status.PUBLISHED:
        raise ValidationError("This track is not published.")
    track.status = Track.Status.DRAFT
    track.updated_at = timezone.now()
    track.save(update_fields=["status", "updated_at"])
    queue_update(Track, track.pk)
    return track


def _check_target(step: TrackStep, user, *, previous: TrackStep | None) -> None:
    """An article step points at a published article the editor may read, a session step at
    a scheduled session they may see. Keeping the step's current target is always allowed
    (it may since have been archived: the edit page flags it)."""
    changed = previous is None or (previous.article_id, previous.session_id) != (
        step.article_id,
        step.session_id,
    )
    if not changed:
        return
    if step.kind == TrackStep.Kind.ARTICLE and step.article_id:
        readable = Article.objects.published().visible_to(user).filter(pk=step.article_id)
        if not readable.exists():
            raise ValidationError({"article": "Choose a published article you can read."})
    if step.kind == TrackStep.Kind.SESSION and step.session_id:
        visible = Session.objects.visible_to(user).scheduled().filter(pk=step.session_id)
        if not visible.exists():
            raise ValidationError({"session": "Choose a scheduled session you can see."})


def _apply_step_data(step: TrackStep, data: dict) -> None:
    kept = STEP_FIELDS[step.kind]
    for name, blank in BLANK_STEP.items():
        value = data.get(name, getattr(step, name)) if name in kept else blank
        if value is None and name in ("title", "description", "url"):
            value = ""
        setattr(step, name, value)


def _renumber(queryset, model) -> None:
    """Positions 1..n in the current order (callers hold the track's lock)."""
    rows = list(queryset.order_by("position", "pk"))
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, ["position"])


@transaction.atomic
def step_add(*, track: Track, user, data: dict) -> TrackStep:
    """Add a step at the end. `data`: kind, and the fields of that kind: title, description,
    article (article), url (external), requires_confirmation (task), pass_mark (quiz),
    session (session)."""
    track = _locked(track, user)
    kind = data.get("kind")
    if kind not in TrackStep.Kind.values:
        raise ValidationError({"kind": "Choose what kind of step to add."})
    if track.steps.count() >= MAX_STEPS:
        raise ValidationError(f"A track holds at most {MAX_STEPS} steps.")
    last = track.steps.aggregate(n=Max("position"))["n"] or 0
    step = TrackStep(track=track, kind=kind, position=last + 1)
    _apply_step_data(step, data)
    step.full_clean()
    _check_target(step, user, previous=None)
    step.save()
    _touch(track)
    return step


@transaction.atomic
def step_update(*, step: TrackStep, user, data: dict) -> TrackStep:
    """Change a step's fields; its kind stays what it was created as (a quiz's questions, a
    task's evidence belong to that kind)."""
    track = _locked(step.track, user)
    previous = TrackStep.objects.filter(pk=step.pk, track=track).first()
    if previous is None:
        raise ValidationError("This step is no longer part of the track.")
    step.refresh_from_db()
    if "kind" in data and data["kind"] != step.kind:
        raise ValidationError({"kind": "A step keeps its kind; remove it and add another."})
    _apply_step_data(step, data)
    step.full_clean()
    _check_target(step, user, previous=previous)
    step.save()
    _touch(track)
    return step


@transaction.atomic
def step_move(*, step: TrackStep, user, direction: str) -> TrackStep:
    """Swap the step with its neighbour above ("up") or below ("down"); at either end it
    stays where it is. Returns the step with its new position."""
    if direction not in ("up", "down"):
        raise ValidationError("Move a step up or down.")
    track = _locked(step.track, user)
    steps = list(track.steps.order_by("position", "pk"))
    index = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    if index is None:
        raise ValidationError("This step is no longer part of the track.")
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    for position, row in enumerate(steps, start=1):
        row.position = position
    TrackStep.objects.bulk_update(steps, ["position"])
    _touch(track)
    step.position = next(s.position for s in steps if s.pk == step.pk)
    return step


@transaction.atomic
def step_remove(*, step: TrackStep, user) -> None:
    """Remove a step (with learners' completions and quiz attempts of it) and close the gap.
    A published track keeps at least one step. Learners who had done every other step
    complete the track now."""
    track = _locked(step.track, user)
    if track.status == Track.Status.PUBLISHED and track.steps.count() <= 1:
        raise ValidationError(
            "A published track needs at least one step: add another first, or unpublish it."
        )
    step.delete()
    _renumber(track.steps.all(), TrackStep)
    _touch(track)
    # Only someone with a step done can have finished everything that is left.
    settle = Enrolment.objects.active().filter(track=track, completions__status="done")
    for enrolment in settle.distinct():
        enrolment_settle(enrolment=enrolment)


def options_validate(options) -> list[tuple[str, bool]]:
    """A question's options as (text, is correct), blank rows dropped; refused unless there
    are 2 to 8 different ones with at least one correct. Changes nothing."""
    cleaned = [(str(text).strip(), bool(correct)) for text, correct in options]
    if any(correct and not text for text, correct in cleaned):
        raise ValidationError({"options": "An option marked correct needs its text."})
    cleaned = [(text, correct) for text, correct in cleaned if text]
    if len(cleaned) < MIN_OPTIONS:
        raise ValidationError({"options": f"Give at least {MIN_OPTIONS} options."})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": f"Give at most {MAX_OPTIONS} options."})
    if not any(correct for _, correct in cleaned):
        raise ValidationError({"options": "Mark at least one option as correct."})
    if len({text.casefold() for text, _ in cleaned}) < len(cleaned):
        raise ValidationError({"options": "Two options say the same; make each different."})
    return cleaned


@transaction.atomic
def question_add(
    *, step: TrackStep, user, text: str, options: list[tuple[str, bool]], explanation: str = ""
) -> QuizQuestion:
    """Add a multiple-choice question at the end of a quiz: 2 to 8 options as (text, is
    correct), at least one correct; several correct options make a "choose all that apply"
    question. Nothing is saved when anything is wrong."""
    track = _locked(step.track, user)
    step.refresh_from_db()
    if step.kind != TrackStep.Kind.QUIZ:
        raise ValidationError("Only a quiz has questions.")
    if step.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(f"A quiz holds at most {MAX_QUESTIONS} questions.")
    last = step.questions.aggregate(n=Max("position"))["n"] or 0
    question = QuizQuestion(step=step, position=last + 1, text=text, explanation=explanation)
    question.full_clean()
    rows = [
        QuizOption(position=n, text=option, is_correct=correct)
        for n, (option, correct) in enumerate(options_validate(options), start=1)
    ]
    for row in rows:
        try:
            row.full_clean(exclude=["question"])
        except ValidationError as error:
            raise ValidationError({"options": error.messages}) from error
    question.save()
    for row in rows:
        row.question = question
    QuizOption.objects.bulk_create(rows)
    _touch(track)
    return question


@transaction.atomic
def question_update(
    *,
    question: QuizQuestion,
    user,
    text: str,
    options: list[tuple[str, bool]],
    explanation: str = "",
) -> QuizQuestion:
    """Change a question's text, options and explanation, with the same rules as adding one.
    Options are rewritten in place by position, so an option whose row stays keeps its id and
    past attempts that chose it still show it; rows beyond the new count are removed."""
    track = _locked(question.step.track, user)
    question.refresh_from_db()
    question.text, question.explanation = text, explanation
    question.full_clean()
    cleaned = options_validate(options)
    existing = list(question.options.order_by("position", "pk"))
    rows = []
    for n, (option, correct) in enumerate(cleaned, start=1):
        row = existing[n - 1] if n <= len(existing) else QuizOption(question=question)
        row.position, row.text, row.is_correct = n, option, correct
        try:
            row.full_clean()
        except ValidationError as error:
            raise ValidationError({"options": error.messages}) from error
        rows.append(row)
    question.save(update_fields=["text", "explanation"])
    QuizOption.objects.filter(pk__in=[row.pk for row in existing[len(cleaned) :]]).delete()
    for row in rows:
        row.save()
    _touch(track)
    return question


@transaction.atomic
def question_remove(*, question: QuizQuestion, user) -> None:
    """Remove a question and close the gap. A published track's quiz keeps at least one."""
    step = question.step
    track = _locked(step.track, user)
    if track.status == Track.Status.PUBLISHED and step.questions.count() <= 1:
        raise ValidationError(
            "A published quiz needs at least one question: add another first, or unpublish "
            "the track."
        )
    question.delete()
    _renumber(step.questions.all(), QuizQuestion)
    _touch(track)
