"""Taking a track: the track and step pages, enrolling and leaving, completing steps, quiz
attempts and their results, reviewers confirming practical tasks, certificates, and
"my training"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kb.models import ArticleRevision
from kb.views.common import diff_table
from people.web import act, form_refusal
from training.forms.learning import QuizForm, TaskEvidenceForm
from training.models import Enrolment, QuizAttempt, StepCompletion, Track, TrackStep
from training.selectors import learning as selectors
from training.services import learning as services

ATTEMPTS_SHOWN = 10


def _track_for(request: HttpRequest, slug: str) -> Track:
    """The track, 404 when the viewer may not open it (a draft is its owner's and the KB
    editors'; a team's track is its teams')."""
    return get_object_or_404(
        Track.objects.visible_to(request.user).select_related("owner"), slug=slug
    )


def _step_of(track: Track, pk: int) -> TrackStep:
    step = get_object_or_404(
        track.steps.select_related("article__published_revision", "session"), pk=pk
    )
    step.track = track
    return step


def _learner_enrolment(request: HttpRequest, track: Track) -> Enrolment | None:
    """The viewer's enrolment in `track` if they may complete steps (enrolled, not
    withdrawn), else None with a message saying what to do."""
    enrolment = Enrolment.objects.filter(track=track, user=request.user).first()
    if enrolment is None:
        messages.error(request, "Enrol in the track to complete its steps.")
        return None
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        messages.error(request, "You left this track; enrol again to continue.")
        return None
    return enrolment


# --- The track -----------------------------------------------------------------------------


def track_detail(request: HttpRequest, slug: str) -> HttpResponse:
    track = _track_for(request, slug)
    page = selectors.track_page(track=track, user=request.user)
    context = {
        "track": track,
        "page": page,
        "can_edit": track.can_be_edited_by(request.user),
        "can_assign": request.user.is_manager and track.status == Track.Status.PUBLISHED,
    }
    return render(request, "training/learning/track_detail.html", context)


@require_POST
def track_enrol(request: HttpRequest, slug: str) -> HttpResponse:
    track = _track_for(request, slug)
    return act(
        request,
        lambda: services.track_enrol(track=track, user=request.user),
        success="You are enrolled. Take the steps in any order.",
        redirect_to=track,
    )


@require_POST
def track_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    track = _track_for(request, slug)
    enrolment = get_object_or_404(Enrolment, track=track, user=request.user)
    return act(
        request,
        lambda: services.track_withdraw(enrolment=enrolment, user=request.user),
        success="You left the track. Your progress is kept if you enrol again.",
        redirect_to=track,
    )


# --- Steps ---------------------------------------------------------------------------------


def _step_page(
    request: HttpRequest,
    track: Track,
    step: TrackStep,
    *,
    status: int = 200,
    quiz_form: QuizForm | None = None,
    task_form: TaskEvidenceForm | None = None,
) -> HttpResponse:
    page = selectors.track_page(track=track, user=request.user)
    previous, row, following = page.row_of(step.pk)
    context = {
        "track": track,
        "step": step,
        "page": page,
        "row": row,
        "previous": previous,
        "next": following,
        "can_edit": track.can_be_edited_by(request.user),
    }
    if row.is_skipped:
        return render(request, "training/learning/step_detail.html", context, status=status)
    if step.kind == TrackStep.Kind.QUIZ:
        questions = step.questions.prefetch_related("options")
        context["quiz_form"] = quiz_form or QuizForm(questions=questions)
        context["attempts"] = attempts = (
            list(page.enrolment.quiz_attempts.filter(step=step)[:ATTEMPTS_SHOWN])
            if page.enrolment
            else []
        )
        # Once passed, the page leads with the result; the form waits behind "Take it again"
        # (open when a new attempt came back with errors).
        context["passed_attempt"] = next((a for a in attempts if a.passed), None)
    elif step.kind == TrackStep.Kind.TASK:
        evidence = row.completion.evidence if row.completion else ""
        context["task_form"] = task_form or TaskEvidenceForm(
            initial={"evidence": evidence} if evidence else None
        )
    elif row.is_outdated:
        context["diff"] = _changes(row)
    return render(request, "training/learning/step_detail.html", context, status=status)


def _changes(row: selectors.StepRow) -> str:
    """The change between the revision the learner read and the one published now: both
    were published to them, so they may see both texts."""
    revisions = {
        r.pk: r
        for r in ArticleRevision.objects.filter(
            pk__in=[row.completion.revision_id, row.step.article.published_revision_id]
        )
    }
    old = revisions[row.completion.revision_id]
    new = revisions[row.step.article.published_revision_id]
    return diff_table(old, new, f"Revision {old.number} (you read)", f"Revision {new.number} (now)")


def step_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    track = _track_for(request, slug)
    return _step_page(request, track, _step_of(track, pk))


@require_POST
def step_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Complete a step from its page: read an article (again), went through a resource,
    or hand in a practical task. Quizzes and sessions complete themselves."""
    track = _track_for(request, slug)
    step = _step_of(track, pk)
    step_url = reverse("training:step-detail", args=[track.slug, step.pk])
    enrolment = _learner_enrolment(request, track)
    if enrolment is None:
        return redirect(step_url)
    if step.kind == TrackStep.Kind.TASK:
        form = TaskEvidenceForm(request.POST)
        if form.is_valid():
            try:
                completion = services.task_evidence_submit(
                    enrolment=enrolment, step=step, evidence=form.cleaned_data["evidence"]
                )
            except ValidationError as refusal:
                form_refusal(form, refusal)
            else:
                waiting = completion.status == StepCompletion.Status.AWAITING_REVIEW
                messages.success(
                    request,
                    "Handed in. A reviewer will confirm it." if waiting else "Step done.",
                )
                return redirect(track)
        return _step_page(request, track, step, status=400, task_form=form)
    if step.kind == TrackStep.Kind.ARTICLE:
        action, success = services.article_step_read, "Marked as read."
    elif step.kind == TrackStep.Kind.EXTERNAL:
        action, success = services.external_step_done, "Step done."
    else:
        messages.error(
            request,
            "Pass the quiz to complete this step."
            if step.kind == TrackStep.Kind.QUIZ
            else "The presenter's attendance record completes this step.",
        )
        return redirect(step_url)
    return act(
        request,
        lambda: action(enrolment=enrolment, step=step),
        success=success,
        redirect_to=track,
        on_refusal=lambda: redirect(step_url),
    )


@require_POST
def quiz_submit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    track = _track_for(request, slug)
    step = _step_of(track, pk)
    if step.kind != TrackStep.Kind.QUIZ:
        raise Http404("This step is not a quiz.")
    enrolment = _learner_enrolment(request, track)
    if enrolment is None:
        return redirect("training:step-detail", track.slug, step.pk)
    form = QuizForm(request.POST, questions=step.questions.prefetch_related("options"))
    if form.is_valid():
        try:
            attempt = services.quiz_attempt_submit(
                enrolment=enrolment, step=step, answers=form.answers()
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            return redirect("training:attempt-detail", attempt.pk)
    return _step_page(request, track, step, status=400, quiz_form=form)


def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An attempt's results, for the learner alone: anyone else (managers included) gets
    404, as if it did not exist."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("enrolment__track", "step"),
        pk=pk,
        enrolment__user=request.user,
    )
    step = attempt.step
    step.track = attempt.enrolment.track
    context = {
        "attempt": attempt,
        "step": step,
        "track": step.track,
        # After submitting (never before), each question with the right answers marked.
        "results": selectors.attempt_results(attempt=attempt),
    }
    return render(request, "training/learning/attempt_detail.html", context)


# --- Reviews, certificates, my training ----------------------------------------------------


def task_reviews(request: HttpRequest) -> HttpResponse:
    completions = selectors.reviews_waiting(user=request.user)
    return render(request, "training/learning/task_reviews.html", {"completions": completions})


@require_POST
def task_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    completion = get_object_or_404(
        selectors.reviewable_completions(user=request.user).select_related(
            "enrolment__user", "enrolment__track", "step"
        ),
        pk=pk,
    )
    learner = completion.enrolment.user.name
    return act(
        request,
        lambda: services.task_confirm(completion=completion, reviewer=request.user),
        success=f"Confirmed {learner}'s task “{completion.step}”.",
        redirect_to="training:task-reviews",
    )


def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """A completed track's certificate, for anyone signed in who has its code (the learner
    shares the link); unknown codes are 404."""
    enrolment = get_object_or_404(
        Enrolment.objects.completed().select_related("user", "track"), certificate_code=code
    )
    context = {"enrolment": enrolment, "skills": list(enrolment.track.skills.all())}
    return render(request, "training/learning/certificate.html", context)


def my_training(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_training(user=request.user)
    return render(request, "training/learning/my_training.html", {"mine": mine})
