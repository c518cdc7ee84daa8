"""Hand-over when someone leaves or changes team (placeholder until the page lands)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def handover(request: HttpRequest, username: str) -> HttpResponse:
    return HttpResponse("Not built yet.", status=501)
