"""The search page's filters as links: each facet's values with their counts for this search,
links that add or clear a filter, and display names for the values."""

from __future__ import annotations

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


def _labels(name: str, values: list[str]) -> dict[str, str]:
    """Display names for one facet's values, in at most one query (two for tags)."""
    if name == "type":
        return type_labels()  # each index names the types it writes
    if not values:
        return {}
    if name == "category":
        return dict(Category.objects.filter(slug__in=values).values_list("slug", "name"))
    if name == "tags":
        labels = dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))
        # Tracks and sessions are tagged with the people app's skill vocabulary.
        if missing := [value for value in values if value not in labels]:
            skills = Skill.objects.filter(slug__in=missing).values_list("slug", "name")
            labels.update(dict(skills))
        return labels
    ids = [int(v) for v in values if v.isdigit()]
    return {str(pk): name for pk, name in Team.objects.filter(pk__in=ids).values_list("pk", "name")}


def _url(query: QueryDict, **changes) -> str:
    query = query.copy()
    query.pop("page", None)
    query.pop("log", None)  # another filter is another search
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


def _option(label: str, count: int | None, url: str, active: bool) -> dict:
    return {"label": label, "count": count, "url": url, "active": active}


def facet_links(query: QueryDict, params: SearchParams, counts: dict) -> list[dict]:
    """Each filter with its values, counts (for this search) and links that add or clear it;
    the "Updated" filter has fixed choices and no counts."""
    current = {"type": params.type, "category": params.category, "tag": params.tag,
               "team": str(params.team or "")}  # fmt: skip
    facets = []
    for name, param, title in FACET_PARAMS:
        values = counts.get(name, [])
        if not values and not current[param]:
            continue
        labels = _labels(name, [value for value, _ in values])
        options = [
            _option(labels.get(value, value), count, _url(query, **{param: value}),
                    value == current[param])
            for value, count in values
        ]  # fmt: skip
        clear = _url(query, **{param: None}) if current[param] else ""
        facets.append({"title": title, "options": options, "clear_url": clear})
    since = [
        _option(label, None, _url(query, since=value), str(value) == str(params.since or ""))
        for value, label in SINCE_CHOICES
    ]
    facets.append({"title": "Updated", "options": since, "clear_url": ""})
    return facets
