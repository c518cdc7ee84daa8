"""Finding one's way in a real browser: "/" jumps to the search box; at phone width the header
folds the navigation behind a "Menu" button that works from the keyboard, and nothing is wider
than the screen; "Copy link" puts the article's address on the clipboard and says so; and the
home page (desktop and phone) and an article page pass axe."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kb import services as kb_services
from kb.models import Article, ArticleView, Category
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import NotificationFactory, UserFactory, make_article

pytestmark = [pytest.mark.browser, requires_chromium]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def new_page(browser: Browser, transactional_db, live_server) -> Iterator[Callable[..., Page]]:
    """`new_page(viewport=..., permissions=[...])`: a page in a fresh context of its own. Any
    console error (a CSP violation among them) or uncaught exception fails the test."""
    contexts, errors = [], []

    def make(
        *, viewport: dict = DESKTOP, permissions: tuple[str, ...] = (), javascript: bool = True
    ) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, permissions=list(permissions),
            java_script_enabled=javascript,
        )  # fmt: skip
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def article(agent, editor) -> Article:
    """A published article in a topic, read by a few people, with a link outside Huddle."""
    topic = Category.objects.create(
        name="Refunds",
        slug="refunds",
        parent=Category.objects.create(name="Billing", slug="billing"),
    )
    made = make_article(
        author=agent, title="Refund a double charge", category=topic, approved_by=editor,
        body="## Steps\n\n1. Find both payments.\n2. Refund the second one, as the "
        "[card scheme rules](https://example.com/rules) ask.",
    )  # fmt: skip
    for person in UserFactory.create_batch(3):
        ArticleView.objects.create(article=made, user=person, day=timezone.localdate())
    return made


@pytest.fixture
def busy_home(article, agent, editor):
    """Every home page section filled for the editor: they own an overdue article, one waits
    for review, and they have notifications."""
    overdue = make_article(author=editor, title="Chargeback deadlines", approved_by=editor)
    Article.objects.filter(pk=overdue.pk).update(verified_at=timezone.now() - timedelta(days=200))
    waiting = make_article(author=agent, title="Gift card balance checks")
    kb_services.article_submit(article=waiting, user=agent)
    NotificationFactory(recipient=editor, message="Your article was approved")


def test_slash_focuses_the_search_box(new_page, agent):
    page = new_page()
    log_in(page, "agent")
    home_box = page.get_by_role("searchbox", name="What do you need to know?")
    expect(home_box).not_to_be_focused()

    page.keyboard.press("/")
    expect(home_box).to_be_focused()
    expect(home_box).to_have_value("")  # the "/" only moved the focus

    # Typed inside a field, "/" is just a character.
    home_box.press_sequentially("refund/chargeback")
    expect(home_box).to_have_value("refund/chargeback")

    # Elsewhere it goes to the header box; Ctrl+/ is left to the browser.
    page.goto("/people/")
    header_box = page.get_by_role("combobox", name="Search the knowledge base")
    page.keyboard.press("Control+/")
    expect(header_box).not_to_be_focused()
    page.keyboard.press("/")
    expect(header_box).to_be_focused()


def test_phone_header_menu_opens_with_the_keyboard(new_page, editor):
    page = new_page(viewport=PHONE)
    log_in(page, "editor")
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    # The search box spans the screen (less the page's margins) while the menu is closed.
    box = page.get_by_role("combobox", name="Search the knowledge base").bounding_box()
    assert box["width"] >= PHONE["width"] - 40, box

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    for name in ("Knowledge base", "People", "Review queue", "Search insights", "Synonyms",
                 "Content requests"):  # fmt: skip
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Knowledge base")).to_be_focused()
    assert _overflow(page) <= 0

    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(nav).to_be_hidden()
    page.keyboard.press("Space")
    expect(nav).to_be_visible()


def test_without_javascript_the_phone_header_leaves_the_navigation_open(new_page, editor):
    page = new_page(viewport=PHONE, javascript=False)
    log_in(page, "editor")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
    ).to_be_visible()
    assert _overflow(page) <= 0


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 or less: nothing overflows)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_nothing_overflows_at_phone_width(new_page, busy_home, article):
    page = new_page(viewport=PHONE)
    log_in(page, "editor")
    assert _overflow(page) <= 0
    page.goto(article.get_absolute_url())
    assert _overflow(page) <= 0
    page.goto("/kb/c/refunds/")
    assert _overflow(page) <= 0


def test_copy_link_puts_the_article_address_on_the_clipboard(new_page, live_server, article):
    page = new_page(permissions=("clipboard-read", "clipboard-write"))
    log_in(page, "agent")
    page.goto(article.get_absolute_url())
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("listitem")).to_have_text(
        ["Knowledge base", "Billing", "Refunds", "Refund a double charge"]
    )
    expect(crumbs.locator('[aria-current="page"]')).to_have_text("Refund a double charge")

    page.get_by_role("button", name="Copy link").click()

    status = page.locator(".copy-link [aria-live='polite']")
    expect(status).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + article.get_absolute_url()
    expect(page.get_by_role("textbox", name="Link to this article")).to_be_hidden()


def test_print_shows_the_article_text_only(new_page, article):
    page = new_page()
    log_in(page, "agent")
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (
        page.get_by_role("banner"),
        page.get_by_role("navigation", name="Breadcrumb"),
        page.get_by_role("complementary", name="About this article"),
        page.get_by_role("region", name="Was this helpful?"),
        page.get_by_role("button", name="Copy link"),
        page.locator(".site-footer"),
    ):
        expect(hidden).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    link = page.locator(".article-body a[href^='https://']")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "attr(href)" in after or "https://example.com/rules" in after, after


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_home_page_has_no_serious_a11y_violations(new_page, busy_home, viewport):
    page = new_page(viewport=viewport)
    log_in(page, "editor")
    expect(page.get_by_role("region", name="Waiting for your review")).to_be_visible()
    expect(page.locator("#review-badge .badge")).to_have_text("1")
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
    if viewport is PHONE:
        page.get_by_role("button", name="Menu").click()
        violations, summary = serious_a11y_violations(page)
        assert not violations, summary


def test_article_page_has_no_serious_a11y_violations(new_page, article):
    page = new_page()
    log_in(page, "agent")
    page.goto(article.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()  # the fallback field may appear
    violations, summary = serious_a11y_violations(page)
    assert not violations, summary
