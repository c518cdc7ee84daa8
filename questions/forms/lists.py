"""The question list's tab and filters, read from the address (GET). Each bad value is dropped
on its own with an error beside it and the valid ones still apply: a stale or mistyped link
still lists questions."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_slug
from django.http import QueryDict
from taggit.models import Tag

from kb.forms import CategoryChoiceField
from kb.models import Category
from questions.models import Question
from questions.selectors.lists import TABS, UNANSWERED, ListFilters

_select = {"class": "input"}


class _SlugChoice:
    """A choice named by a slug: anything that cannot be a slug (a NUL byte, spaces, a
    thousand characters) is refused before it reaches the database."""

    max_length = 100

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        try:
            validate_slug(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None
        if len(value) > self.max_length:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TagChoiceField(_SlugChoice, forms.ModelChoiceField):
    pass


class CategorySlugField(_SlugChoice, CategoryChoiceField):
    pass


class QuestionFilterForm(forms.Form):
    tab = forms.ChoiceField(
        required=False,
        choices=TABS,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "There is no such list; showing unanswered questions."},
    )
    tag = TagChoiceField(
        label="Tag",
        queryset=Tag.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All tags",
        widget=forms.Select(attrs=_select),
        error_messages={"invalid_choice": "Choose one of the tags listed."},
    )
    category = CategorySlugField(
        label="Category",
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All categories",
        widget=forms.Select(attrs=_select),
        error_messages={"invalid_choice": "Choose one of the categories listed."},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Question.Status.choices],
        widget=forms.Select(attrs=_select),
        error_messages={"invalid_choice": "Choose one of the statuses listed."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def _valid(self) -> dict:
        """The values that passed (call after `is_valid()`); a field with an error is absent."""
        return getattr(self, "cleaned_data", {})

    def current_tab(self) -> str:
        return self._valid().get("tab") or UNANSWERED

    def filters(self) -> ListFilters:
        data = self._valid()
        tag = data.get("tag")
        return ListFilters(
            tag=tag.slug if tag else "",
            category=data.get("category"),
            status=data.get("status") or "",
        )

    def query(self, **override) -> str:
        """The address's query string for the valid values, with `override` applied (a tab
        link keeps the filters; a filter link keeps the tab)."""
        data = self._valid()
        values = {
            "tab": data.get("tab") or "",
            "tag": data["tag"].slug if data.get("tag") else "",
            "category": data["category"].slug if data.get("category") else "",
            "status": data.get("status") or "",
        }
        values.update(override)
        query = QueryDict(mutable=True)
        for name, value in values.items():
            if value and not (name == "tab" and value == UNANSWERED):
                query[name] = value
        return query.urlencode()
