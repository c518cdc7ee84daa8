"""The wall (/kudos/): the give form at the top, the success stories pinned today, and one
feed of kudos, customer praise and approved awards, newest first, filtered and paginated."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from recognition.forms.kudos import KudosForm
from recognition.forms.wall import WallFilterForm
from recognition.selectors.accounts import allowance_for
from recognition.selectors.periods import organisation_today
from recognition.selectors.wall import pinned_stories, wall_feed


@require_safe
def wall(request: HttpRequest) -> HttpResponse:
    """The wall. A bad filter is dropped with its error beside it; the others still apply,
    and a bad page number shows the first page (one past the end, the last)."""
    form = WallFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    context = {
        "give_form": KudosForm(giver=request.user),
        "allowance": allowance_for(request.user),
        "stories": pinned_stories(viewer=request.user, today=organisation_today()),
        "form": form,
        "filters": filters,
        "feed": wall_feed(
            viewer=request.user, filters=filters, page_number=request.GET.get("page")
        ),
    }
    return render(request, "recognition/wall/wall.html", context)
