"""Reading one Markdown file: YAML front matter, then the body, checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from django.utils.text import slugify

from kb.models import Article, ArticleRevision, Category
from people.models import Team, User

# visibility and teams too, so that a restricted article never comes back open to everyone.
FIELDS = ("title", "slug", "type", "category", "tags", "owner", "summary", "status")
FIELDS += ("visibility", "teams")
PUBLISHED = Article.Status.PUBLISHED
MAX_FILE_BYTES = 1_000_000
# The same limits as the models (and so the forms), so an import never stores what the site
# would refuse.
_revision = ArticleRevision._meta
TITLE_MAX = _revision.get_field("title").max_length
SUMMARY_MAX = _revision.get_field("summary").max_length
BODY_MAX = _revision.get_field("body").max_length
SLUG_MAX = Article._meta.get_field("slug").max_length
H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")
SLUG = re.compile(rf"[-a-zA-Z0-9_]{{1,{SLUG_MAX}}}")
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


def _text(data: dict, name: str, limit: int = TITLE_MAX) -> str | None:
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
    if len(title) > TITLE_MAX:
        raise FileError(f"title is longer than {TITLE_MAX} characters")
    if not (body := _norm(body)):
        raise FileError("the body is empty")
    if len(body) > BODY_MAX:
        raise FileError(f"body is longer than {BODY_MAX:,} characters")
    if (status := _text(data, "status") or Article.Status.DRAFT) not in ("draft", PUBLISHED):
        raise FileError(f"unknown status {status!r} (draft or published)")
    if not SLUG.fullmatch(slug := _text(data, "slug") or slugify(title)[:SLUG_MAX].strip("-")):
        raise FileError(
            f"{slug!r} is not a usable slug (up to {SLUG_MAX} letters, digits, - and _)"
        )
    content = {"title": title, "summary": _text(data, "summary", SUMMARY_MAX), "body": body}
    return Document(content, PUBLISHED if publish else status, {"slug": slug, **_meta(data)})
