"""What people learned, turned into a draft knowledge-base article in one step: session
notes, a rotation's lesson learned, an external course's takeaways.

It goes through kb's own authoring services, so the draft enters the review workflow like
any other (the editors are asked to review it) with the person as author; training never
writes kb's tables itself."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from kb.models import Article, Category
from kb.services.workflow import article_create, article_submit

# Where these drafts start; the reviewing editor can move them.
KNOWLEDGE_SHARING_CATEGORY = {"slug": "knowledge-sharing", "name": "Knowledge sharing"}


def _category() -> Category:
    category, _ = Category.objects.get_or_create(
        slug=KNOWLEDGE_SHARING_CATEGORY["slug"],
        defaults={"name": KNOWLEDGE_SHARING_CATEGORY["name"]},
    )
    return category


@transaction.atomic
def draft_article_from(
    *,
    author,
    title: str,
    summary: str,
    body: str,
    source_url: str,
    source_label: str,
    type: str = Article.Type.BEST_PRACTICE,
    tags: list[str] | None = None,
) -> Article:
    """Create a draft by `author` whose text ends with a link back to where it came from
    (`source_label` at `source_url`), and submit it for review. Returns the article."""
    link = f"{settings.SITE_URL}{source_url}"
    body = f"{body.rstrip()}\n\n---\n\n*From {source_label}: [{link}]({link})*\n"
    article = article_create(
        author=author,
        content={"title": title[:200], "summary": summary[:300], "body": body},
        meta={"type": type, "category": _category(), "tags": tags or []},
        change_note=f"From {source_label}"[:300],
    )
    return article_submit(article=article, user=author)
