"""Cross-training (job rotations and shadowing) and external learning: lists, requests,
decisions, reflections, and sharing what was learned as a draft article.

A rotation or entry the viewer may not see is a 404 (`visible_to`); one they see but may not
act on in the way asked is a 403. The decision and reflection forms live on the detail page;
their URLs answer GET with that page (for the people who may use them) and POST with the
action."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from people.web import act
from training.forms.crosstraining import (
    DecisionForm,
    ExternalLearningForm,
    ReflectionForm,
    RotationForm,
    add_service_errors,
)
from training.models import ExternalLearning, Rotation
from training.selectors.crosstraining import (
    SIDE_HOST,
    SIDE_PARTICIPANT,
    ExternalRights,
    RotationRights,
    external_overview,
    managed_team_ids,
    managers_by_team,
    rotation_overview,
    rotation_state,
    rotation_waiting_by_side,
    rotation_waiting_team_ids,
)
from training.services import crosstraining as services

# Rotations.


def _get_rotation(request: HttpRequest, pk: int) -> tuple[Rotation, RotationRights]:
    """The rotation and what the viewer may do with it; 404 unless they may see it."""
    rotation = get_object_or_404(
        Rotation.objects.visible_to(request.user).select_related(
            "participant__team", "host_team", "host_person", "manager_approved_by",
            "host_approved_by", "decided_by", "host_confirmed_by", "article__published_revision",
            "article__latest_revision",
        ),
        pk=pk,
    )  # fmt: skip
    rights = RotationRights.of(
        rotation,
        request.user,
        managed=managed_team_ids(request.user),
        today=timezone.localdate(),
    )
    return rotation, rights


def rotation_list(request: HttpRequest) -> HttpResponse:
    overview = rotation_overview(
        user=request.user, today=timezone.localdate(), page=request.GET.get("page")
    )
    return render(request, "training/crosstraining/rotation_list.html", {"overview": overview})


def rotation_create(request: HttpRequest) -> HttpResponse:
    form = RotationForm(request.POST or None, participant=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rotation = services.rotation_request(
                participant=request.user, data=dict(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if rotation.status == Rotation.Status.APPROVED:
                messages.success(request, "Your rotation is approved.")
            else:
                messages.success(request, "Requested. Both teams' managers are asked to approve.")
            return redirect(rotation)
    status = 400 if form.errors else 200
    return render(
        request, "training/crosstraining/rotation_form.html", {"form": form}, status=status
    )


def _rotation_page(
    request, rotation, rights, *, decision_form=None, reflection_form=None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    managers = managers_by_team(rotation_waiting_team_ids(rotation))
    waiting = rotation_waiting_by_side(rotation, viewer=request.user, managers=managers)
    context = {
        "rotation": rotation,
        "can": rights,
        "state": rotation_state(rotation, today=today),
        "waiting_for": tuple(dict.fromkeys(waiting.values())),
        "waiting_for_participant_team": waiting.get(SIDE_PARTICIPANT),
        "waiting_for_host_team": waiting.get(SIDE_HOST),
        "decision_form": decision_form or (DecisionForm() if rights.decide else None),
        "reflection_form": reflection_form
        or (
            ReflectionForm(initial={"reflection": rotation.reflection}) if rights.reflect else None
        ),
        "today": today,
    }
    return render(request, "training/crosstraining/rotation_detail.html", context, status=status)


def rotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _rotation_page(request, *_get_rotation(request, pk))


def rotation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    rotation, rights = _get_rotation(request, pk)
    if not rights.concerned:
        raise PermissionDenied("Only the managers of the teams concerned decide on this request.")
    if not rights.decide:
        if rotation.status == Rotation.Status.REQUESTED:
            messages.info(request, "You already approved; it waits for the other team's manager.")
        else:
            messages.info(request, f"This request is {rotation.get_status_display().lower()}.")
        return redirect(rotation)
    if request.method != "POST":
        return _rotation_page(request, rotation, rights)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _rotation_page(request, rotation, rights, decision_form=form, status=400)
    approve, reason = form.approve, form.cleaned_data["reason"]
    success = "Approved." if approve else "Declined. The participant is told why."
    return act(
        request,
        lambda: services.rotation_decide(
            rotation=rotation, manager=request.user, approve=approve, reason=reason
        ),
        success=success,
        redirect_to=rotation,
    )


@require_POST
def rotation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    rotation, rights = _get_rotation(request, pk)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant cancels a rotation.")
    return act(
        request,
        lambda: services.rotation_cancel(rotation=rotation, user=request.user),
        success="Cancelled. The managers who were asked are told.",
        redirect_to=rotation,
    )


def rotation_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    rotation, rights = _get_rotation(request, pk)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant writes the reflection.")
    if not rights.reflect:
        messages.info(request, "You can write what you learned from the last day on.")
        return redirect(rotation)
    if request.method != "POST":
        return _rotation_page(request, rotation, rights)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.rotation_reflect(
                rotation=rotation, user=request.user, reflection=form.cleaned_data["reflection"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved. The host is asked to confirm it.")
            return redirect(rotation)
    return _rotation_page(request, rotation, rights, reflection_form=form, status=400)


@require_POST
def rotation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    rotation, rights = _get_rotation(request, pk)
    if not rights.is_host:
        raise PermissionDenied("Only the host confirms the reflection.")
    return act(
        request,
        lambda: services.rotation_confirm(rotation=rotation, host=request.user),
        success="Confirmed. Thanks for hosting!",
        redirect_to=rotation,
    )


@require_POST
def rotation_share(request: HttpRequest, pk: int) -> HttpResponse:
    rotation, rights = _get_rotation(request, pk)
    if not rights.is_participant:
        raise PermissionDenied("Only the participant shares the reflection.")
    return act(
        request,
        lambda: services.rotation_share(rotation=rotation, user=request.user),
        success="Shared as a draft article: the KB editors are asked to review it.",
        redirect_to=rotation,
    )


# External learning.


def _get_entry(request: HttpRequest, pk: int) -> tuple[ExternalLearning, ExternalRights]:
    """The entry and what the viewer may do with it; 404 unless they may see it."""
    entry = get_object_or_404(
        ExternalLearning.objects.visible_to(request.user).select_related(
            "person__team", "decided_by", "article__published_revision", "article__latest_revision"
        ),
        pk=pk,
    )
    return entry, ExternalRights.of(entry, request.user, managed=managed_team_ids(request.user))


def external_list(request: HttpRequest) -> HttpResponse:
    overview = external_overview(user=request.user, page=request.GET.get("page"))
    return render(request, "training/crosstraining/external_list.html", {"overview": overview})


def _external_form_page(request, form, entry=None) -> HttpResponse:
    status = 400 if form.errors else 200
    context = {"form": form, "entry": entry}
    return render(request, "training/crosstraining/external_form.html", context, status=status)


def external_create(request: HttpRequest) -> HttpResponse:
    form = ExternalLearningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ask = data.pop("ask_approval", False)
        try:
            entry = services.external_log(person=request.user, data=data, ask_approval=ask)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if ask:
                messages.success(request, "Saved. Your manager is asked to approve it.")
            else:
                messages.success(request, "Saved.")
            return redirect(entry)
    return _external_form_page(request, form)


def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _external_page(request, *_get_entry(request, pk))


def _external_page(request, entry, rights, *, decision_form=None, status=200) -> HttpResponse:
    waiting_for = ""
    if entry.approval == ExternalLearning.Approval.PENDING and not rights.decide:
        # Named for the person who waits; a manager who decides reads "Waiting for you".
        team = entry.person.team_id
        managers = managers_by_team([team] if team else []).get(team, [])
        waiting_for = " or ".join(m.name for m in managers if m.pk != entry.person_id)
    context = {
        "entry": entry,
        "can": rights,
        "waiting_for": waiting_for,
        "decision_form": decision_form or (DecisionForm() if rights.decide else None),
    }
    return render(request, "training/crosstraining/external_detail.html", context, status=status)


def external_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry, rights = _get_entry(request, pk)
    if not rights.edit:
        raise PermissionDenied("Only the person who logged it changes it.")
    form = ExternalLearningForm(
        request.POST or None, entry=entry, initial=ExternalLearningForm.initial_for(entry)
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.external_update(
                entry=entry, user=request.user, data=dict(form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if entry.approval == ExternalLearning.Approval.PENDING:
                messages.success(request, "Saved. It waits for your manager's approval.")
            else:
                messages.success(request, "Saved.")
            return redirect(entry)
    return _external_form_page(request, form, entry)


def external_decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry, rights = _get_entry(request, pk)
    if not rights.concerned:
        raise PermissionDenied("Only the managers of this person's team decide.")
    if not rights.decide:
        messages.info(
            request, f"This is not waiting for approval ({entry.get_approval_display()})."
        )
        return redirect(entry)
    if request.method != "POST":
        return _external_page(request, entry, rights)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _external_page(request, entry, rights, decision_form=form, status=400)
    approve, reason = form.approve, form.cleaned_data["reason"]
    return act(
        request,
        lambda: services.external_decide(
            entry=entry, manager=request.user, approve=approve, reason=reason
        ),
        success="Approved." if approve else "Declined. They are told why.",
        redirect_to=entry,
    )


@require_POST
def external_share(request: HttpRequest, pk: int) -> HttpResponse:
    entry, rights = _get_entry(request, pk)
    if not rights.edit:
        raise PermissionDenied("Only the person who logged it shares it.")
    return act(
        request,
        lambda: services.external_share(entry=entry, user=request.user),
        success="Shared as a draft article: the KB editors are asked to review it.",
        redirect_to=entry,
    )
