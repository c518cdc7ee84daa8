"""Matching pages: a mentee's suggestions (and a manager's view of them, with "Propose as
mentor"), asking a mentor, proposing one, and the programme manager's whole-cohort proposal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms.matching import AssignForm, CohortApproveForm, MentorRequestForm, WhyNotForm
from mentorship.matching import cohort as cohort_matching
from mentorship.matching.constraints import exclusion_reasons
from mentorship.matching.scoring import score_pair, score_pairs
from mentorship.matching.suggestions import mentor_suggestions
from mentorship.models import Pairing, Program
from mentorship.services import pairings
from mentorship.services.matching import suggestions_record
from mentorship.views.access import get_mentee_for, get_program
from people.models import User
from people.web import form_refusal

# The suggestion page remembers its top pick for the fairness rotation (see
# `services.matching.suggestions_record`).
RECORDED = 1


@require_GET
def my_suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """The signed-in person's mentor suggestions in the programme."""
    return _suggestions_page(request, get_program(slug), request.user)


@require_GET
def suggestions_for(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """Someone's suggestions, for a person who may pair them (their manager, a programme
    manager, an admin); 404 for anyone else."""
    program = get_program(slug)
    return _suggestions_page(request, program, get_mentee_for(request, program, username))


def _suggestions_page(
    request: HttpRequest,
    program: Program,
    mentee: User,
    *,
    status: int = 200,
    draft: dict[str, str] | None = None,
) -> HttpResponse:
    """The page itself; `draft` is a refused proposal's mentor and note, offered again."""
    own = mentee.pk == request.user.pk
    asked = "person" in request.GET
    form = WhyNotForm(request.GET if asked else None)
    about = form.cleaned_data["person"] if asked and form.is_valid() else None
    result = mentor_suggestions(program=program, mentee=mentee, about=about)
    can_act = program.is_open and result.live_pairing is None
    if can_act and status == 200 and not asked and result.suggestions:
        # Only a page that proposes people counts as suggesting them; a "why not?" question
        # about the same list, or a refused form shown again, does not move the rotation.
        suggestions_record(mentor_ids=[s.mentor.pk for s in result.suggestions[:RECORDED]])
    shown = {s.mentor.username for s in result.suggestions}
    # A refused proposal's note goes back into its mentor's card; when that mentor is no
    # longer suggested (they just reached capacity), the page shows it to copy instead.
    unsent = draft["message"] if draft and draft["mentor"] not in shown else ""
    context = {
        "program": program,
        "mentee": mentee,
        "own": own,
        "result": result,
        "form": form,
        "can_ask": can_act and own,
        "can_assign": can_act and not own,
        "asked": asked,
        "draft": draft,
        "unsent_note": unsent.strip(),
        "here": request.path,
        "manages_program": program.is_managed_by(request.user),
    }
    if request.htmx and asked:
        return render(request, "mentorship/matching/includes/why_not.html", context)
    return render(request, "mentorship/matching/suggestions.html", context, status=status)


@require_http_methods(["GET", "POST"])
def mentor_request(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    """The mentee asks `username` to mentor them, with a message; the mentor answers within
    the programme's window."""
    program = get_program(slug)
    mentor = get_object_or_404(User.objects.select_related("team"), username=username)
    mentee = request.user
    form = MentorRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        score, _ = score_pair(program=program, mentee=mentee, mentor=mentor)
        try:
            pairing = pairings.pairing_request(program=program, mentee=mentee, mentor=mentor,
                                               message=form.cleaned_data["message"].strip(),
                                               score=score)  # fmt: skip
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(request, _asked(pairing))
            return redirect(pairing)
    score, lines = score_pair(program=program, mentee=mentee, mentor=mentor)
    # A refused request is shown beside the form; a fresh page says first what stands in the
    # way, instead of a form that cannot succeed.
    blocked = [] if form.is_bound else _blocked(program, mentee, mentor)
    context = {
        "program": program,
        "mentor": mentor,
        "score": score,
        "lines": lines,
        "blocked": blocked,
        "form": form,
    }
    status = 400 if form.is_bound else 200
    return render(request, "mentorship/matching/request.html", context, status=status)


def _blocked(program: Program, mentee: User, mentor: User) -> list[str]:
    """Why a request cannot be sent at all (shown instead of the form)."""
    if not program.is_open:
        return ["This programme is closed: it takes no new pairings."]
    if mentor.pk == mentee.pk:
        return ["You cannot be your own mentor: choose someone from your suggestions."]
    live = Pairing.objects.live().filter(program=program, mentee=mentee).first()
    if live is not None:
        if live.mentor_id == mentor.pk:
            return [f"You already asked {mentor.name} in this programme."]
        return ["You already have a mentor, or a request waiting, in this programme."]
    return [f"{mentor.name} cannot mentor you here: {r}"
            for r in exclusion_reasons(program=program, mentee=mentee, mentor=mentor)]  # fmt: skip


def _asked(pairing: Pairing) -> str:
    answer_by = timezone.localtime(pairing.request.expires_at)
    return (
        f"{pairing.mentor.name} is asked to mentor {pairing.mentee.name}; they have until "
        f"{answer_by:%d %b} to answer."
    )


@require_POST
def mentor_assign(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager proposes a mentor for a mentee they may pair, with an optional note; the
    mentor accepts or declines. A refusal shows the mentee's suggestions again with the reason
    and the note (400); a person the viewer may not pair is a 404, a mentee they may see but
    not assign (themselves, without rights) a 403."""
    program = get_program(slug)
    form = AssignForm(request.POST)
    if not form.is_valid() and "mentee" in form.errors:
        return render(
            request,
            "mentorship/matching/refused.html",
            {"program": program, "errors": ["Say whom the mentor is for."]},
            status=400,
        )
    mentee = get_mentee_for(request, program, form.cleaned_data["mentee"])
    draft = {"mentor": request.POST.get("mentor", ""), "message": request.POST.get("message", "")}
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _suggestions_page(request, program, mentee, status=400, draft=draft)
    mentor = form.cleaned_data["mentor"]
    score, _ = score_pair(program=program, mentee=mentee, mentor=mentor)
    try:
        pairing = pairings.pairing_assign(program=program, mentee=mentee, mentor=mentor,
                                          manager=request.user,
                                          message=form.cleaned_data["message"].strip(),
                                          score=score)  # fmt: skip
    except ValidationError as refusal:
        for text in refusal.messages:
            messages.error(request, text)
        return _suggestions_page(request, program, mentee, status=400, draft=draft)
    messages.success(request, _asked(pairing))
    return redirect(pairing)


@require_http_methods(["GET", "POST"])
def cohort_proposal(request: HttpRequest, slug: str) -> HttpResponse:
    """Programme managers: the optimal assignment of the unmatched mentees, to trim and
    approve. Nothing is saved until they approve; each kept pair is checked again then."""
    program = get_program(slug)
    if not program.is_managed_by(request.user):
        raise PermissionDenied("Only the programme's managers match its cohort.")
    posted = request.method == "POST"
    form = CohortApproveForm(request.POST if posted else None, program=program)
    if posted:
        if not program.is_open:
            messages.error(request, "This programme is closed: it takes no new pairings.")
        elif form.is_valid():
            kept = form.cleaned_data["pair"]
            scores = score_pairs(program=program, pairs=kept)
            made, refused = pairings.cohort_approve(
                program=program,
                manager=request.user,
                pairs=[(a, b, s) for (a, b), s in zip(kept, scores, strict=True)],
            )
            if made:
                messages.success(request, _proposed(program, len(made)))
            for text in refused:
                messages.warning(request, text)
            return redirect(reverse("mentorship:cohort", args=[program.slug]))
    proposal = cohort_matching.cohort_proposal(program=program) if program.is_open else None
    context = {
        "program": program,
        "proposal": proposal,
        "form": form,
        "weak_below": cohort_matching.WEAK,
    }
    status = 400 if posted else 200
    return render(request, "mentorship/matching/cohort.html", context, status=status)


def _proposed(program: Program, count: int) -> str:
    mentors = "Its mentor has" if count == 1 else "Their mentors have"
    pairs = "1 pairing" if count == 1 else f"{count} pairings"
    return (
        f"Proposed {pairs}. {mentors} {program.accept_window_days} days to answer; mentees "
        "who stay unmatched remain in the cohort."
    )
