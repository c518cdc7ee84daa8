"""The manager's pages: assigning a track, the team's progress, and its CSV download."""

from __future__ import annotations

import csv
from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from people.exports import csv_safe
from people.web import form_refusal, role_required
from training.forms.team import AssignForm, TeamFilterForm
from training.models import Track
from training.selectors import team as selectors
from training.selectors.team import STATUS_CHOICES
from training.services import assignments

manager_required = role_required("is_manager", "Only managers assign tracks and see team progress.")


@require_http_methods(["GET", "POST"])
@manager_required
def track_assign(request: HttpRequest, slug: str) -> HttpResponse:
    """Assign a track to people of the manager's teams or a whole team, with a due date."""
    track = get_object_or_404(Track.objects.visible_to(request.user), slug=slug)
    if track.status != Track.Status.PUBLISHED:
        context = {"track": track, "form": None}
        return render(request, "training/team/assign.html", context, status=_status(request))
    form = AssignForm(request.POST or None, manager=request.user, track=track)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolments = assignments.track_assign(
                track=track,
                manager=request.user,
                users=list(data["people"]),
                team=data["team"],
                due_on=data["due_on"],
            )
        except ValidationError as refusal:
            form_refusal(form, refusal, fields=ASSIGN_FIELDS)
        else:
            messages.success(request, _summary(track, enrolments, data["due_on"]))
            query = {"track": track.slug}
            if data["team"] is not None:
                query["team"] = data["team"].slug
            return redirect(f"{reverse('training:team')}?{urlencode(query)}")
    context = {"track": track, "form": form}
    return render(request, "training/team/assign.html", context, status=_status(request))


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# The service names the people "users"; the form, "people".
ASSIGN_FIELDS = {"users": "people"}


def _summary(track: Track, enrolments, due_on) -> str:
    """What happened, in one message: who got it, whose due date changed, who had already
    completed it (left as it was)."""
    outcomes = Counter(e.assign_outcome for e in enrolments)
    due = f", due {date_format(due_on)}" if due_on else ", with no due date"
    parts = []
    assigned = outcomes[assignments.ASSIGNED] + outcomes[assignments.REACTIVATED]
    if assigned:
        parts.append(f"Assigned “{track}” to {_people(assigned)}{due}.")
    if outcomes[assignments.UPDATED]:
        parts.append(f"Updated {_people(outcomes[assignments.UPDATED])} already on it{due}.")
    if outcomes[assignments.UNCHANGED]:
        parts.append(f"{_people(outcomes[assignments.UNCHANGED]).capitalize()} already had it.")
    done = [e.user.name for e in enrolments if e.assign_outcome == assignments.ALREADY_COMPLETED]
    if done:
        parts.append(f"Already completed, left as completed: {', '.join(done)}.")
    return " ".join(parts)


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


@require_GET
@manager_required
def team_progress(request: HttpRequest) -> HttpResponse:
    """Who in the manager's teams is on which track, how far, and what is overdue, with a
    chart per track and the same numbers as a table."""
    report = _report(request)
    context = {
        "report": report,
        "statuses": STATUS_CHOICES,
        "csv_url": f"{reverse('training:team-csv')}{_filter_query(report)}",
        "show_team": report.rows_span_teams,
        "show_team_of_unassigned": report.spans_teams,
    }
    return render(request, "training/team/progress.html", context)


def _report(request: HttpRequest) -> selectors.TeamProgress:
    filters = TeamFilterForm(request.GET).filters()
    return selectors.team_progress(
        manager=request.user,
        team_slug=filters["team"],
        track_slug=filters["track"],
        status=filters["status"],
    )


def _filter_query(report: selectors.TeamProgress) -> str:
    """The filters in effect as a query string: the CSV gets the rows the page shows."""
    chosen = {
        "team": report.team.slug if report.team else "",
        "track": report.track_slug,
        "status": report.status,
    }
    query = urlencode({name: value for name, value in chosen.items() if value})
    return f"?{query}" if query else ""


CSV_HEADER = [
    "Person",
    "Team",
    "Track",
    "Status",
    "Progress %",
    "Assigned by",
    "Due date",
    "Overdue",
    "Completed date",
]


@require_GET
@manager_required
def team_progress_csv(request: HttpRequest) -> HttpResponse:
    """The team page's rows (same team and filters) as a CSV file."""
    report = _report(request)
    name = report.team.slug if report.team else "all-teams"
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{name}-{stamp}.csv"'
    response.write("\ufeff")  # the byte-order mark: spreadsheets then read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        writer.writerow(
            [
                csv_safe(row.person.name),
                csv_safe(row.team.name if row.team else ""),
                csv_safe(row.track.title),
                row.status_label,
                row.progress,
                csv_safe(row.assigned_by.name if row.assigned_by else ""),
                row.due_on.isoformat() if row.due_on else "",
                "yes" if row.overdue else "no",
                row.completed_on.isoformat() if row.completed_on else "",
            ]
        )
    return response
