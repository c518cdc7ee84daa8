"""Overseeing mentoring: a manager's page of their teams' pairings, and a programme's report
(with its CSV) for the programme's managers. Both show cadence, progress and status, never
what the pairs wrote."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mentorship.forms.team import TeamFilterForm
from mentorship.models import Program
from mentorship.selectors import oversight
from mentorship.selectors import report as report_selectors
from mentorship.views.access import get_program
from people.exports import csv_safe
from people.web import role_required

manager_required = role_required("is_manager", "Only managers see their team's mentoring.")


@require_GET
@manager_required
def team_pairings(request: HttpRequest) -> HttpResponse:
    """What the manager acts on first, who has no mentor yet and the pairings at risk; then
    the other pairings of the people in their teams (as mentees and as mentors), those
    waiting for an answer, and a chart by state."""
    report = oversight.team_mentoring(
        manager=request.user, team_slug=TeamFilterForm(request.GET).team_slug()
    )
    return render(request, "mentorship/team/pairings.html", {"report": report})


def _managed_program(request: HttpRequest, slug: str) -> Program:
    """The programme (404 when unknown), 403 for anyone but its managers and admins."""
    program = get_program(slug)
    if not program.is_managed_by(request.user):
        raise PermissionDenied("Only the programme's managers see its report.")
    return program


@require_GET
def program_report(request: HttpRequest, slug: str) -> HttpResponse:
    """Participation, match and completion rates, ratings, meeting frequency, request
    outcomes, end reasons and the feedback itself."""
    program = _managed_program(request, slug)
    report = report_selectors.program_report(program=program)
    return render(request, "mentorship/team/report.html", {"program": program, "report": report})


CSV_HEADER = [
    "Mentee",
    "Mentee's team",
    "Mentor",
    "Status",
    "At risk",
    "Source",
    "Match score",
    "Proposed on",
    "Started on",
    "Ends on",
    "Finished on",
    "Meetings held",
    "Last meeting",
    "Meetings per month",
    "Goals met",
    "Goals",
    "Average goal progress %",
    "Ratings",
    "Average rating",
    "End reason",
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def _number(value) -> str:
    return "" if value is None else str(value)


@require_GET
def program_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One row per pairing of the programme with the report's numbers; no notes, goal titles
    or feedback comments (ratings only)."""
    program = _managed_program(request, slug)
    report = report_selectors.program_report(program=program)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-{program.slug}-{stamp}.csv"'
    response.write("\ufeff")  # the byte-order mark: spreadsheets then read the names as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        health, pairing = row.health, row.pairing
        team = pairing.mentee.team
        last = health.last_meeting_at
        writer.writerow(
            [
                csv_safe(pairing.mentee.name),
                csv_safe(team.name if team else ""),
                csv_safe(pairing.mentor.name),
                pairing.get_status_display(),
                "yes" if health.at_risk else "no",
                pairing.get_source_display(),
                _number(pairing.score),
                _day(timezone.localdate(pairing.created_at)),
                _day(pairing.started_on),
                _day(pairing.ends_on),
                _day(health.finished_on()),
                health.meetings_held,
                _day(timezone.localdate(last) if last else None),
                _number(row.meetings_per_month),
                health.goals_met,
                health.goal_count,
                _number(health.goal_progress),
                len(row.ratings),
                _number(row.average_rating),
                csv_safe(pairing.end_reason),
            ]
        )
    return response
