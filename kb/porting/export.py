"""Articles out as Markdown files with YAML front matter (the format `parse` reads)."""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.models import Article, Category
from kb.porting.parse import PUBLISHED, _norm


def to_markdown(article: Article) -> str:
    """The file for `article`: what readers see if it is published, else the newest text."""
    published = article.status == PUBLISHED
    revision = article.published_revision if published else article.latest_revision
    data = {
        "title": revision.title,
        "slug": article.slug,
        "type": article.type,
        "category": article.category.slug,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "owner": article.owner.username,
        "summary": revision.summary,
        "status": "published" if published else "draft",
        "visibility": article.visibility,
    }
    if article.visibility == Article.Visibility.TEAMS:
        data["teams"] = sorted(team.slug for team in article.teams.all())
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{front}---\n\n{_norm(revision.body)}\n"


def export_articles(*, out: Path, article: str | None = None, category: str | None = None):
    """Write `<slug>.md` into `out` for one article, or for a category and every category
    below it; returns the paths written. LookupError for an unknown slug."""
    if article is not None:
        if not (articles := Article.objects.filter(slug=article)).exists():
            raise LookupError(f"No article with slug {article!r}.")
    else:
        if not (ids := set(Category.objects.filter(slug=category).values_list("pk", flat=True))):
            raise LookupError(f"No category with slug {category!r}.")
        below = Category.objects.values_list("pk", flat=True)
        while children := set(below.filter(parent__in=ids).exclude(pk__in=ids)):
            ids |= children
        articles = Article.objects.filter(category__in=ids)
    articles = articles.select_related(
        "category", "owner", "published_revision", "latest_revision"
    ).prefetch_related("tags", "teams")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for item in articles.order_by("slug"):
        written.append(path := out / f"{item.slug}.md")
        path.write_text(to_markdown(item), encoding="utf-8")
    return written
