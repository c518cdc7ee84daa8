"""A pairing's plan: adding and editing goals and meetings, the done toggles of milestones and
action items, adding action items, and a meeting's .ics file.

Only the mentor and the mentee get here (`get_pairing(..., member=True)`: 403 for a manager
who sees the pairing, 404 for anyone else), and only an active pairing's plan changes. The
toggles answer htmx with their row (and the open action items' count); a plain post comes
back to the pairing page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mentorship import calendar
from mentorship.forms.plans import ActionItemForm, GoalForm, MarkForm, MeetingForm
from mentorship.models import ActionItem, Goal, Meeting, Milestone, Pairing
from mentorship.selectors.plans import action_row, milestone_row, open_action_counts
from mentorship.services import plans as services
from mentorship.views.access import get_pairing
from people.web import form_refusal
from training.selectors.team import local_today

REFUSED = "mentorship/plans/refused.html"


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _anchor(pairing: Pairing, anchor: str) -> str:
    return f"{pairing.get_absolute_url()}#{anchor}"


def _read_only(request: HttpRequest, pairing: Pairing) -> HttpResponse | None:
    """Back to the pairing page, saying why, when its plan no longer changes (a form opened
    on a completed pairing). A post still goes to the service, which refuses it."""
    if request.method != "GET" or pairing.is_active:
        return None
    messages.error(request, services.read_only_reason(pairing))
    return redirect(pairing)


def _form_page(
    request: HttpRequest, template: str, form, *, pairing: Pairing, **context
) -> HttpResponse:
    """A plan form; `other` is the other one of the pair, whom the page names."""
    status = 400 if form.is_bound else 200
    other = pairing.mentee if request.user.pk == pairing.mentor_id else pairing.mentor
    context = {"form": form, "pairing": pairing, "other": other, **context}
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, pairing: Pairing, reasons: list[str]) -> HttpResponse:
    """A toggle that changed nothing, as a page (400) for a plain post."""
    return render(request, REFUSED, {"pairing": pairing, "reasons": reasons}, status=400)


# --- Goals ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_pairing(request, pk, member=True)
    if closed := _read_only(request, pairing):
        return closed
    form = GoalForm(_posted(request), mentee=pairing.mentee)
    if form.is_valid():
        try:
            goal = services.goal_add(pairing=pairing, user=request.user, data=form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, f"Goal added: “{goal.title}”.")
            return redirect(_anchor(pairing, f"goal-{goal.pk}"))
    return _form_page(request, "mentorship/plans/goal_form.html", form, pairing=pairing)


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, pk: int, goal: int) -> HttpResponse:
    pairing = get_pairing(request, pk, member=True)
    goal = get_object_or_404(Goal.objects.select_related("track"), pk=goal, pairing=pairing)
    if closed := _read_only(request, pairing):
        return closed
    form = GoalForm(
        _posted(request), mentee=pairing.mentee, goal=goal, initial=GoalForm.initial_for(goal)
    )
    if form.is_valid():
        try:
            goal = services.goal_update(goal=goal, user=request.user, data=form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, f"Goal saved: “{goal.title}”.")
            return redirect(_anchor(pairing, f"goal-{goal.pk}"))
    context = {"pairing": pairing, "goal": goal}
    return _form_page(request, "mentorship/plans/goal_form.html", form, **context)


# --- Milestones ----------------------------------------------------------------------------


@require_POST
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    """Mark a milestone done or not done (`done` is "1" or "0")."""
    pairing = get_pairing(request, pk, member=True)
    milestone = get_object_or_404(Milestone, pk=milestone, pairing=pairing)
    form = MarkForm(request.POST)
    error, editable = "", pairing.is_active
    if not form.is_valid():
        error = "Say whether the milestone is done."
    else:
        try:
            milestone = services.milestone_mark(
                milestone=milestone, user=request.user, done=form.cleaned_data["done"]
            )
        except ValidationError as refusal:
            error, editable = " ".join(refusal.messages), False
    done = milestone.done_at is not None
    if not request.htmx:
        if error:
            return _refused(request, pairing, [error])
        messages.success(request, f"“{milestone.title}” marked {'done' if done else 'not done'}.")
        return redirect(_anchor(pairing, f"milestone-{milestone.pk}"))
    context = {
        "row": milestone_row(milestone, local_today(request.user)),
        "pairing": pairing,
        "editable": editable,
        "error": error,
        "announcement": error or f"{milestone.title}: {'done' if done else 'not done'}.",
    }
    status = 400 if error else 200
    return render(request, "mentorship/plans/milestone_toggled.html", context, status=status)


# --- Meetings ------------------------------------------------------------------------------


def _get_meeting(pairing: Pairing, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("created_by"), pk=pk, pairing=pairing)


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_pairing(request, pk, member=True)
    if closed := _read_only(request, pairing):
        return closed
    form = MeetingForm(_posted(request), zone_name=request.user.zone.key)
    if form.is_valid():
        try:
            meeting = services.meeting_add(
                pairing=pairing, user=request.user, data=form.cleaned_data
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            held = meeting.starts_at <= timezone.now()
            messages.success(request, "Meeting logged." if held else "Meeting planned.")
            return redirect(_anchor(pairing, f"meeting-{meeting.pk}"))
    return _form_page(request, "mentorship/plans/meeting_form.html", form, pairing=pairing)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    pairing = get_pairing(request, pk, member=True)
    meeting = _get_meeting(pairing, meeting)
    if closed := _read_only(request, pairing):
        return closed
    form = MeetingForm(
        _posted(request),
        zone_name=request.user.zone.key,
        meeting=meeting,
        initial=MeetingForm.initial_for(meeting),
    )
    if form.is_valid():
        try:
            meeting = services.meeting_update(
                meeting=meeting, user=request.user, data=form.cleaned_data
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Meeting saved.")
            return redirect(_anchor(pairing, f"meeting-{meeting.pk}"))
    context = {"pairing": pairing, "meeting": meeting}
    return _form_page(request, "mentorship/plans/meeting_form.html", form, **context)


@require_safe
def meeting_ics(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    pairing = get_pairing(request, pk, member=True)
    meeting = _get_meeting(pairing, meeting)
    response = HttpResponse(
        calendar.meeting_ics(meeting, pairing=pairing), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.ics_filename(meeting)}"'
    return response


# --- Action items --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    """The plan's inline form posts here; this page shows it again with its errors (and is
    the form itself for anyone who opens the link)."""
    pairing = get_pairing(request, pk, member=True)
    meeting = _get_meeting(pairing, meeting)
    if closed := _read_only(request, pairing):
        return closed
    form = ActionItemForm(_posted(request), mentor=pairing.mentor, mentee=pairing.mentee)
    if form.is_valid():
        try:
            item = services.action_item_add(
                meeting=meeting, user=request.user, data=form.cleaned_data
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, f"Action item added: “{item.title}”.")
            return redirect(_anchor(pairing, f"action-{item.pk}"))
    context = {"pairing": pairing, "meeting": meeting}
    return _form_page(request, "mentorship/plans/action_form.html", form, **context)


@require_POST
def action_done(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    """Mark an action item done or open again (`done` is "1" or "0")."""
    pairing = get_pairing(request, pk, member=True)
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting", "owner"), pk=action, meeting__pairing=pairing
    )
    form = MarkForm(request.POST)
    error, editable = "", pairing.is_active
    if not form.is_valid():
        error = "Say whether the action item is done."
    else:
        try:
            marked = services.action_item_mark(
                item=item, user=request.user, done=form.cleaned_data["done"]
            )
            item.done, item.done_at = marked.done, marked.done_at  # keeps its owner loaded
        except ValidationError as refusal:
            error, editable = " ".join(refusal.messages), False
    if not request.htmx:
        if error:
            return _refused(request, pairing, [error])
        messages.success(request, f"“{item.title}” marked {'done' if item.done else 'open'}.")
        return redirect(_anchor(pairing, f"action-{item.pk}"))
    open_count, overdue = open_action_counts(pairing=pairing, viewer=request.user)
    context = {
        "row": action_row(item, local_today(request.user)),
        "pairing": pairing,
        "editable": editable,
        "error": error,
        "announcement": error or f"{item.title}: {'done' if item.done else 'open'}.",
        "open": open_count,
        "overdue": overdue,
    }
    status = 400 if error else 200
    return render(request, "mentorship/plans/action_toggled.html", context, status=status)
