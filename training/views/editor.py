"""The catalogue of tracks and the track editor: settings, steps (added, edited, reordered,
removed), quiz questions, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from people.web import form_refusal
from training.forms.editor import CatalogueFilterForm, QuestionForm, StepForm, TrackForm
from training.models import QuizQuestion, Track, TrackStep
from training.selectors.editor import (
    catalogue_drafts,
    catalogue_rows,
    catalogue_skills,
    catalogue_tracks,
    track_step_rows,
)
from training.services import tracks

TRACKS_PER_PAGE = 20
STEP_LIST = "training/editor/includes/step_list.html"


def _track_for_editing(request: HttpRequest, slug: str) -> Track:
    """The track, if the viewer may open it (404 otherwise) and edit it (403 otherwise)."""
    track = get_object_or_404(
        Track.objects.visible_to(request.user)
        .select_related("owner")
        .prefetch_related("teams", "skills"),
        slug=slug,
    )
    if not track.can_be_edited_by(request.user):
        raise PermissionDenied("Only the track's owner and KB editors can change it.")
    return track


def _step_of(track: Track, pk: int, *, kind: str = "") -> TrackStep:
    steps = track.steps.select_related(
        "article__published_revision", "article__latest_revision", "session"
    )
    return get_object_or_404(steps.filter(kind=kind) if kind else steps, pk=pk)


def _edit_url(track: Track) -> str:
    return reverse("training:track-edit", args=[track.slug])


# --- The catalogue ---------------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    """Published tracks the viewer may take, with their own status on each; their drafts
    (every draft for KB editors) apart."""
    form = CatalogueFilterForm(request.GET)
    chosen = form.filters()
    found = catalogue_tracks(user=request.user, skill=chosen["skill"], text=chosen["q"])
    page = Paginator(found, TRACKS_PER_PAGE).get_page(request.GET.get("page"))
    skills = catalogue_skills(user=request.user)
    context = {
        "form": form,
        "page": page,
        "rows": catalogue_rows(user=request.user, tracks=page.object_list),
        "skills": skills,
        "skill": next((s for s, _ in skills if s.slug == chosen["skill"]), None),
        "skill_slug": chosen["skill"],
        "filtered": bool(chosen["q"] or chosen["skill"]),
        "q": chosen["q"],
        "drafts": catalogue_drafts(user=request.user),
        "can_create": Track.can_be_created_by(request.user),
    }
    return render(request, "training/catalogue.html", context)


# --- Tracks ----------------------------------------------------------------------------------


def track_create(request: HttpRequest) -> HttpResponse:
    if not Track.can_be_created_by(request.user):
        raise PermissionDenied("Only KB editors and managers can build tracks.")
    form = TrackForm(request.POST or None, initial={"visibility": "everyone"})
    if request.method == "POST" and form.is_valid():
        try:
            track = tracks.track_create(owner=request.user, data=form.data_for_service())
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, "Track created as a draft. Add its steps, then publish it.")
            return redirect(_edit_url(track))
    status = 400 if form.errors else 200
    return render(request, "training/editor/track_form.html", {"form": form}, status=status)


def _edit_page(request: HttpRequest, track: Track, *, status: int = 200, **extra) -> HttpResponse:
    teams = list(track.teams.all())
    focus = ""
    if (moved := request.GET.get("moved", "")).isdigit() and len(moved) < 12:
        direction = request.GET.get("dir", "")
        focus = f"{direction}-{moved}" if direction in ("up", "down") else ""
    rows = track_step_rows(track=track, teams=teams)
    focus_dir, focus_pk = _focus_target(rows, focus)
    context = {
        "track": track,
        "form": TrackForm(initial=TrackForm.initial_for(track)),
        "rows": rows,
        "focus_dir": focus_dir,
        "focus_pk": focus_pk,
        "add_forms": [
            (kind, label, StepForm(kind=kind, user=request.user))
            for kind, label in TrackStep.Kind.choices
        ],
        "problems": tracks.publish_problems(track) if track.status == "draft" else [],
        "learners": track.enrolments.current().count(),
        **extra,
    }
    return render(request, "training/editor/track_edit.html", context, status=status)


def _focus_target(rows, focus: str) -> tuple[str, int | None]:
    """The move button to focus after a move, as (direction, step id): the one pressed, or
    the other one when the step reached an end (a disabled button cannot hold focus)."""
    if not focus:
        return "", None
    direction, pk = focus.split("-")
    row = next((r for r in rows if str(r.step.pk) == pk), None)
    if row is None or (row.first and row.last):
        return "", None
    if direction == "up" and row.first:
        direction = "down"
    elif direction == "down" and row.last:
        direction = "up"
    return direction, row.step.pk


def track_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor: settings, the steps in order, adding a step, publishing."""
    track = _track_for_editing(request, slug)
    if request.method != "POST":
        return _edit_page(request, track)
    form = TrackForm(request.POST)
    if form.is_valid():
        try:
            track = tracks.track_update(
                track=track, user=request.user, data=form.data_for_service()
            )
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, "Track settings saved.")
            return redirect(_edit_url(track))
    track.refresh_from_db()  # the form's values are not the track's until saved
    return _edit_page(request, track, form=form, status=400)


@require_POST
def track_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish, or (`action=unpublish`) take back to draft; what stops publishing is listed
    on the edit page."""
    track = _track_for_editing(request, slug)
    unpublish = request.POST.get("action") == "unpublish"
    try:
        if unpublish:
            tracks.track_unpublish(track=track, user=request.user)
        else:
            tracks.track_publish(track=track, user=request.user)
    except ValidationError as error:
        track.refresh_from_db()
        return _edit_page(request, track, status=400, publish_errors=error.messages)
    if unpublish:
        messages.success(request, "The track is a draft again: it left the catalogue.")
    else:
        messages.success(request, "Published: the track is in the catalogue for its audience.")
    return redirect(_edit_url(track))


# --- Steps -----------------------------------------------------------------------------------


def _kind_of(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    return kind if kind in TrackStep.Kind.values else ""


def _step_added_message(step: TrackStep, track: Track) -> str:
    rows = track_step_rows(track=track, teams=list(track.teams.all()))
    flag = next((r.flag for r in rows if r.step.pk == step.pk), "")
    added = f"Added step {step.position}: “{step.shown_title}”."
    return f"{added} Note: {flag}" if flag else added


def step_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a step of one kind (`kind`); the edit page holds a form per kind, and this page
    shows one form alone (and its errors)."""
    track = _track_for_editing(request, slug)
    kind = _kind_of(request)
    if not kind:
        messages.error(request, "Choose what kind of step to add.")
        return redirect(_edit_url(track))
    form = StepForm(request.POST or None, kind=kind, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            step = tracks.step_add(track=track, user=request.user, data=form.data_for_service())
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, _step_added_message(step, track))
            if step.kind == TrackStep.Kind.QUIZ:
                return redirect(reverse("training:step-edit", args=[track.slug, step.pk]))
            return redirect(f"{_edit_url(track)}#step-{step.pk}")
    context = {"track": track, "form": form, "kind_label": TrackStep.Kind(kind).label}
    status = 400 if form.errors else 200
    return render(request, "training/editor/step_form.html", context, status=status)


def _step_page(request, track, step, *, form=None, question_form=None, status=200):
    context = {
        "track": track,
        "step": step,
        "form": form or StepForm(kind=step.kind, user=request.user, step=step),
        "kind_label": step.get_kind_display(),
    }
    if step.kind == TrackStep.Kind.QUIZ:
        context["questions"] = step.questions.prefetch_related("options")
        context["question_form"] = question_form or QuestionForm()
    return render(request, "training/editor/step_form.html", context, status=status)


def step_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A step's fields; for a quiz also its questions."""
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk)
    if request.method != "POST":
        return _step_page(request, track, step)
    form = StepForm(request.POST, kind=step.kind, user=request.user, step=step)
    if form.is_valid():
        data = {**form.data_for_service(), "kind": step.kind}
        try:
            tracks.step_update(step=step, user=request.user, data=data)
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, f"Step {step.position} saved.")
            return redirect(f"{_edit_url(track)}#step-{step.pk}")
    step = _step_of(track, pk)
    return _step_page(request, track, step, form=form, status=400)


@require_POST
def step_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a step up or down (`direction`). htmx gets the step list back, with the moved
    step's button focused and the move announced; a plain post returns to the edit page."""
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk)
    direction = request.POST.get("direction", "")
    old_position = step.position
    try:
        step = tracks.step_move(step=step, user=request.user, direction=direction)
    except ValidationError as error:
        announcement, status, focus = " ".join(error.messages), 400, ""
    else:
        status, focus = 200, f"{direction}-{step.pk}"
        if step.position == old_position:
            end = "first" if direction == "up" else "last"
            announcement = f"“{step.shown_title}” is already {end}."
        else:
            announcement = f"Moved “{step.shown_title}” to position {step.position}."
    if not request.htmx:
        (messages.success if status == 200 else messages.error)(request, announcement)
        query = f"?moved={step.pk}&dir={direction}" if focus else ""
        return redirect(f"{_edit_url(track)}{query}#step-{step.pk}")
    rows = track_step_rows(track=track, teams=list(track.teams.all()))
    focus_dir, focus_pk = _focus_target(rows, focus)
    context = {
        "track": track,
        "rows": rows,
        "focus_dir": focus_dir,
        "focus_pk": focus_pk,
        "announcement": announcement,
    }
    return render(request, STEP_LIST, context, status=status)


@require_POST
def step_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a step: the first post asks to confirm (saying what learners lose), the
    second, with `confirm`, removes it."""
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk)
    if request.POST.get("confirm") != "yes":
        context = {
            "track": track,
            "step": step,
            "completions": step.completions.count(),
            "attempts": step.attempts.count(),
        }
        return render(request, "training/editor/step_remove.html", context)
    title = step.shown_title
    try:
        tracks.step_remove(step=step, user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"Removed “{title}”; the steps after it moved up.")
    return redirect(_edit_url(track))


# --- Quiz questions --------------------------------------------------------------------------


@require_POST
def question_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk, kind=TrackStep.Kind.QUIZ)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            tracks.question_add(
                step=step, user=request.user, text=data["text"], options=data["options"],
                explanation=data["explanation"],
            )  # fmt: skip
        except ValidationError as error:
            form_refusal(form, error)
        else:
            messages.success(request, "Question added.")
            url = reverse("training:step-edit", args=[track.slug, step.pk])
            return redirect(f"{url}#add-question")
    return _step_page(request, track, step, question_form=form, status=400)


def question_edit(request: HttpRequest, slug: str, pk: int, question: int) -> HttpResponse:
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk, kind=TrackStep.Kind.QUIZ)
    item = get_object_or_404(
        QuizQuestion.objects.prefetch_related("options"), step=step, pk=question
    )
    if request.method != "POST":
        form = QuestionForm(initial=QuestionForm.initial_of(item))
    else:
        form = QuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tracks.question_update(
                    question=item, user=request.user, text=data["text"],
                    options=data["options"], explanation=data["explanation"],
                )  # fmt: skip
            except ValidationError as error:
                form_refusal(form, error)
            else:
                messages.success(request, "Question saved.")
                url = reverse("training:step-edit", args=[track.slug, step.pk])
                return redirect(f"{url}#question-{item.pk}")
    context = {"track": track, "step": step, "question": item, "form": form}
    status = 400 if form.errors else 200
    return render(request, "training/editor/question_edit.html", context, status=status)


@require_POST
def question_remove(request: HttpRequest, slug: str, pk: int, question: int) -> HttpResponse:
    track = _track_for_editing(request, slug)
    step = _step_of(track, pk, kind=TrackStep.Kind.QUIZ)
    item = get_object_or_404(QuizQuestion, step=step, pk=question)
    try:
        tracks.question_remove(question=item, user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, "Question removed.")
    return redirect(reverse("training:step-edit", args=[track.slug, step.pk]))
