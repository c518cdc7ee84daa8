"""In a real browser: a manager's insights page draws its charts from the page's JSON under
the strict CSP (no console errors), shows each chart's numbers as a table, and passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import make_article
from tests.recognition.builders import make_kudos, make_praise
from tests.training.builders import enrol, make_track

pytestmark = [pytest.mark.browser, requires_chromium]

KUDOS_CHART_DRAWN = (
    "() => { const c = window.Chart && Chart.getChart('insights-chart-kudos'); return !!c; }"
)


def test_a_managers_insights_show_the_chart_and_the_table(new_page, manager, agent, editor):
    make_kudos(manager, agent)
    make_praise([agent], csat=5)
    make_article(author=agent, approved_by=editor, owner=agent, title="Refund steps")
    enrol(agent, make_track(owner=manager))
    page = new_page()
    log_in(page, "manager")
    page.goto("/insights/")
    expect(page.get_by_role("heading", level=1, name="Insights")).to_be_visible()
    expect(page.locator("#insights-chart-kudos")).to_be_visible()
    page.wait_for_function(KUDOS_CHART_DRAWN)
    table = page.get_by_role("table", name="Kudos per person in the period")
    expect(table.get_by_role("row", name=agent.name)).to_contain_text("1")
    risk = page.get_by_role("table", name="What depends on one person: bus factor 1")
    expect(risk.get_by_role("link", name="Hand over (KB category: Billing)")).to_be_visible()
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert page.errors == []


def test_a_bad_period_is_shown_beside_the_field(new_page, manager):
    page = new_page()
    log_in(page, "manager")
    page.goto("/insights/?period=custom&start=2026-02-01&end=2026-01-01")
    expect(page.get_by_text("The end date comes after the start date.")).to_be_visible()
    violations, report = serious_a11y_violations(page)
    assert not violations, report
