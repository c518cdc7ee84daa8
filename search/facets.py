"""The search page's filters as links: each facet's values with their counts for this search,
links that add or clear a filter, and display names for the values."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import CharField, Value
from django.db.models.functions import Cast
from django.http import QueryDict
from taggit.models import Tag

from kb.models import Category
from people.models import Skill, Team
from search.selectors import SINCE_DAYS, SearchParams
from searchkit.indexes import type_labels

SINCE_CHOICES = [("", "Any time"), *((d, f"In the last {d} days") for d in SINCE_DAYS)]


FACET_PARAMS = (  # (facet name in the index, GET parameter, title)
    ("type", "type", "Type"),
    ("category", "category", "Category"),
    ("tags", "tag", "Tag"),
    ("teams", "team", "Team"),
)


def _labels(values: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """Display names of every facet's values (facet -> value -> name) in one query: each
    facet's names are a small lookup, and one UNION costs one round trip and compilation."""
    labels: dict[str, dict[str, str]] = {name: {} for name in values}
    labels["type"] = type_labels()  # each index names the types it writes
    parts = []
    if values.get("category"):
        parts.append(_names("category", Category.objects.filter(slug__in=values["category"])))
    if values.get("tags"):
        parts.append(_names("tags", Tag.objects.filter(slug__in=values["tags"])))
        # Tracks and sessions are tagged with the people app's skill vocabulary; a tag of
        # the same slug names it first.
        parts.append(_names("skills", Skill.objects.filter(slug__in=values["tags"])))
    if ids := [int(v) for v in values.get("teams", ()) if v.isdigit()]:
        teams = Team.objects.filter(pk__in=ids).annotate(key=Cast("pk", CharField()))
        parts.append(_names("teams", teams, key="key"))
    if not parts:
        return labels
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    skills = {}
    for facet, key, name in rows:
        (skills if facet == "skills" else labels[facet]).setdefault(key, name)
    for key, name in skills.items():
        labels["tags"].setdefault(key, name)
    return labels


def _names(facet: str, queryset, key: str = "slug"):
    return queryset.order_by().values_list(Value(facet, output_field=CharField()), key, "name")


def _url(base: list[tuple[str, str]], key: str, value) -> str:
    """`base` (the search's parameters) with `key` set to `value`, or removed when empty."""
    pairs, placed = [], value in (None, "")
    for k, v in base:
        if k != key:
            pairs.append((k, v))
        elif not placed:  # where it was, as QueryDict's item assignment keeps it
            pairs.append((key, str(value)))
            placed = True
    if not placed:
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs)


def _option(label: str, count: int | None, url: str, active: bool) -> dict:
    return {"label": label, "count": count, "url": url, "active": active}


def facet_links(query: QueryDict, params: SearchParams, counts: dict) -> list[dict]:
    """Each filter with its values, counts (for this search) and links that add or clear it;
    the "Updated" filter has fixed choices and no counts."""
    current = {"type": params.type, "category": params.category, "tag": params.tag,
               "team": str(params.team or "")}  # fmt: skip
    # Another filter is another search: no page, no log key. Built once, not per link.
    base = [(k, v) for k, values in query.lists() if k not in ("page", "log") for v in values]
    facets = []
    labels = _labels({name: [value for value, _ in counts.get(name, [])]
                      for name, _, _ in FACET_PARAMS})  # fmt: skip
    for name, param, title in FACET_PARAMS:
        values = counts.get(name, [])
        if not values and not current[param]:
            continue
        options = [
            _option(labels[name].get(value, value), count, _url(base, param, value),
                    value == current[param])
            for value, count in values
        ]  # fmt: skip
        clear = _url(base, param, None) if current[param] else ""
        facets.append({"title": title, "options": options, "clear_url": clear})
    since = [
        _option(label, None, _url(base, "since", value), str(value) == str(params.since or ""))
        for value, label in SINCE_CHOICES
    ]
    facets.append({"title": "Updated", "options": since, "clear_url": ""})
    return facets
