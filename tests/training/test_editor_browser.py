"""The track editor in a real browser: steps are reordered from the keyboard through htmx,
the focus stays on the moved step's button and the move is announced; the catalogue, the
editor and the quiz editor pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import make_article
from tests.training.builders import make_track
from training.models import TrackStep

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.fixture
def draft(transactional_db, editor, team):
    article = make_article(author=editor, title="Active listening", approved_by=editor)
    restricted = make_article(
        author=editor, title="Billing scripts", visibility="teams", teams=[team],
        approved_by=editor,
    )  # fmt: skip
    track = make_track(
        owner=editor, title="Calm calls", published=False, articles=[article, restricted],
        quiz=True, task=True,
    )  # fmt: skip
    track.skills.set(["empathy"])
    return track


def _order(page: Page) -> list[str]:
    return page.locator("#step-list li.step-row strong").all_inner_texts()


def test_steps_are_reordered_from_the_keyboard(page: Page, editor, draft):
    log_in(page, "editor")
    page.goto(f"/training/tracks/{draft.slug}/edit/")
    assert _order(page) == [
        "Active listening", "Billing scripts", "Check yourself", "Handle a refund call",
    ]  # fmt: skip
    down = page.get_by_role("button", name="Move down: Active listening, step 1")
    down.focus()
    with page.expect_request(f"**/training/tracks/{draft.slug}/steps/*/move/") as request:
        page.keyboard.press("Enter")
    assert request.value.headers.get("hx-request") == "true"  # htmx, not a page load
    expect(page.locator("#step-status")).to_have_text("Moved “Active listening” to position 2.")
    assert _order(page)[:2] == ["Billing scripts", "Active listening"]
    focused = page.get_by_role("button", name="Move down: Active listening, step 2")
    expect(focused).to_be_focused()

    # Moving it back up to the top: "Move up" is now disabled, so "Move down" takes the focus.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Move up: Active listening, step 2")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#step-status")).to_have_text("Moved “Active listening” to position 1.")
    expect(page.get_by_role("button", name="Move down: Active listening, step 1")).to_be_focused()
    positions = TrackStep.objects.filter(track=draft).order_by("position")
    assert [s.position for s in positions] == [1, 2, 3, 4]


def test_the_catalogue_and_the_editors_pages_pass_axe(page: Page, editor, draft):
    log_in(page, "editor")
    quiz = draft.steps.get(kind="quiz")
    for url in (
        "/training/",
        f"/training/tracks/{draft.slug}/edit/",
        f"/training/tracks/{draft.slug}/steps/{quiz.pk}/edit/",
        f"/training/tracks/{draft.slug}/steps/add/?kind=article",
        "/training/tracks/new/",
    ):
        page.goto(url)
        violations, summary = serious_a11y_violations(page)
        assert not violations, summary
