"""Notifications in a real browser: log in, see them, mark one read; and the pages pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from notifications.models import Notification
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import PASSWORD, NotificationFactory, UserFactory

pytestmark = [pytest.mark.browser, requires_chromium]


def test_agent_marks_one_notification_read(page: Page, agent):
    older = NotificationFactory(recipient=agent, message="Your article was approved")
    newer = NotificationFactory(recipient=agent, message="Morgan sent you kudos")

    log_in(page, "agent")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {agent.name}")
    latest = page.get_by_role("region", name="Latest notifications")
    expect(latest.get_by_role("link", name="Your article was approved")).to_be_visible()
    expect(latest.get_by_role("link", name="Morgan sent you kudos")).to_be_visible()
    badge = page.locator("#unread-badge .badge")
    expect(badge).to_have_text("2")

    page.get_by_role("banner").get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")

    item = page.locator(f"#notification-{older.pk}")
    expect(item).to_have_class(re.compile(r"\bunread\b"))
    # Made by htmx (not the no-JavaScript form post), so the badge can only change through the
    # notifications-changed event.
    with page.expect_request(f"**/notifications/{older.pk}/read/") as request:
        item.get_by_role("button", name=re.compile(r"^Mark read")).click()
    assert request.value.headers.get("hx-request") == "true"

    expect(item).not_to_have_class(re.compile(r"\bunread\b"))
    expect(item.get_by_role("button")).to_have_count(0)
    expect(item).not_to_contain_text("unread")
    expect(badge).to_have_text("1")
    expect(page.locator(f"#notification-{newer.pk}")).to_have_class(re.compile(r"\bunread\b"))

    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {older.pk}


@pytest.fixture
def agent_with_context(agent, manager, mentor):
    """An agent with teammates and notifications, so every page shows its full markup."""
    NotificationFactory(recipient=agent, message="Welcome to Huddle")
    NotificationFactory(recipient=agent, message="Morgan sent you kudos")
    UserFactory(username="colleague", team=agent.team, skills=["refunds", "invoicing"])
    return agent


A11Y_PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/notifications/", id="notifications"),
    pytest.param("/people/", id="people-directory"),
    pytest.param("/people/u/colleague/", id="profile"),
    pytest.param("/people/u/agent/edit/", id="profile-edit"),
]


def test_login_page_has_no_serious_a11y_violations(page: Page, agent):
    page.goto("/accounts/login/")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary


def test_login_form_errors_have_no_serious_a11y_violations(page: Page, agent):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill(PASSWORD + " wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_signed_in_page_has_no_serious_a11y_violations(page: Page, agent_with_context, path):
    log_in(page, "agent")
    page.goto(path)
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
