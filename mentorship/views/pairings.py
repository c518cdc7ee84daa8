"""A pairing's page and its lifecycle: the mentor's answer, withdrawing a request, extending,
completing, ending early, and the feedback both sides give at the end.

A pairing the viewer may not see is a 404 (`get_pairing`); an action they may not take is a
403 (the services' PermissionDenied, checked before any form is read). A refusal (expired,
already answered, a bad date) is the page again with the reason, status 400, nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from mentorship.forms.pairings import DeclineForm, EndForm, ExtendForm, FeedbackForm
from mentorship.models import Pairing
from mentorship.selectors.pairings import pairing_page
from mentorship.selectors.plans import pairing_plan
from mentorship.services import pairings as services
from mentorship.views.access import get_pairing
from people.web import form_refusal

# Each form and the right that shows it on the page.
_FORM_RIGHTS = {
    "decline_form": ("answer", DeclineForm),
    "end_form": ("steer", EndForm),
    "extend_form": ("steer", ExtendForm),
    "feedback_form": ("give_feedback", FeedbackForm),
}


def _section(rights, viewer) -> str:
    """The mentorship tab the page is reached from: the pair's own mentoring; for those who
    oversee it, their team's mentoring (managers, admins) or the programmes (the programme's
    managers, who see its pairings from its report)."""
    if rights.member:
        return "mine"
    if viewer.is_manager:
        return "team"
    return "programmes" if rights.read_feedback else ""


def _page(request: HttpRequest, pairing: Pairing, *, status: int = 200, **bound) -> HttpResponse:
    """The page; `bound` is a form sent back with its errors. When the page no longer shows
    that form (the request expired meanwhile, the feedback was given), its errors become
    messages at the top, so the reason is never lost."""
    now = timezone.now()
    page = pairing_page(pairing=pairing, viewer=request.user, now=now)
    rights = page.rights
    forms = {}
    for name, (right, form_class) in _FORM_RIGHTS.items():
        shown = getattr(rights, right)
        form = bound.get(name)
        if form is not None and not shown:
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
        forms[name] = (form or form_class()) if shown else None
    context = {
        "pairing": pairing,
        "page": page,
        "can": rights,
        "section": _section(rights, request.user),
        "plan": pairing_plan(pairing=pairing, viewer=request.user, now=now)
        if rights.member and pairing.started_on
        else None,
        "suggestions_url": services.suggestions_url(pairing) if rights.find_another else "",
        **forms,
    }
    return render(request, "mentorship/pairings/pairing_detail.html", context, status=status)


@require_safe
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_pairing(request, pk))


def _refused(request: HttpRequest, pk: int, refusal: ValidationError) -> HttpResponse:
    """The page again, as it is now, with the reason the service gave."""
    for text in refusal.messages:
        messages.error(request, text)
    return _page(request, get_pairing(request, pk), status=400)


def _simple(request: HttpRequest, pk: int, action, *, allowed, success: str) -> HttpResponse:
    """One service call with no form: 403 unless `allowed(pairing)`, the page with the
    reason (400) when the service refuses, a message and the page otherwise."""
    pairing = get_pairing(request, pk)
    if not allowed(pairing):
        raise PermissionDenied("You cannot do this on this pairing.")
    try:
        action(pairing)
    except ValidationError as refusal:
        return _refused(request, pk, refusal)
    messages.success(request, success)
    return redirect(pairing)


def _with_form(request, pk, form_class, name, action, *, allowed, success, fields=None):
    """A service call fed by a form: 403 unless `allowed(pairing)`; the form's errors or the
    service's refusal on the page (400); a message and the page when it is done."""
    pairing = get_pairing(request, pk)
    if not allowed(pairing):
        raise PermissionDenied("You cannot do this on this pairing.")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(pairing, form.cleaned_data)
        except ValidationError as refusal:
            form_refusal(form, refusal, fields=fields)
        else:
            messages.success(request, success)
            return redirect(pairing)
    return _page(request, get_pairing(request, pk), status=400, **{name: form})


def _is_mentor(request):
    return lambda pairing: pairing.mentor_id == request.user.pk


def _may_steer(request):
    return lambda pairing: pairing.is_member(request.user) or pairing.is_managed_by(request.user)


@require_POST
def pairing_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        lambda pairing: services.pairing_accept(pairing=pairing, mentor=request.user),
        allowed=_is_mentor(request),
        success="Accepted. Your mentoring has started: plan your first meeting.",
    )


@require_POST
def pairing_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        DeclineForm,
        "decline_form",
        lambda pairing, data: services.pairing_decline(
            pairing=pairing, mentor=request.user, reason=data["reason"]
        ),
        allowed=_is_mentor(request),
        success="Declined. The mentee is told and shown their next suggestions.",
        fields={"decline_reason": "reason"},
    )


@require_POST
def pairing_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        lambda pairing: services.pairing_withdraw(pairing=pairing, user=request.user),
        allowed=lambda pairing: (
            pairing.mentee_id == request.user.pk or pairing.is_managed_by(request.user)
        ),
        success="Request withdrawn. The mentor is told it no longer waits for them.",
    )


@require_POST
def pairing_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        EndForm,
        "end_form",
        lambda pairing, data: services.pairing_end(
            pairing=pairing, user=request.user, reason=data["reason"]
        ),
        allowed=_may_steer(request),
        success="The pairing has ended.",
        fields={"end_reason": "reason"},
    )


@require_POST
def pairing_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        ExtendForm,
        "extend_form",
        lambda pairing, data: services.pairing_extend(
            pairing=pairing, user=request.user, ends_on=data["ends_on"]
        ),
        allowed=_may_steer(request),
        success="Extended: the new end date is saved.",
    )


@require_POST
def pairing_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple(
        request,
        pk,
        lambda pairing: services.pairing_complete(pairing=pairing, user=request.user),
        allowed=_may_steer(request),
        success="Completed. Congratulations! Tell us how it went below.",
    )


@require_POST
def pairing_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_form(
        request,
        pk,
        FeedbackForm,
        "feedback_form",
        lambda pairing, data: services.feedback_give(
            pairing=pairing, author=request.user, rating=data["rating"], comments=data["comments"]
        ),
        allowed=lambda pairing: pairing.is_member(request.user),
        success="Thanks for your feedback.",
    )
