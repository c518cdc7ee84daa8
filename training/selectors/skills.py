"""The skills of many tracks or sessions in one query."""

from __future__ import annotations

from people.tagging import attach_tags
from searchkit.indexes import serve_related


def with_skills(rows: list) -> list:
    """`row.skills.all()` answered for every row from one query (`attach_tags`), without
    taggit's prefetch, which builds a manager and a filtered queryset for every row; each row
    also gets `skills_list`. Returns `rows`."""
    serve_related(attach_tags(rows, field="skills"), "skills", "skills_list")
    return rows
