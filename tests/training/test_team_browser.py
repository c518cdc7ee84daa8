"""In a real browser: a manager assigns a track with a due date (a team's "Select all" and
"Clear" first, then one person) and finds it on the team page, whose chart is drawn from the
page's JSON under the strict CSP (no console errors), stays still for people who asked for
less motion, and passes axe with the assign page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.training.builders import enrol
from training.models import Enrolment

pytestmark = [pytest.mark.browser, requires_chromium]

CHART_DRAWN = "() => { const c = window.Chart && Chart.getChart('team-chart'); return !!c; }"
CHART_ANIMATES = "() => Chart.getChart('team-chart').options.animation !== false"


def test_a_manager_assigns_a_track_and_sees_it_on_the_team_page(
    new_page, manager, agent, mentor, track
):
    enrol(mentor, track)
    due = timezone.localdate() + timedelta(days=14)
    page = new_page()
    log_in(page, "manager")
    page.goto(f"/training/tracks/{track.slug}/assign/")
    violations, report = serious_a11y_violations(page)
    assert not violations, report

    # Select all / Clear (static/js/select-all.js) tick and untick one team's people.
    team_boxes = page.locator(f"#assign-team-{agent.team_id} input[type=checkbox]")
    page.get_by_role("button", name=f"Select all in {agent.team.name}").click()
    assert all(team_boxes.nth(i).is_checked() for i in range(team_boxes.count()))
    page.get_by_role("button", name=f"Clear {agent.team.name}").click()
    assert not any(team_boxes.nth(i).is_checked() for i in range(team_boxes.count()))

    page.get_by_label(agent.name, exact=True).check()
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("heading", level=1, name="Team training")).to_be_visible()
    expect(page.get_by_text("Assigned “Refunds basics” to 1 person, due")).to_be_visible()
    expect(page.locator("#team-chart")).to_be_visible()
    page.wait_for_function(CHART_DRAWN)
    assert page.evaluate(CHART_ANIMATES)
    table = page.get_by_role("table", name="People per track and status")
    expect(table.get_by_role("row", name="Refunds basics")).to_contain_text("2")
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert page.errors == []

    assert Enrolment.objects.get(user=agent).due_on == due


def test_the_chart_stays_still_when_less_motion_is_asked_for(new_page, manager, agent, track):
    enrol(agent, track, assigned_by=manager)
    page = new_page(reduced_motion="reduce")
    log_in(page, "manager")
    page.goto("/training/team/")
    page.wait_for_function(CHART_DRAWN)
    assert not page.evaluate(CHART_ANIMATES)
