"""Search in a real browser: the header box suggests titles as an agent types and opens one from
the keyboard; a misspelt search shows the corrected results, with a link to search for what was
typed instead; a type facet narrows the results; and the results page passes axe with no
console errors or CSP violations along the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from kb.models import Article, Category
from searchkit import query as engine
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import make_article

pytestmark = [pytest.mark.browser, requires_chromium]

T = Article.Type
ARTICLES = [  # (type, title, summary, body)
    (T.TROUBLESHOOTING, "Refund a double charge",
     "The customer was charged twice for one order.",
     "## Symptoms\n\nTwo identical charges on the card statement.\n\n"
     "## Resolution\n\n1. Find both payments in the billing console.\n2. Refund the second one."),
    (T.FAQ, "How long do refunds take?",
     "Refunds reach the customer's card in 5 to 10 business days.",
     "The bank decides how fast the money shows up; we cannot speed it up."),
    (T.FAQ, "Can a refund go to a different card?",
     "No: a refund always goes back to the card that paid.",
     "If that card is closed, the bank forwards the money to the new one."),
    (T.HOWTO, "Issue a partial refund",
     "Give back part of an order, such as one item or the shipping.",
     "## Steps\n\n1. Open the order.\n2. Choose **Refund** and enter the amount."),
    (T.HOWTO, "Reset a customer's password",
     "Send a reset link when a customer cannot log in.",
     "## Steps\n\n1. Check the customer's identity.\n2. Send the password reset link; "
     "the new password must have 12 characters."),
    (T.BEST_PRACTICE, "Turn on two-factor sign-in",
     "Ask customers to add a second factor after a reset.",
     "A strong password alone is not enough for admin accounts."),
]  # fmt: skip


@pytest.fixture
def articles(search_index, mentor, editor) -> dict[str, Article]:
    """Published through the real services; their queued index updates run at commit."""
    category = Category.objects.create(name="Billing", slug="billing")
    made = {
        title: make_article(
            author=mentor,
            title=title,
            summary=summary,
            body=body,
            category=category,
            type=kind,
            approved_by=editor,
        )
        for kind, title, summary, body in ARTICLES
    }
    assert engine.search(user=editor, text=None).total == len(ARTICLES)
    return made


def _open_suggestions(page: Page, text: str) -> Locator:
    """Type `text` into the header box key by key; return the listbox once it is open."""
    box = page.get_by_role("combobox", name="Search the knowledge base")
    box.click()
    with page.expect_response(re.compile(rf"/search/suggest/\?q={text}$")):
        box.press_sequentially(text, delay=40)
    listbox = page.get_by_role("listbox", name="Suggested articles")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    return listbox


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors (CSP violations are reported there too) and uncaught exceptions."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def test_agent_finds_articles_by_suggestion_spelling_and_facet(
    page: Page, console_errors, articles, agent
):
    log_in(page, "agent")
    results = page.get_by_role("region", name=re.compile(r"results?"))
    result_titles = results.locator(".result-title")

    # (1) The header combobox suggests titles while typing; the arrow keys pick one.
    box = page.get_by_role("combobox", name="Search the knowledge base")
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox = _open_suggestions(page, "refu")
    options = listbox.get_by_role("option")
    refund_titles = [t for t in articles if "refund" in t.lower()]
    expect(options).to_have_count(len(refund_titles) + 1)  # and "Search for “refu”"
    for title in refund_titles:
        expect(options.filter(has_text=title)).to_have_count(1)
    expect(options.last).to_contain_text("Search for “refu”")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(r"."))

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-2")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", "suggestion-1")
    first = page.locator("#suggestion-1")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(listbox.locator('[aria-selected="true"]')).to_have_count(1)
    expect(box).to_be_focused()
    chosen = next(title for title in refund_titles if first.inner_text().startswith(title))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(articles[chosen].get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen)

    # (2) A misspelt search on the search page shows the results of the right spelling, and
    # offers what was typed.
    page.goto("/search/")
    query = page.get_by_role("searchbox", name="Search the knowledge base").and_(
        page.locator("#search-q")
    )
    query.fill("pasword")
    query.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=pasword$"))
    correction = page.locator(".did-you-mean")
    expect(correction).to_have_text("Showing results for password. Search instead for pasword.")
    expect(page.get_by_role("heading", name="2 results for “password”")).to_be_visible()
    expect(result_titles.first).to_have_text("Reset a customer's password")
    snippet = results.locator(".result").first.locator(".snippet mark").first
    expect(snippet).to_have_text(re.compile(r"^password$", re.IGNORECASE))
    correction.get_by_role("link", name="pasword").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=pasword&verbatim=1$"))
    expect(page.get_by_role("heading", name="0 results for “pasword”")).to_be_visible()
    expect(result_titles).to_have_count(0)
    expect(page.locator(".did-you-mean")).to_have_count(0)

    # (3) The type facet narrows "refund" to the FAQs and shows itself as the active filter.
    query.fill("refund")
    query.press("Enter")
    expect(page.get_by_role("heading", name="4 results for “refund”")).to_be_visible()
    types = page.get_by_role("complementary", name="Filters").locator("ul.facet").first
    faq = types.get_by_role("listitem").filter(has=page.get_by_role("link", name="FAQ"))
    expect(faq).to_have_text("FAQ 2")
    expect(faq.get_by_label("2 results")).to_be_visible()
    faq.get_by_role("link", name="FAQ").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=refund&type=faq$"))
    expect(page.get_by_role("heading", name="2 results for “refund”")).to_be_visible()
    expect(result_titles).to_have_count(2)
    assert set(result_titles.all_inner_texts()) == {
        "How long do refunds take?",
        "Can a refund go to a different card?",
    }
    expect(results.locator(".result-meta > .pill:first-child")).to_have_text(["FAQ", "FAQ"])
    expect(types.locator('strong[aria-current="true"]')).to_have_text("FAQ")
    expect(types.get_by_role("link", name="Any type")).to_be_visible()
    expect(page.locator('#search-q ~ input[name="type"]')).to_have_value("faq")

    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    assert not console_errors, "\n".join(console_errors)


def test_open_suggestions_have_no_serious_a11y_violations(page: Page, articles, agent):
    log_in(page, "agent")
    _open_suggestions(page, "refu")
    page.keyboard.press("ArrowDown")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary


def test_arrow_up_from_the_box_selects_the_last_suggestion(page: Page, articles, agent):
    log_in(page, "agent")
    _open_suggestions(page, "refu")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#header-q")).to_have_attribute(
        "aria-activedescendant", "suggestion-all", timeout=1000
    )
