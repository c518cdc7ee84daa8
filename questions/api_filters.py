"""The question list's query parameters for the API (django-filter), the lists' rules: a
malformed slug is a 400 with a message by parameter, a well-formed one that names nothing
lists nothing; deflected questions (an answer found while asking) are listed only when asked
for by `status` or among your own (`mine`), as on the page."""

from __future__ import annotations

from django.db.models import Q
from django_filters import rest_framework as filters

from kb.api_filters import SlugFilter
from questions.models import Question


class QuestionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Question.Status.choices)
    tag = SlugFilter(field_name="tags__slug", help_text="A tag slug.")
    category = SlugFilter(
        method="filter_category", help_text="A category slug: a top-level one includes its topics."
    )
    mine = filters.BooleanFilter(
        method="filter_mine", help_text="`true`: only questions you asked."
    )
    for_me = filters.BooleanFilter(
        method="filter_for_me", help_text="`true`: only questions brought to you (routing)."
    )

    class Meta:
        model = Question
        fields = ["status", "tag", "category", "mine", "for_me"]

    def filter_category(self, questions, name: str, slug: str):
        return questions.filter(Q(category__slug=slug) | Q(category__parent__slug=slug))

    def filter_mine(self, questions, name: str, mine: bool):
        return questions.filter(author=self.request.user) if mine else questions

    def filter_for_me(self, questions, name: str, for_me: bool):
        return questions.routed_to(self.request.user) if for_me else questions

    def filter_queryset(self, queryset):
        questions = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("status") and not data.get("mine"):
            questions = questions.listed()
        return questions
