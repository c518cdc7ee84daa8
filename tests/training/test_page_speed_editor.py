"""The track editor's article picker is rendered once and cached under a digest of what it
shows: the cached HTML is the HTML a fresh render gives, a renamed or archived article shows
at once, and an editor never receives an article only another editor may read."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from kb.services.workflow import article_approve, article_archive, article_submit, article_update
from tests.factories import make_article
from tests.search.pages import parse
from tests.training.builders import make_track


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _picker(client, track) -> list[str]:
    page = parse(client.get(f"/training/tracks/{track.slug}/edit/"))
    return [o.text() for o in page.find("select", name="article").find_all("option")]


def _picker_html(client, track) -> str:
    html = client.get(f"/training/tracks/{track.slug}/edit/").content.decode()
    start = html.index('<select name="article"')
    return html[start : html.index("</select>", start)]


def test_the_cached_picker_is_the_picker_a_fresh_render_gives(client, editor, article):
    track = make_track(owner=editor, published=False)
    client.force_login(editor)
    fresh = _picker_html(client, track)
    cached = _picker_html(client, track)
    assert cached == fresh
    cache.clear()
    assert _picker_html(client, track) == fresh
    assert article.title in fresh


def test_a_renamed_article_shows_its_new_title_at_once(client, editor, article):
    track = make_track(owner=editor, published=False)
    client.force_login(editor)
    assert article.title in _picker(client, track)
    article_update(
        article=article,
        editor=editor,
        content={"title": "Listening actively", "summary": "s", "body": "Listen."},
        meta={},
    )
    article.refresh_from_db()
    article_submit(article=article, user=editor)
    article_approve(article=article, editor=editor)
    options = _picker(client, track)
    assert "Listening actively" in options
    assert "Active listening" not in options


def test_an_archived_article_leaves_the_picker_at_once(client, editor, article):
    other = make_article(author=editor, title="Chargebacks", approved_by=editor)
    track = make_track(owner=editor, published=False)
    client.force_login(editor)
    assert {article.title, other.title} <= set(_picker(client, track))
    article_archive(article=other, editor=editor)
    options = _picker(client, track)
    assert other.title not in options
    assert article.title in options


def test_an_article_hidden_from_an_editor_never_reaches_them_through_the_cache(
    client, editor, manager, article, other_team
):
    hidden = make_article(
        author=editor,
        title="Tech secrets",
        visibility="teams",
        teams=[other_team],
        approved_by=editor,
    )
    client.force_login(editor)
    assert any(
        hidden.title in o for o in _picker(client, make_track(owner=editor, title="Editor track"))
    )
    client.force_login(manager)
    options = _picker(client, make_track(owner=manager, title="Manager track", published=False))
    assert article.title in options
    assert not any(hidden.title in o for o in options)
