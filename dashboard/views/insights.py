"""Manager insights: a team's health over a period, its knowledge risk, and each table as a
CSV download (the same rows the page shows)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard import insights as selectors
from dashboard.insights.csv import table_csv

REFUSED = "Only managers (for their teams) and admins can open insights."


def _form(request: HttpRequest) -> selectors.InsightsForm:
    if not selectors.may_open_insights(request.user):
        raise PermissionDenied(REFUSED)
    # Always bound: no choices at all is valid (every team shown, the last 30 days).
    return selectors.InsightsForm(request.GET, zone=request.user.zone)


def _insights(
    request: HttpRequest, form: selectors.InsightsForm, only: str | None = None
) -> selectors.Insights:
    teams = selectors.insight_teams(viewer=request.user)
    team = selectors.chosen_team(teams, form.cleaned_data.get("team") or "")
    return selectors.team_insights(
        viewer=request.user, teams=teams, team=team, period=form.chosen_period(), only=only
    )


@require_GET
def insights(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        context = {"form": form, "report": None}
        return render(request, "dashboard/insights.html", context, status=400)
    report = _insights(request, form)
    context = {"form": form, "report": report, "query": form.query()}
    return render(request, "dashboard/insights.html", context)


@require_GET
def insights_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in selectors.TABLE_SLUGS:
        raise Http404("No such table.")
    form = _form(request)
    if not form.is_valid():
        errors = "; ".join(message for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    report = _insights(request, form, only=table)
    name = report.team.slug if report.team else "all-teams"
    period = report.period
    filename = f"{table}-{name}-{period.first_day.isoformat()}-{period.end_day.isoformat()}.csv"
    return table_csv(report.table(table), filename=filename)
