"""Finding one's way: editors' tools in the main navigation, the phone menu button, the "/"
shortcut's markers, breadcrumbs on knowledge-base pages and the article's "Copy link"."""

from __future__ import annotations

import re

import pytest

from kb.models import Category
from tests.factories import make_article


def _main_nav(body: str) -> str:
    return re.search(r'<nav id="site-nav"[^>]*aria-label="Main">.*?</nav>', body, re.S)[0]


def _breadcrumbs(body: str) -> list[tuple[str, str, bool]]:
    """(href, text, is current page) of each crumb."""
    nav = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">\s*<ol>.*?</ol>', body, re.S)
    assert nav, "no breadcrumbs"
    return [
        (href, text, bool(current))
        for href, current, text in re.findall(
            r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', nav[0]
        )
    ]


@pytest.fixture
def topic(db) -> Category:
    parent = Category.objects.create(name="Billing", slug="billing")
    return Category.objects.create(name="Refunds", slug="refunds", parent=parent)


def test_editors_find_their_tools_in_the_main_navigation(client, editor):
    client.force_login(editor)
    nav = _main_nav(client.get("/").content.decode())
    for url in ("/kb/review/", "/search/insights/", "/search/synonyms/", "/search/requests/"):
        assert f'href="{url}"' in nav
    assert 'hx-get="/nav/review-count/"' in nav  # the count badge, loaded after the page


def test_agents_get_no_editor_tools_but_keep_content_requests_in_their_menu(agent_client):
    body = agent_client.get("/").content.decode()
    nav = _main_nav(body)
    assert "/kb/review/" not in nav
    assert "/search/insights/" not in body
    assert "/search/synonyms/" not in body
    menu = re.search(r'<details class="user-menu">.*?</details>', body, re.S)[0]
    assert 'href="/search/requests/"' in menu


def test_header_has_a_menu_button_for_phones_and_a_search_shortcut(agent_client):
    body = agent_client.get("/").content.decode()
    assert re.search(
        r'<button class="nav-toggle" type="button" aria-expanded="false" aria-controls="site-nav">',
        body,
    )
    assert re.search(r'<input id="header-q"[^>]*aria-keyshortcuts="/"', body)
    assert '<kbd class="search-key" aria-hidden="true"' in body


def test_article_page_has_breadcrumbs_down_to_its_title(agent_client, agent, editor, topic):
    article = make_article(author=agent, title="Refund a double charge", category=topic,
                           approved_by=editor)  # fmt: skip
    body = agent_client.get(article.get_absolute_url()).content.decode()
    assert _breadcrumbs(body) == [
        ("/kb/", "Knowledge base", False),
        ("/kb/c/billing/", "Billing", False),
        ("/kb/c/refunds/", "Refunds", False),
        (article.get_absolute_url(), "Refund a double charge", True),
    ]


def test_category_pages_have_breadcrumbs(agent_client, topic):
    assert _breadcrumbs(agent_client.get("/kb/c/refunds/").content.decode()) == [
        ("/kb/", "Knowledge base", False),
        ("/kb/c/billing/", "Billing", False),
        ("/kb/c/refunds/", "Refunds", True),
    ]
    assert _breadcrumbs(agent_client.get("/kb/c/billing/").content.decode()) == [
        ("/kb/", "Knowledge base", False),
        ("/kb/c/billing/", "Billing", True),
    ]
    assert 'aria-label="Breadcrumb"' not in agent_client.get("/kb/").content.decode()


def test_article_page_offers_its_absolute_link_to_copy(agent_client, agent, editor):
    article = make_article(author=agent, approved_by=editor)
    body = agent_client.get(article.get_absolute_url()).content.decode()
    box = re.search(r"<div class=\"copy-link print-hidden\" data-copy-link>.*?</div>", body, re.S)[
        0
    ]
    assert re.search(r'<button class="button secondary small" type="button" hidden>Copy link', box)
    assert f'value="http://testserver{article.get_absolute_url()}"' in box
    assert 'aria-live="polite"' in box
