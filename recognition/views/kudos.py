"""One kudos: its page (the card, comments, the comment form), reacting, commenting and
reporting.

A kudos the viewer may not see (`Kudos.objects.visible_to`: a reported one is its giver's and
the admins' alone) is a 404 on every one of these. A refusal (reactions and comments closed
while it is under review, one's own kudos reported) is a 400 with the reason, never a 500, and
changes nothing. Reactions and comments answer htmx with their part of the page; a plain post
comes back to the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from people.web import form_refusal
from recognition import services
from recognition.forms.wall import CommentForm, ReactionForm, ReportForm
from recognition.models import Kudos
from recognition.selectors.wall import kudos_card, kudos_comments

REFUSED = "recognition/kudos/refused.html"


def _get_kudos(request: HttpRequest, pk: int) -> Kudos:
    """The kudos with its card for the viewer; 404 when they may not see it."""
    kudos = kudos_card(viewer=request.user, pk=pk)
    if kudos is None:
        raise Http404("No such kudos, or it is hidden while an admin looks at a report.")
    return kudos


def _back(request: HttpRequest, kudos: Kudos) -> str:
    """Where a plain post returns: the page it came from when that is ours, else the kudos."""
    target = request.POST.get("next", "")
    # A local path only: a bare word would be taken for a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return kudos.get_absolute_url()


def _page(request: HttpRequest, kudos: Kudos, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "kudos": kudos,
        "comments": kudos_comments(kudos=kudos),
        "comment_form": CommentForm(),
        **extra,
    }
    return render(request, "recognition/kudos/kudos_detail.html", context, status=status)


@require_safe
def kudos_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The kudos's card, its comments and the comment form."""
    return _page(request, _get_kudos(request, pk))


@require_POST
def kudos_react(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Turn the viewer's reaction of `kind` on or off (`on`: "1" or "0"; none toggles)."""
    kudos = _get_kudos(request, pk)
    form = ReactionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(form.errors["on"])
    else:
        try:
            services.reaction_toggle(
                kudos=kudos, user=request.user, kind=kind, on=form.cleaned_data["on"]
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    back = _back(request, kudos)
    if not request.htmx:
        if error:
            return render(request, REFUSED, {"kudos": kudos, "reasons": [error]}, status=400)
        return redirect(back)
    context = {"kudos": _get_kudos(request, pk), "next": back, "error": error}
    status = 400 if error else 200
    return render(request, "recognition/includes/reactions.html", context, status=status)


def _comments_section(request, kudos: Kudos, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "kudos": kudos,
        "comments": kudos_comments(kudos=kudos),
        "comment_form": CommentForm(),
        **extra,
    }
    return render(request, "recognition/kudos/comments.html", context, status=status)


@require_POST
def kudos_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a short comment; the giver, the recipients and everyone @mentioned are told. With
    htmx the comments come back in place with the new one or the form's error."""
    kudos = _get_kudos(request, pk)
    form = CommentForm(request.POST)
    comment = None
    if form.is_valid():
        try:
            comment = services.comment_add(
                kudos=kudos, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
    if comment is None:
        respond = _comments_section if request.htmx else _page
        return respond(request, kudos, status=400, comment_form=form)
    if request.htmx:
        kudos = _get_kudos(request, pk)  # the comment count on the card moves on
        return _comments_section(
            request, kudos, posted_comment=comment, comment_notice="Comment posted."
        )
    messages.success(request, "Comment posted.")
    return redirect(f"{kudos.get_absolute_url()}#comment-{comment.pk}")


@require_http_methods(["GET", "POST"])
def kudos_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a kudos with a reason: it is hidden from everyone but its giver and admins
    until an admin restores or removes it. The card's small form posts here; this page shows
    it again with its errors (and is the form for anyone who opens the link)."""
    kudos = _get_kudos(request, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.kudos_report(
                kudos=kudos, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            messages.success(
                request,
                "Thank you. The kudos is hidden from everyone but its giver until an admin "
                "decides.",
            )
            return redirect(reverse("recognition:wall"))
    elif request.method == "GET" and not kudos.card.reportable:
        reason = (
            "You cannot report your own kudos."
            if kudos.giver_id == request.user.pk
            else "This kudos is already waiting for an admin's decision."
        )
        return render(request, REFUSED, {"kudos": kudos, "reasons": [reason]}, status=400)
    status = 400 if form.is_bound else 200
    return render(
        request, "recognition/kudos/report_form.html", {"kudos": kudos, "form": form}, status=status
    )
