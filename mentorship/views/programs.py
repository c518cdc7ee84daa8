"""Programmes: the list, a programme's page, joining and leaving it as a mentee, and its
settings for the people who run it. Programmes themselves are created in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mentorship.forms.programs import ProgramForm
from mentorship.models import Program
from mentorship.selectors import programs as selectors
from mentorship.services import pairings as pairing_services
from mentorship.services.programs import program_update
from mentorship.views.access import get_program
from people.web import form_refusal


@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.program_list(user=request.user)
    return render(request, "mentorship/programs/program_list.html", {"rows": rows})


def _detail_page(request: HttpRequest, program: Program, *, status: int = 200) -> HttpResponse:
    page = selectors.program_page(program=program, user=request.user, now=timezone.now())
    context = {"program": program, "page": page}
    return render(request, "mentorship/programs/program_detail.html", context, status=status)


@require_safe
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail_page(request, get_program(slug))


def _act(request: HttpRequest, slug: str, action, success: str) -> HttpResponse:
    """Run `action(program)`; a refusal (a closed programme, a pairing still running) is the
    programme's page again with the reason and a 400, success a message and a redirect."""
    program = get_program(slug)
    try:
        action(program)
    except ValidationError as refusal:
        for text in refusal.messages:
            messages.error(request, text)
        return _detail_page(request, get_program(slug), status=400)
    messages.success(request, success)
    if request.POST.get("next") == "list":  # joined from the list: back to it
        return redirect("mentorship:program-list")
    return redirect(program)


@require_POST
def program_join(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda program: pairing_services.participation_join(program=program, mentee=request.user),
        "You take part in the programme. Find a mentor among your suggestions.",
    )


@require_POST
def program_leave(request: HttpRequest, slug: str) -> HttpResponse:
    return _act(
        request,
        slug,
        lambda program: pairing_services.participation_leave(program=program, mentee=request.user),
        "You left the programme.",
    )


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program(slug)
    if not program.is_managed_by(request.user):
        raise PermissionDenied("Only the programme's managers can change it.")
    form = ProgramForm(
        request.POST or None, program=program, initial=ProgramForm.initial_for(program)
    )
    if request.method == "POST" and form.is_valid():
        try:
            program_update(program=program, user=request.user, data=form.service_data())
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, "Programme saved.")
            return redirect(program)
    status = 400 if form.is_bound else 200
    context = {"program": program, "form": form}
    return render(request, "mentorship/programs/program_form.html", context, status=status)
