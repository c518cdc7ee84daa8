"""Writing and discussing in a real browser: the Markdown editor's live preview and pasted
images, a suggested edit accepted by the owner, and form errors shown in place."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from kb.models import Article, ArticleAttachment, ArticleComment, ArticleSuggestion, Category
from kb.services import article_approve, article_create, article_submit
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

# A 1x1 PNG: what a pasted screenshot is, to the browser and the server.
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
PASTE_IMAGE = """([textarea, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "image.png", { type: "image/png" }));
  textarea.focus();
  textarea.dispatchEvent(new ClipboardEvent("paste", {
    clipboardData: transfer, bubbles: true, cancelable: true }));
}"""


@pytest.fixture
def category(db) -> Category:
    return Category.objects.create(name="Payments", slug="payments")


@pytest.fixture
def guide(mentor, editor, category) -> Article:
    """Published, owned by `mentor` (an agent, not an editor)."""
    article = article_create(
        author=mentor,
        content={
            "title": "Card declined at checkout",
            "summary": "When a card is declined although it has funds.",
            "body": "## Resolution\n\n1. Ask the customer to approve it in the bank app.\n",
        },
        meta={"category": category},
    )
    article_submit(article=article, user=mentor)
    article_approve(article=article, editor=editor)
    return article


def test_the_editor_previews_as_you_type_and_pasted_images_become_attachments(
    new_page, mentor, category
):
    author = new_page()
    log_in(author, "mentor")
    author.goto("/kb/new/")
    body = author.get_by_label("Body")
    preview = author.get_by_role("region", name="Preview")
    body.fill("## Card declined\n\nAsk for **another card**.\n\n<script>alert(1)</script>")
    expect(preview.get_by_role("heading", name="Card declined")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("another card")
    expect(preview.locator("script")).to_have_count(0)

    # The toolbar formats the selection, and the preview follows.
    body.press("End")
    body.press_sequentially("\n\nRetry later")
    body.evaluate(
        "t => { t.selectionStart = t.value.indexOf('Retry'); t.selectionEnd = t.value.length; }"
    )
    author.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
    expect(body).to_have_value(re.compile(r"\*\*Retry later\*\*"))
    expect(preview.locator("strong").nth(1)).to_have_text("Retry later")

    # A pasted screenshot is uploaded and its Markdown inserted; the preview shows it.
    author.evaluate(PASTE_IMAGE, [body.element_handle(), PNG_BASE64])
    expect(body).to_have_value(
        re.compile(r"!\[pasted-[\w-]+\.png\]\(/kb/files/\d+/pasted-[\w-]+\.png\)")
    )
    expect(preview.locator("img")).to_have_count(1)
    expect(preview.locator("img")).to_have_js_property("naturalWidth", 1)

    # Choosing a file does the same.
    author.locator("input[type=file]").set_input_files(
        files=[
            {"name": "receipt.png", "mimeType": "image/png", "buffer": base64.b64decode(PNG_BASE64)}
        ]
    )
    expect(body).to_have_value(re.compile(r"!\[receipt\.png\]\(/kb/files/\d+/receipt\.png\)"))

    author.get_by_label("Title").fill("Card declined at checkout")
    author.get_by_label("Category").select_option(label="Payments (general)")
    author.get_by_role("button", name="Save draft").click()
    expect(author.get_by_role("status")).to_contain_text("Draft saved.")
    article = Article.objects.get()
    assert ArticleAttachment.objects.filter(article=article).count() == 2
    expect(author.locator(".article-body img")).to_have_count(2)
    assert author.errors == []


def test_a_reader_suggests_an_edit_and_the_owner_accepts_it(new_page, guide, agent, mentor):
    reader = new_page()
    log_in(reader, "agent")
    reader.goto(guide.get_absolute_url())
    reader.get_by_role("link", name="Suggest an edit").click()
    body = reader.get_by_label("Body")
    body.fill(body.input_value() + "2. If it fails twice, offer a payment link.\n")
    reader.get_by_label("Why").fill("The fallback is missing")
    reader.get_by_role("button", name="Send suggestion").click()
    expect(reader.get_by_role("status")).to_contain_text(
        "Your suggestion goes to the article's owner"
    )
    expect(reader.locator("table.diff .diff_add")).to_contain_text(["offer a payment link"])

    owner = new_page()
    log_in(owner, "mentor")
    owner.goto(guide.get_absolute_url())
    owner.get_by_role("note").filter(has_text="Suggested edits waiting for you").get_by_role(
        "link"
    ).click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Suggested edit to")
    violations, summary = serious_a11y_violations(owner)
    assert not violations, summary
    owner.get_by_role("button", name="Accept (goes to review)").click()
    expect(owner.get_by_role("status")).to_contain_text("Accepted: it now waits for review.")

    guide.refresh_from_db()
    assert guide.latest_revision.editor == agent
    assert "offer a payment link" in guide.latest_revision.body
    assert guide.submitted_at is not None
    assert ArticleSuggestion.objects.get().status == "accepted"
    assert reader.errors == []
    assert owner.errors == []


def test_form_errors_appear_in_place_and_mentions_are_suggested(new_page, guide, agent, mentor):
    reader = new_page()
    log_in(reader, "agent")
    reader.goto(guide.get_absolute_url())

    # "No" without a reason: the article again, the error beside the reason.
    feedback = reader.get_by_role("region", name="Was this helpful?")
    feedback.get_by_role("radio", name="No").check()
    feedback.get_by_role("button", name="Send feedback").click()
    reason = reader.get_by_label("What was wrong?")
    expect(reader.locator("#id_reason_error")).to_have_text("Tell us what was wrong.")
    expect(reader.get_by_role("heading", level=1)).to_have_text("Card declined at checkout")
    reason.select_option(label="Unclear")
    reader.get_by_role("region", name="Was this helpful?").get_by_role(
        "button", name="Send feedback"
    ).click()
    expect(reader.get_by_role("status")).to_contain_text("Thanks, your feedback")

    # An empty comment: the error in place, without leaving the page.
    before = reader.url
    comments = reader.get_by_role("region", name="Comments and questions")
    comments.get_by_role("button", name="Post comment").click()
    expect(reader.locator("#id_body_error")).to_have_text("Write a comment first.")
    assert reader.url == before  # answered in place by htmx, no page load

    # Typing @ offers people; Enter picks one; posting confirms and links the mention.
    box = reader.get_by_label("Comment or question")
    # The whole username: the other people are made with random names, and one with "men" in
    # it ("Carmen") would be listed, and picked, first.
    box.press_sequentially("Thanks @mentor")
    option = reader.get_by_role("option", name=re.compile("mentor"))
    expect(option).to_be_visible()
    # Each keystroke asks for suggestions again; Enter picks once this list's first option is
    # selected (under load, an earlier list could still be on its way out).
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value("Thanks @mentor ")
    reader.get_by_role("region", name="Comments and questions").get_by_role(
        "button", name="Post comment"
    ).click()
    comments = reader.get_by_role("region", name="Comments and questions")
    expect(comments).to_contain_text("Comment posted. Notified: @mentor.")
    expect(comments.locator("a.mention")).to_have_text("@mentor")
    expect(comments.locator("time").last).to_have_text("just now")
    assert ArticleComment.objects.get().body == "Thanks @mentor"
    violations, summary = serious_a11y_violations(reader)
    assert not violations, summary
    assert reader.errors == []


def test_the_editor_page_has_no_serious_a11y_violations(new_page, mentor, category):
    author = new_page()
    log_in(author, "mentor")
    author.goto("/kb/new/")
    author.get_by_label("Body").fill("## Steps\n\n1. One\n")
    preview = author.get_by_role("region", name="Preview")
    expect(preview.get_by_role("heading", name="Steps")).to_be_visible()
    violations, summary = serious_a11y_violations(author)
    assert not violations, summary
