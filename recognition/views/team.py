"""A manager's recognition summary of their team (Workhuman's manager view): who was
recognised for what in a period, who gave, and whom nobody recognised yet."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from people.web import role_required
from recognition.forms.boards import TeamRecognitionForm
from recognition.selectors.people import recognition_teams
from recognition.selectors.people import team_recognition as select_team_recognition
from recognition.selectors.periods import period_span

manager_required = role_required("is_manager", "Only managers see their team's recognition.")


def _chosen(request: HttpRequest, teams: list, slug: str):
    """The team asked for and the teams to show. A team the viewer does not manage is a 403
    (for an admin, who may open any, an unknown one is a 404). With none asked for: the
    viewer's own team, all of them when they manage several, or an admin's first team."""
    if slug:
        team = next((t for t in teams if t.slug == slug), None)
        if team is None:
            if request.user.is_superuser:
                raise Http404("No team has that name.")
            raise PermissionDenied("You see the recognition of the teams you manage only.")
        return team, [team]
    own = [t for t in teams if t.mine]
    if len(own) > 1:
        return None, own
    shown = own or teams[:1]
    return (shown[0] if shown else None), shown


@require_safe
@manager_required
def team_recognition(request: HttpRequest) -> HttpResponse:
    """Per member for the chosen period (this month by default): kudos and points received,
    kudos given, badges earned and customer praise; the members nobody recognised yet, with
    a "Give kudos" link each; the team's recent kudos. A period not offered is an error beside
    the filter (400) while the page shows this month."""
    form = TeamRecognitionForm(request.GET or None)
    teams = recognition_teams(viewer=request.user)
    team, shown = _chosen(request, teams, form.team_slug())
    summary = select_team_recognition(
        viewer=request.user,
        teams=teams,
        team=team,
        shown=shown,
        span=period_span(form.period_key()),
    )
    status = 400 if form.errors.get("period") else 200
    return render(
        request,
        "recognition/team/team_recognition.html",
        {"form": form, "summary": summary},
        status=status,
    )
