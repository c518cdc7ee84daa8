"""The leaderboards: receiving and giving, side by side, per period, team and value."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from people.models import Team
from recognition.forms.boards import BoardFilterForm
from recognition.models import Value
from recognition.selectors.leaderboard import leaderboards
from recognition.selectors.periods import period_span


@require_safe
def leaderboard(request: HttpRequest) -> HttpResponse:
    """Both boards for the chosen period (this month by default), team and value. A filter
    value that is not offered is shown as an error beside it (400) while the boards show
    the others; an htmx request gets the boards alone, to swap in place."""
    form = BoardFilterForm(
        request.GET or None,
        teams=list(Team.objects.order_by("name", "pk")),
        values=list(Value.objects.order_by("-is_active", "order", "name")),
    )
    period, team, value = form.chosen()
    boards = leaderboards(viewer=request.user, span=period_span(period), team=team, value=value)
    context = {"form": form, "boards": boards, "filtered": bool(team or value)}
    status = 400 if form.errors else 200
    # A filter changed in place gets the boards alone; going back to a page htmx no longer
    # holds (a history restore) needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "recognition/leaderboard/" + (
        "includes/boards.html" if partial else "leaderboard.html"
    )
    response = render(request, template, context, status=status)
    # One address, two bodies: a cache must not answer one with the other.
    patch_vary_headers(response, ["HX-Request"])
    return response
