"""Writing parsed files into the knowledge base, each in its own transaction, through
`kb.services`, so imports get revisions, rendering and the review workflow like any edit."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from tqdm import tqdm

from kb import services
from kb.models import Article
from kb.porting.parse import PUBLISHED, Document, FileError, Result, _norm, parse_document
from people.models import Role, User


def default_author() -> User | None:
    """Whom imports are made as without --author: the first superuser or KB editor."""
    editors = User.objects.active().filter(Q(is_superuser=True) | Q(groups__name=Role.KB_EDITOR))
    return editors.distinct().order_by("pk").first()


def _differs(article: Article, name: str, value) -> bool:
    if name == "tags":
        return set(value) != set(article.tags.names())
    if name == "teams":
        return {t.pk for t in value} != set(article.teams.values_list("pk", flat=True))
    field = f"{name}_id" if name in ("category", "owner") else name
    return getattr(value, "pk", value) != getattr(article, field)


def _publish(article: Article, author: User) -> None:
    # The importing editor publishes directly: going through submit would tell every other
    # editor that a change waits for review when it is already published.
    services.article_publish(article=article, editor=author)


def apply_document(doc: Document, *, author: User, note: str) -> str:
    """Create or update the article `doc` describes; returns the outcome."""
    publish, meta = doc.status == PUBLISHED, dict(doc.meta)
    article = Article.objects.select_for_update().filter(slug=meta.pop("slug")).first()
    if article is None:
        if "category" not in meta:
            raise FileError("a new article needs a category")
        content = {**doc.content, "summary": doc.content["summary"] or ""}
        article = services.article_create(
            author=author, content=content, meta=doc.meta, change_note=note
        )
        if publish:
            _publish(article, author)
        return "created"
    # A published file matches a published article whose readers see the same text.
    base = (publish and article.published_revision) or article.latest_revision
    content = {n: getattr(base, n) if v is None else v for n, v in doc.content.items()}
    text_changed = any(_norm(getattr(base, n)) != _norm(v) for n, v in content.items())
    meta_changed = any(_differs(article, n, v) for n, v in meta.items())
    needs_publish = publish and (text_changed or article.status != PUBLISHED)
    if not (text_changed or meta_changed or needs_publish):
        return "unchanged"
    if text_changed or meta_changed:
        if not text_changed:  # keep the newest text, pending or not
            content = {n: getattr(article.latest_revision, n) for n in content}
        services.article_update(
            article=article, editor=author, content=content, meta=meta, change_note=note
        )
    if needs_publish:
        _publish(article, author)
    return "updated"


def import_articles(
    root: Path, *, author: User, publish: bool = False, dry_run: bool = False, progress=True
) -> list[Result]:
    """Import `root` (one file, or every *.md below a folder), each file in its own
    transaction. Raises PermissionDenied before writing anything when a file would be
    published and `author` is not a KB editor."""
    paths = [root] if root.is_file() else sorted(p for p in root.rglob("*.md") if p.is_file())
    parsed: list[tuple[Path, Document | FileError]] = []
    for path in paths:
        try:
            parsed.append((path, parse_document(path, publish=publish)))
        except FileError as exc:
            parsed.append((path, exc))
    if not author.is_kb_editor and any(getattr(d, "status", "") == PUBLISHED for _, d in parsed):
        raise PermissionDenied(f"{author.username} is not a KB editor, so cannot publish.")
    results: list[Result] = []
    seen: dict[str, str] = {}
    bar = tqdm(parsed, desc="Importing", unit="file", file=sys.stderr, disable=not progress or None)
    for path, doc in bar:
        name = path.name if path == root else path.relative_to(root).as_posix()
        try:
            if isinstance(doc, FileError):
                raise doc
            if (slug := doc.meta["slug"]) in seen:
                raise FileError(f"slug {slug!r} is also used by {seen[slug]}")
            with transaction.atomic():
                outcome = apply_document(doc, author=author, note=f"Imported from {name}"[:300])
                if dry_run:
                    transaction.set_rollback(True)
            seen[slug] = name
            results.append((name, outcome, slug))
        except (FileError, PermissionDenied) as exc:
            results.append((name, "skipped", str(exc)))
        except ValidationError as exc:
            results.append((name, "skipped", "; ".join(exc.messages)))
        except DatabaseError as exc:
            results.append((name, "skipped", f"database error: {exc}"[:300]))
    return results
