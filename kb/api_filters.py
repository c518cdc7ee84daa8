"""The article list's query parameters for the API (django-filter). A value that cannot be
what it names (a NUL byte, a slug of a thousand characters, a date past year 9999) is a 400
with a message by parameter; a well-formed slug that names nothing lists nothing, as a
category or tag with no articles does."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from kb.models import Article

SLUG_MAX = 100  # the longest category or tag slug


class SlugFilter(django_filters.CharFilter):
    """A slug: anything else is refused before it reaches the database."""

    field_class = forms.SlugField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SLUG_MAX)
        super().__init__(*args, **kwargs)


class ArticleFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Article.Type.choices, help_text="The article type.")
    category = SlugFilter(
        method="filter_category",
        help_text="A category slug: its articles and those of its topics.",
    )
    tag = SlugFilter(field_name="tags__slug", help_text="A tag slug.")
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only articles updated at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Article
        fields = ["type", "category", "tag", "updated_since"]

    def filter_category(self, articles, name: str, slug: str):
        # The browse page's rule (`ArticleQuerySet.in_category`), by slug: a top-level
        # category lists its topics' articles too.
        return articles.filter(Q(category__slug=slug) | Q(category__parent__slug=slug))
