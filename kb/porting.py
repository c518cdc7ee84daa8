"""Markdown files in and out of the knowledge base: YAML front matter, then the body.

Every write goes through `kb.services`, so imports get revisions, rendering and the review
workflow like any other edit.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.text import slugify
from tqdm import tqdm

from kb import services
from kb.models import Article, Category
from kb.querysets import is_editor
from people.models import Role, Team, User

# visibility and teams too, so that a restricted article never comes back open to everyone.
FIELDS = ("title", "slug", "type", "category", "tags", "owner", "summary", "status")
FIELDS += ("visibility", "teams")
PUBLISHED = Article.Status.PUBLISHED
MAX_FILE_BYTES = 1_000_000
H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
OUTCOMES = ("created", "updated", "unchanged", "skipped")
Result = tuple[str, str, str]  # (file name, outcome, slug or why it was skipped)


class FileError(Exception):
    """A file that cannot be imported; the message says why."""


@dataclass
class Document:
    """One parsed file: `content` (summary None when unset), and `meta` with the slug and
    only the other fields the file sets."""

    content: dict
    status: str
    meta: dict


def _norm(text: str) -> str:
    # Forms strip what people type; the first line's indentation is Markdown, though.
    return re.sub(r"\A(?:[ \t]*\n)+", "", text.replace("\r\n", "\n")).rstrip()


def _text(data: dict, name: str, limit: int = 200) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | date):
        raise FileError(f"{name} must be text")
    if len(value := str(value).strip()) > limit:
        raise FileError(f"{name} is longer than {limit} characters")
    return value


def _names(data: dict, name: str) -> list[str] | None:
    value = data.get(name)
    items = value.split(",") if isinstance(value, str) else value
    if items is not None and not (
        isinstance(items, list) and all(isinstance(i, str | int | float) for i in items)
    ):
        raise FileError(f"{name} must be a list or a comma-separated text")
    names = None if items is None else [str(i).strip() for i in items if str(i).strip()]
    if names and max(map(len, names)) > 100:
        raise FileError(f"a name in {name} is longer than 100 characters")
    return None if names is None else list(dict.fromkeys(names))


def split_front_matter(text: str) -> tuple[dict, str]:
    """The front matter mapping (empty without one) and the body after it."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines) if i and line.rstrip() in ("---", "...")), 0)
    if not end:
        raise FileError("front matter has no closing '---' line")
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise FileError(
            f"invalid YAML front matter{where}: {getattr(exc, 'problem', exc)}"
        ) from exc
    if not isinstance(data, dict):
        raise FileError("front matter is not a mapping")
    if unknown := sorted(str(key) for key in data if key not in FIELDS):
        raise FileError(f"unknown front matter field(s): {', '.join(unknown)}")
    return data, "\n".join(lines[end + 1 :])


def _take_heading(body: str) -> tuple[str | None, str]:
    """The first `# heading` outside code blocks, and the body without it."""
    lines, fenced = body.split("\n"), False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := H1.match(line)):
            return match.group(1).strip(), "\n".join(lines[:i] + lines[i + 1 :])
    return None, body


def _lookup(model, name: str, **lookup):
    if (found := model.objects.filter(**lookup).first()) is None:
        raise FileError(f"unknown {name} {next(iter(lookup.values()))!r}")
    return found


def _meta(data: dict) -> dict:
    meta: dict = {}
    for name, choices in (("type", Article.Type), ("visibility", Article.Visibility)):
        if (value := _text(data, name)) is not None and value not in choices.values:
            raise FileError(f"unknown {name} {value!r} (one of: {', '.join(choices.values)})")
        if value is not None:
            meta[name] = value
    if slug := _text(data, "category"):
        meta["category"] = _lookup(Category, "category", slug=slug)
    if username := _text(data, "owner"):
        meta["owner"] = _lookup(User, "owner", username=username)
    if (tags := _names(data, "tags")) is not None:
        meta["tags"] = tags
    if (teams := _names(data, "teams")) is not None:
        meta["teams"] = [_lookup(Team, "team", slug=slug) for slug in teams]
    if meta.get("visibility") == Article.Visibility.TEAMS and not meta.get("teams"):
        raise FileError("visibility 'teams' needs at least one team")
    return meta


def parse_document(path: Path, *, publish: bool = False) -> Document:
    """Read one file; `FileError` says what is wrong with it."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise FileError("the file is larger than 1 MB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError("the file is not UTF-8 text") from exc
    if "\x00" in text:
        raise FileError("the file contains NUL characters")
    data, body = split_front_matter(text)
    if not (title := _text(data, "title")):
        heading, body = _take_heading(body)
        title = heading or path.stem
    if len(title) > 200:
        raise FileError("title is longer than 200 characters")
    if not (body := _norm(body)):
        raise FileError("the body is empty")
    if len(body) > 100_000:
        raise FileError("body is longer than 100,000 characters")
    if (status := _text(data, "status") or Article.Status.DRAFT) not in ("draft", PUBLISHED):
        raise FileError(f"unknown status {status!r} (draft or published)")
    if not SLUG.fullmatch(slug := _text(data, "slug") or slugify(title)[:120].strip("-")):
        raise FileError(f"{slug!r} is not a usable slug (up to 120 letters, digits, - and _)")
    content = {"title": title, "summary": _text(data, "summary", 300), "body": body}
    return Document(content, PUBLISHED if publish else status, {"slug": slug, **_meta(data)})


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
    # The importer submits like an author and approves like an editor.
    if not article.submitted_at:
        services.article_submit(article=article, user=author)
    services.article_approve(article=article, editor=author)


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
    if not is_editor(author) and any(getattr(d, "status", "") == PUBLISHED for _, d in parsed):
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
