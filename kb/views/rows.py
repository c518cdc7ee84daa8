"""Article rows of the list pages, rendered once and kept in the cache.

A row's cache key is a digest of everything the row shows (its revision's title and summary,
status, type, category, owner, tags, whether verification lapsed, how long ago it changed), so
an edit, a publication, a tag change or a verification gives a new key and the old fragment is
never read again: nothing stale can show. Rows are only built for articles the reader's query
returned, and a row shows nothing that depends on who reads it, so a cached row never reaches
someone who may not open its article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.timesince import timesince

from kb.models import Article
from people.fragments import cached_fragments, fragment_key
from people.tagging import TagName, attach_tags

ROW_TEMPLATE = "kb/includes/article_row.html"
_KEY_PREFIX = "kb:row:1"  # bump the number when the row template changes what it shows


@dataclass(frozen=True)
class ArticleRow:
    """What one row shows, read from the article in the view (no query in the template)."""

    url: str
    title: str
    summary: str
    type_label: str
    status: str
    status_label: str
    lapsed: bool
    category: str
    owner: str
    updated_ago: str
    tags: tuple[TagName, ...]
    list_url: str  # tags link to the list filtered by tag

    def cache_key(self) -> str:
        return fragment_key(_KEY_PREFIX, self)


def article_rows(articles: Iterable[Article]) -> list[ArticleRow]:
    """The rows of `articles` (with `with_list_data()`), their tags read in one query."""
    articles = attach_tags(list(articles))
    if not articles:
        return []
    # One reverse for the whole list: article addresses differ only by slug.
    placeholder = "__slug__"
    detail = reverse("kb:article-detail", args=[placeholder])
    list_url = reverse("kb:article-list")
    rows = []
    for article in articles:
        rev = article.published_revision or article.latest_revision
        rows.append(
            ArticleRow(
                url=detail.replace(placeholder, article.slug),
                title=rev.title if rev else "",
                summary=rev.summary if rev else "",
                type_label=article.get_type_display(),
                status=article.status,
                status_label=article.get_status_display(),
                lapsed=article.verification_lapsed,
                category=str(article.category) if article.category_id else "",
                owner=article.owner.name if article.owner_id else "",
                updated_ago=timesince(article.updated_at),
                tags=tuple(article.tags_list),
                list_url=list_url,
            )
        )
    return rows


def rendered_rows(rows: list[ArticleRow]) -> list[SafeString]:
    """The HTML of each row: from the cache, else rendered and stored (one read, one write)."""
    template = get_template(ROW_TEMPLATE)
    keys = [row.cache_key() for row in rows]
    return cached_fragments(keys, lambda i: template.render({"row": rows[i]}))


def article_rows_html(articles: Iterable[Article]) -> list[SafeString]:
    return rendered_rows(article_rows(articles))
