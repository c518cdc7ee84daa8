"""Manager insights (placeholder until the page lands)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def insights(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Not built yet.", status=501)


def insights_csv(request: HttpRequest, table: str) -> HttpResponse:
    return HttpResponse("Not built yet.", status=501)
