"""The writing side: live preview, pasted images, type templates, the pending revision view,
comparing a first revision, and "write it" from a content request."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kb.forms import BODY_TEMPLATES
from kb.models import Article, ArticleAttachment
from kb.services.attachments import uploads_discard_unclaimed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _png(name="screenshot.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _new_article_form(category, owner, **fields):
    return {
        "title": "Printer shows error 49", "summary": "", "type": "troubleshooting",
        "body": "## Symptoms\n\nThe printer shows error 49.", "category": category.pk,
        "owner": owner.pk, "visibility": "everyone", "tags": "", **fields,
    }  # fmt: skip


# --- Preview ----------------------------------------------------------------------------------


def test_preview_renders_like_a_saved_revision(agent_client):
    body = "## Steps\n\n1. **Open** it\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    response = agent_client.post("/kb/preview/", {"body": body})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="user-content-steps"' in html
    assert "<strong>Open</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_preview_of_nothing_says_so_and_too_long_is_a_clear_400(agent_client):
    assert b"Nothing to preview" in agent_client.post("/kb/preview/", {"body": "  "}).content
    response = agent_client.post("/kb/preview/", {"body": "x" * 100_001})
    assert response.status_code == 400
    assert b"shorten it" in response.content
    assert agent_client.get("/kb/preview/").status_code == 405


def test_the_editor_page_has_toolbar_preview_and_uploads(agent_client):
    html = agent_client.get("/kb/new/").content.decode()
    assert "<markdown-toolbar" in html
    assert 'hx-post="/kb/preview/"' in html
    assert 'data-upload-url="/kb/uploads/"' in html
    assert "<file-attachment" in html


# --- Pasted and dropped images ----------------------------------------------------------------


def test_an_image_pasted_into_a_new_article_waits_for_it_then_belongs_to_it(
    client, agent, mentor, category
):
    client.force_login(agent)
    answer = client.post("/kb/uploads/", {"file": _png(), "article": ""})
    assert answer.status_code == 201
    payload = answer.json()
    item = ArticleAttachment.objects.get()
    assert item.article is None
    assert payload["markdown"] == f"![screenshot.png]({payload['url']})"
    assert client.get(payload["url"]).status_code == 200  # the uploader sees it in the preview
    client.force_login(mentor)
    assert client.get(payload["url"]).status_code == 404  # nobody else, yet
    client.force_login(agent)
    body = f"## Symptoms\n\n{payload['markdown']}"
    client.post("/kb/new/", _new_article_form(category, agent, body=body))
    item.refresh_from_db()
    assert item.article == Article.objects.get()


def test_someone_elses_waiting_upload_is_never_claimed(client, agent, mentor, category):
    client.force_login(mentor)
    url = client.post("/kb/uploads/", {"file": _png()}).json()["url"]
    client.force_login(agent)
    client.post("/kb/new/", _new_article_form(category, agent, body=f"![x]({url})"))
    assert ArticleAttachment.objects.get().article is None


def test_an_image_pasted_while_editing_belongs_to_the_article_at_once(
    client, agent, mentor, outsider, make_article, editor, team
):
    article = make_article(
        author=agent, approved_by=editor, visibility="teams", teams=[team], title="Team only"
    )
    client.force_login(agent)
    url = client.post("/kb/uploads/", {"file": _png(), "article": article.slug}).json()["url"]
    assert ArticleAttachment.objects.get().article == article
    client.force_login(mentor)  # same team: a reader
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_uploading_needs_edit_rights_and_a_real_file(client, agent, mentor, published_article):
    client.force_login(mentor)
    refused = client.post("/kb/uploads/", {"file": _png(), "article": published_article.slug})
    assert refused.status_code == 403
    client.force_login(agent)
    no_file = client.post("/kb/uploads/", {"article": published_article.slug})
    assert no_file.status_code == 400
    assert "Choose a file" in no_file.json()["error"]
    fake = client.post("/kb/uploads/", {"file": SimpleUploadedFile("evil.png", b"MZ\x90\x00")})
    assert fake.status_code == 400
    assert "does not contain" in fake.json()["error"]
    exe = client.post("/kb/uploads/", {"file": SimpleUploadedFile("run.exe", b"MZ")})
    assert exe.status_code == 400
    assert "not allowed" in exe.json()["error"]
    assert not ArticleAttachment.objects.exists()


# --- Templates, prefill, pending revision, compare --------------------------------------------


def test_switching_the_type_keeps_what_was_typed(agent_client, category, agent):
    typed = _new_article_form(category, agent, body="My own words", switch_type="faq")
    html = agent_client.post("/kb/new/", typed).content.decode()
    assert "My own words" in html
    assert "Printer shows error 49" in html
    assert not Article.objects.exists()
    untouched = _new_article_form(category, agent, body=BODY_TEMPLATES["howto"], switch_type="faq")
    html = agent_client.post("/kb/new/", untouched).content.decode()
    assert "## Question" in html
    assert "Before you start" not in html


def test_write_it_fills_the_title_and_links_back(agent_client):
    html = agent_client.get(
        "/kb/new/?title=Reset%20a%20locked%20account&back=/search/requests/%23request-3"
    ).content.decode()
    assert 'value="Reset a locked account"' in html
    assert 'href="/search/requests/#request-3"' in html
    foreign = agent_client.get("/kb/new/?back=https://evil.example/").content.decode()
    assert "evil.example" not in foreign


def test_authors_see_their_pending_revision_on_the_article_page(
    client, agent, mentor, published_article
):
    from kb import services

    services.article_update(
        article=published_article, editor=agent, meta={},
        content={"title": "How to issue a refund", "summary": "", "body": "Pending words"},
    )  # fmt: skip
    client.force_login(agent)
    page = client.get(published_article.get_absolute_url()).content.decode()
    assert "View your pending revision 2" in page
    assert "Pending words" not in page
    pending = client.get(f"{published_article.get_absolute_url()}?view=pending").content.decode()
    assert "Pending words" in pending
    assert "the pending revision 2" in pending
    client.force_login(mentor)  # a reader never sees it
    assert (
        b"Pending words"
        not in client.get(f"{published_article.get_absolute_url()}?view=pending").content
    )


def test_comparing_a_first_revision_shows_all_of_it_added(client, agent, make_article):
    article = make_article(author=agent, body="## Steps\n\nFirst line\n\nSecond line")
    client.force_login(agent)
    html = client.get(f"/kb/a/{article.slug}/compare/").content.decode()
    assert "no differences" not in html.lower()
    added = re.findall(r'class="diff_add">([^<]*)<', html)
    assert "First line" in " ".join(added)
    assert "Second line" in " ".join(added)


def test_category_picker_groups_topics_under_their_parent(agent_client, category, child_category):
    html = agent_client.get("/kb/new/").content.decode()
    group = re.search(r'<optgroup label="Billing">(.*?)</optgroup>', html, re.S)
    assert group
    assert "Billing (general)" in group.group(1)
    assert "Refunds" in group.group(1)


@pytest.mark.parametrize("name", ["image.png", "x" * 250 + ".png"])
def test_upload_names_are_kept_or_cut_cleanly(agent_client, name):
    answer = agent_client.post("/kb/uploads/", {"file": _png(name)})
    assert answer.status_code == 201
    assert answer.json()["markdown"].startswith("![")


def test_uploads_no_article_claimed_are_discarded_after_two_days(client, agent, published_article):
    client.force_login(agent)
    waiting = client.post("/kb/uploads/", {"file": _png("old.png")}).json()["url"]
    client.post("/kb/uploads/", {"file": _png("recent.png")})
    client.post("/kb/uploads/", {"file": _png("kept.png"), "article": published_article.slug})
    old = ArticleAttachment.objects.get(name="old.png")
    ArticleAttachment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=49)
    )
    path = old.file.path
    assert uploads_discard_unclaimed() == 1
    names = set(ArticleAttachment.objects.values_list("name", flat=True))
    assert names == {"recent.png", "kept.png"}
    assert client.get(waiting).status_code == 404
    assert not os.path.exists(path)
