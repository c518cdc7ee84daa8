"""Cross-training in a real browser: an agent requests a rotation with the form, both
managers approve it on its page, and the rotation, external learning and profile pages pass
axe."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Role
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory
from training.models import Rotation

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def host_manager(other_team):
    user = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


def _check_axe(page) -> None:
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    shots = os.environ.get("HUDDLE_SCREENSHOTS")
    if shots:  # to look at the pages while working on them
        name = page.url.split("://", 1)[1].split("/", 1)[1].strip("/").replace("/", "_")
        page.screenshot(path=f"{shots}/{name or 'home'}.png", full_page=True)


def test_a_rotation_is_requested_and_approved_by_both_managers(
    new_page,
    agent,
    manager,
    host_manager,
    other_team,
    outsider,
):
    start = timezone.localdate() + timedelta(days=10)
    page = new_page()
    log_in(page, "agent")
    page.goto("/training/rotations/")
    _check_axe(page)
    page.get_by_role("link", name="Request a rotation").click()
    # Shadowing asks for a colleague only, one day: the host team and last day are hidden.
    page.get_by_label("Shadowing").check()
    expect(page.get_by_label("Host team")).to_be_hidden()
    expect(page.get_by_label("Last day")).to_be_hidden()
    page.get_by_label("Job rotation").check()
    page.get_by_label("Host team").select_option(label="Technical Support")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#id_ends_on_error")).to_contain_text("before the first day")
    _check_axe(page)
    page.get_by_label("Last day").fill((start + timedelta(days=4)).isoformat())
    page.get_by_label("What do you want to learn?").fill("How tech support triages tickets.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Both teams' managers are asked to approve.")).to_be_visible()
    _check_axe(page)
    rotation = Rotation.objects.get()

    for username in ("manager", "hostmanager"):
        approver = new_page()
        log_in(approver, username)
        approver.goto("/training/rotations/")
        approver.get_by_role("link", name="Job rotation").first.click()
        _check_axe(approver)
        approver.get_by_role("button", name="Approve").click()
        expect(approver.get_by_text("Approved.", exact=True)).to_be_visible()
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.APPROVED

    page.goto("/training/external/new/")
    _check_axe(page)
    page.goto("/training/external/")
    _check_axe(page)
    page.goto(agent.get_absolute_url())
    expect(page.get_by_role("heading", name="Learning", exact=True)).to_be_visible()
    _check_axe(page)
