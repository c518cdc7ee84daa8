"""Readers compare the revisions that were published ("what changed since I read it");
drafts and edits waiting for review stay with the article's editors."""

from __future__ import annotations

from kb.services.workflow import article_approve, article_submit, article_update
from tests.factories import make_article


def _edit(article, author, text):
    revision = article.latest_revision
    article_update(
        article=article, editor=author, meta={},
        content={"title": revision.title, "summary": revision.summary, "body": text},
    )  # fmt: skip


def _published_twice_with_a_pending_draft(agent, editor):
    article = make_article(author=agent, approved_by=editor, body="First text.")
    _edit(article, agent, "Second text, published.")
    article_submit(article=article, user=agent)
    article_approve(article=article, editor=editor)
    _edit(article, agent, "A secret draft.")
    article.refresh_from_db()
    return article


def test_a_reader_compares_the_published_revisions(client, agent, editor, mentor):
    article = _published_twice_with_a_pending_draft(agent, editor)
    client.force_login(mentor)
    response = client.get(f"/kb/a/{article.slug}/compare/?from=1&to=2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Second text, published." in page
    assert "A secret draft." not in page


def test_a_reader_gets_the_last_two_published_revisions_by_default(client, agent, editor, mentor):
    article = _published_twice_with_a_pending_draft(agent, editor)
    client.force_login(mentor)
    page = client.get(f"/kb/a/{article.slug}/compare/").content.decode()
    assert "Second text, published." in page
    assert "A secret draft." not in page
    assert "Revision 3" not in page


def test_a_reader_cannot_open_a_draft_revision_in_the_compare(client, agent, editor, mentor):
    article = _published_twice_with_a_pending_draft(agent, editor)
    client.force_login(mentor)
    assert client.get(f"/kb/a/{article.slug}/compare/?from=2&to=3").status_code == 404
    assert client.get(f"/kb/a/{article.slug}/compare/?from=0&to=2").status_code == 200


def test_the_author_still_compares_every_revision(client, agent, editor):
    article = _published_twice_with_a_pending_draft(agent, editor)
    client.force_login(agent)
    page = client.get(f"/kb/a/{article.slug}/compare/?from=2&to=3").content.decode()
    assert "A secret draft." in page


def test_a_reader_cannot_compare_an_unpublished_article(client, agent, editor, mentor):
    draft = make_article(author=agent, visibility="everyone")
    client.force_login(mentor)
    assert client.get(f"/kb/a/{draft.slug}/compare/").status_code == 404
