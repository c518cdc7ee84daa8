"""A unique slug for a new row, shared by every app whose rows have one (articles, tracks,
sessions)."""

from __future__ import annotations

from django.utils.text import slugify


def unique_slug(rows, title: str, *, fallback: str, max_length: int = 100) -> str:
    """`title` as a slug no row of `rows` (a queryset: exclude the row being renamed) has yet:
    "refunds", then "refunds-2", "refunds-3"... `fallback` when the title has no letters."""
    base = slugify(title)[:max_length] or fallback
    slug, n = base, 2
    while rows.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
