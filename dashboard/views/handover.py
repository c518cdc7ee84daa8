"""Hand-over when someone leaves or changes team: the form and its preview, then, confirmed,
one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from dashboard.handover import (
    default_successor,
    handover_apply,
    handover_preview,
    require_hand_over,
    scope_for,
)
from dashboard.handover.forms import HandOverForm
from dashboard.handover.kinds import KINDS
from dashboard.models import HandOver
from people.models import User
from people.web import form_refusal


@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, username: str) -> HttpResponse:
    """GET: the form with the defaults' preview. POST: the preview of the choices made, or
    with `confirm`, the hand-over itself."""
    person = get_object_or_404(User.objects.select_related("team"), username=username)
    require_hand_over(actor=request.user, person=person)
    default = default_successor(actor=request.user, person=person)
    form = HandOverForm(request.POST or None, person=person, default=default)
    preview, status = None, 200
    if request.method == "GET":
        scope = scope_for(person=person, leaving=True, new_team=None)
        successors = {kind.key: default for kind in KINDS}
        preview = handover_preview(actor=request.user, scope=scope, successors=successors)
    elif not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data
        leaving = data["action"] == HandOver.Action.DEACTIVATE
        if "confirm" in request.POST:
            try:
                handover_apply(
                    actor=request.user,
                    person=person,
                    action=data["action"],
                    successors=form.successors(),
                    new_team=data["new_team"],
                )
            except ValidationError as refusal:
                form_refusal(form, refusal)
                status = 400
            else:
                done = "left Huddle" if leaving else f"moved to {data['new_team']}"
                messages.success(request, f"{person.name}'s work was handed over; they {done}.")
                # A person who left has no profile page any more: back to the directory.
                if leaving:
                    return redirect("people:directory")
                return redirect("people:profile", person.username)
        scope = scope_for(person=person, leaving=leaving, new_team=data["new_team"])
        preview = handover_preview(actor=request.user, scope=scope, successors=form.successors())
    context = {"person": person, "form": form, "preview": preview, "kinds": KINDS}
    return render(request, "dashboard/handover.html", context, status=status)
