"""Tags of many rows in one query, without taggit's per-row machinery.

`prefetch_related("tags")` builds a `_TaggableManager` and a prefetch queryset for every row
(the largest cost of a list page after the template); a list only needs each row's tag names
and slugs. `attach_tags(rows)` reads them for all rows of one model in a single query, from
whichever through model the `TaggableManager` uses (taggit's generic `TaggedItem`, or a
custom through model with a foreign key), and sets a plain list on each row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from taggit.models import GenericTaggedItemBase


class TagName(NamedTuple):
    name: str
    slug: str

    def __str__(self) -> str:
        return self.name


def attach_tags(rows: Sequence, field: str = "tags", attr: str | None = None) -> Sequence:
    """Set `row.<attr>` (default `<field>_list`) to the row's tags as `TagName`s sorted by
    name, for every row, in one query (none when `rows` is empty). Returns `rows`."""
    attr = attr or f"{field}_list"
    if not rows:
        return rows
    model = type(rows[0])
    through = model._meta.get_field(field).remote_field.through
    pks = [row.pk for row in rows]
    if issubclass(through, GenericTaggedItemBase):
        ct = ContentType.objects.get_for_model(model)  # cached by Django after the first call
        found = through.objects.filter(content_type=ct, object_id__in=pks)
        key = "object_id"
    else:
        found = through.objects.filter(content_object__in=pks)
        key = "content_object_id"
    by_row: dict[int, list[TagName]] = {pk: [] for pk in pks}
    for pk, name, slug in found.values_list(key, "tag__name", "tag__slug").order_by("tag__name"):
        by_row[pk].append(TagName(name, slug))
    for row in rows:
        setattr(row, attr, by_row[row.pk])
    return rows
