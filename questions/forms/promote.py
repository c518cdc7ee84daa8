"""The "Promote to article" form: which kind of article the question becomes, and where it
belongs in the knowledge base."""

from __future__ import annotations

from django import forms

from kb.forms import CategoryChoiceField
from kb.models import Article, Category
from questions.services.promotion import PROMOTION_TYPES

TYPE_HELP = {
    Article.Type.FAQ: "An FAQ reads as the question and its answer.",
    Article.Type.TROUBLESHOOTING: "A troubleshooting guide reads as a problem and its fix.",
}


class PromoteForm(forms.Form):
    type = forms.ChoiceField(
        label="Kind of article",
        choices=[(value, Article.Type(value).label) for value in PROMOTION_TYPES],
        initial=Article.Type.FAQ,
        widget=forms.RadioSelect,
        help_text=" ".join(TYPE_HELP.values()),
    )
    category = CategoryChoiceField(
        label="Category",
        queryset=Category.objects.select_related("parent"),
        required=False,
        empty_label="Choose a category",
        help_text="Where editors and readers will find it in the knowledge base.",
    )

    def __init__(self, *args, question, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("category", question.category_id)
        super().__init__(*args, **kwargs)
        self.question = question

    def clean(self):
        data = super().clean()
        # The question's own category stands in for an empty choice; kb needs one of them.
        if not data.get("category") and "category" not in self.errors:
            data["category"] = self.question.category
            if data["category"] is None:
                self.add_error("category", "Choose the category the article belongs in.")
        return data
