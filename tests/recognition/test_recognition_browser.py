"""Recognition end to end, in a real browser: an agent thanks two colleagues for a KB article
with a value, picking them in the recipients picker; the wall shows the kudos; a colleague
reacts without the page reloading; the article shows that a colleague thanked its author.
axe finds no serious violation on the pages, and no console error occurs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from recognition.models import Kudos, Reaction
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory, make_article

pytestmark = [pytest.mark.browser, requires_chromium]


def _accessible(page: Page) -> None:
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert not page.errors, page.errors


def _pick(page: Page, typed: str, name: str) -> None:
    """Type into the "To" box and choose the colleague from the suggestions."""
    box = page.get_by_role("combobox", name="To").or_(page.get_by_label("To", exact=True))
    box.first.fill(typed)
    page.get_by_role("option", name=name).first.click()


def test_an_agent_thanks_two_colleagues_for_an_article_and_a_colleague_reacts(
    new_page, transactional_db, agent, mentor, editor
):
    article = make_article(
        author=editor, title="Refunds after a billing outage", owner=mentor, approved_by=editor
    )
    colleague = UserFactory(username="sam", display_name="Sam Reader", team=agent.team)

    giver = new_page()
    log_in(giver, "agent")
    giver.goto(f"/kudos/give/?article={article.slug}")
    _pick(giver, mentor.name.split()[0], mentor.name)
    _pick(giver, editor.name.split()[0], editor.name)
    giver.get_by_label("Message").fill("Your outage article saved my whole queue this morning.")
    giver.get_by_label("Shared knowledge").check()
    _accessible(giver)
    giver.get_by_role("button", name="Give kudos").click()

    expect(giver.get_by_text("Kudos sent to").first).to_be_visible()
    kudos = Kudos.objects.get(giver=agent)
    assert set(kudos.recipients.all()) == {mentor, editor}
    assert kudos.article == article
    assert [v.slug for v in kudos.values.all()] == ["shared-knowledge"]
    # The wall shows it, with what it was for.
    giver.goto("/kudos/")
    card = giver.locator("article", has_text="saved my whole queue").first
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="Refunds after a billing outage")).to_be_visible()
    _accessible(giver)

    # A colleague reacts: the count appears and the page did not reload.
    reader = new_page()
    log_in(reader, "sam")
    reader.goto("/kudos/")
    reader.evaluate("window.stillTheSamePage = true")
    card = reader.locator("article", has_text="saved my whole queue").first
    clap = card.get_by_role("button", name="Applause")
    expect(clap).to_have_attribute("aria-pressed", "false")
    clap.click()
    expect(card.get_by_role("button", name="Applause")).to_have_attribute("aria-pressed", "true")
    assert reader.evaluate("window.stillTheSamePage === true")
    assert Reaction.objects.filter(kudos=kudos, user=colleague, kind="clap").count() == 1
    _accessible(reader)

    # The article tells its readers that a colleague thanked its author.
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_text("1 colleague thanked the author")).to_be_visible()
    _accessible(reader)
