"""My recognition: what a person has in recognition, on one page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from recognition.selectors.people import my_recognition as select_my_recognition


@require_safe
def my_recognition(request: HttpRequest) -> HttpResponse:
    """This month's allowance, the points balance with the way to rewards, redemptions,
    badges, kudos received and given (a page of each, `received` and `given` number them)
    and the customer praise naming the viewer."""
    mine = select_my_recognition(
        user=request.user,
        received_page=request.GET.get("received"),
        given_page=request.GET.get("given"),
    )
    return render(request, "recognition/me/my_recognition.html", {"mine": mine})
