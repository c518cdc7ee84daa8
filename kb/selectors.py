"""Reads of the knowledge base that take more than one queryset."""

from __future__ import annotations

import logging

from kb.models import Article
from searchkit import query

log = logging.getLogger(__name__)


def related_articles(*, article: Article, user, limit: int = 5) -> list[Article]:
    """More like this: published articles `user` may read whose words, title, tags and
    category are closest to `article`'s; none for an unpublished article."""
    if article.status != Article.Status.PUBLISHED:
        return []
    try:
        hits = query.more_like_this(user=user, obj=article, limit=limit)
    except Exception:  # a missing or broken index must not break the article page
        log.exception("More-like-this failed for article %s", article.pk)
        return []
    return [row for _, row in query.readable_objects(hits, user) if isinstance(row, Article)]
