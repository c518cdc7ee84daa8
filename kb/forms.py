from __future__ import annotations

from django import forms
from taggit.forms import TagField

from kb.mentions import mentioned_people, mentioned_usernames
from kb.models import (
    Article,
    ArticleComment,
    ArticleFeedback,
    ArticleRevision,
    ArticleSuggestion,
    Category,
)
from kb.validators import validate_body_shows_something
from people.models import Team, User

# New articles start from the skeleton of their type, the way support teams write them.
BODY_TEMPLATES = {
    Article.Type.ARTICLE: "## Overview\n\n\n## Details\n\n",
    Article.Type.FAQ: "## Question\n\n\n## Answer\n\n",
    Article.Type.TROUBLESHOOTING: (
        "## Symptoms\n\nWhat the customer sees or reports.\n\n"
        "## Cause\n\nWhy it happens.\n\n"
        "## Resolution\n\n1. \n2. \n\n"
        "## Escalation\n\nWhen and to whom to escalate, and what to include.\n"
    ),
    Article.Type.HOWTO: "## Before you start\n\n\n## Steps\n\n1. \n2. \n\n## Result\n\n",
    Article.Type.BEST_PRACTICE: "## Situation\n\n\n## What worked\n\n\n## Lessons learned\n\n",
}


class _GroupedCategories(forms.models.ModelChoiceIterator):
    """Topics grouped under their product or department (an <optgroup> each), the group's own
    category first, so a long list reads as the two levels it is."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        categories = list(self.queryset)
        children: dict[int, list[Category]] = {}
        for category in categories:
            if category.parent_id:
                children.setdefault(category.parent_id, []).append(category)
        for top in sorted((c for c in categories if not c.parent_id), key=lambda c: c.name):
            topics = sorted(children.get(top.pk, []), key=lambda c: c.name)
            options = [self.choice(top), *(self.choice(topic) for topic in topics)]
            yield (top.name, options)

    def choice(self, category: Category):
        label = f"{category.name} (general)" if not category.parent_id else category.name
        return (
            forms.models.ModelChoiceIteratorValue(self.field.prepare_value(category), category),
            label,
        )


class CategoryChoiceField(forms.ModelChoiceField):
    iterator = _GroupedCategories


_revision_field = ArticleRevision._meta.get_field
_article_field = Article._meta.get_field


class ArticleForm(forms.Form):
    """Text and settings of an article. Limits, labels and help come from the models'
    fields (`formfield()`), so the form, the model and the importer never disagree."""

    title = _revision_field("title").formfield()
    summary = _revision_field("summary").formfield()
    body = _revision_field("body").formfield(
        widget=forms.Textarea(attrs={"rows": 18}), validators=[validate_body_shows_something]
    )
    type = forms.ChoiceField(choices=Article.Type.choices)
    category = CategoryChoiceField(queryset=Category.objects.select_related("parent"))
    tags = TagField(required=False, help_text="Separated by commas.")
    owner = _article_field("owner").formfield(queryset=User.objects.active())
    visibility = forms.ChoiceField(choices=Article.Visibility.choices)
    teams = _article_field("teams").formfield(
        queryset=Team.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    verification_days = _article_field("verification_days").formfield(min_value=1, max_value=3650)
    change_note = _revision_field("change_note").formfield()
    # The revision the editor opened: a save on top of a newer one is refused, not lost.
    base_revision = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > 20 or any(len(tag) > 50 for tag in tags):
            raise forms.ValidationError("Use at most 20 tags of at most 50 characters each.")
        return tags

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Article.Visibility.TEAMS and not data.get("teams"):
            self.add_error("teams", "Choose at least one team, or make it visible to everyone.")
        return data

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        revision = article.latest_revision
        return {
            "title": revision.title,
            "summary": revision.summary,
            "body": revision.body,
            "type": article.type,
            "category": article.category_id,
            "tags": list(article.tags.all()),
            "owner": article.owner_id,
            "visibility": article.visibility,
            "teams": list(article.teams.all()),
            "verification_days": article.verification_days,
            "base_revision": revision.number,
        }

    def split(self) -> tuple[dict, dict, str]:
        """(content, meta, change note) as the services take them."""
        data = self.cleaned_data
        content = {name: data[name] for name in ("title", "summary", "body")}
        names = ("type", "category", "owner", "visibility", "tags", "verification_days")
        meta = {name: data[name] for name in names}
        meta["teams"] = data["teams"] if data["visibility"] == Article.Visibility.TEAMS else []
        return content, meta, data["change_note"]


class ArticleFilterForm(forms.Form):
    """The article list's filters; a bad value is ignored, as a stale link should still list."""

    DEFAULTS = {"type": "", "tag": "", "sort": "recent"}

    type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "All types"), *Article.Type.choices],
        widget=forms.Select(attrs={"class": "input"}),
    )
    sort = forms.ChoiceField(
        widget=forms.Select(attrs={"class": "input"}),
        label="Sort by",
        required=False,
        choices=[("recent", "Recently updated"), ("viewed", "Most viewed"),
                 ("helpful", "Most helpful"), ("title", "Title")],
    )  # fmt: skip
    tag = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "recent"


class SendBackForm(forms.Form):
    comment = _article_field("review_comment").formfield(
        widget=forms.Textarea(attrs={"rows": 3}), label="What needs to change?", required=True
    )


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Was this helpful?",
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ArticleFeedback.Reason.choices],
        required=False,
        label="What was wrong?",
    )
    comment = ArticleFeedback._meta.get_field("comment").formfield(
        widget=forms.Textarea(attrs={"rows": 2}), label="Anything to add? (optional)"
    )

    def clean(self):
        data = super().clean()
        if "helpful" in data:  # the model's rule, so the message stands beside the field
            try:
                ArticleFeedback(helpful=data["helpful"], reason=data.get("reason", "")).clean()
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


class CommentForm(forms.Form):
    body = ArticleComment._meta.get_field("body").formfield(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment or question",
        help_text="Mention a colleague with @username to notify them.",
        error_messages={"required": "Write a comment first."},
    )

    def clean_body(self) -> str:
        """Every @mention must name someone: a typo would otherwise notify nobody, silently.
        `mentioned` holds the people named, by username."""
        body = self.cleaned_data["body"]
        names = mentioned_usernames(body)
        self.mentioned = mentioned_people([body])
        unknown = sorted(names - set(self.mentioned))
        if unknown:
            listed = ", ".join(f"@{name}" for name in unknown)
            raise forms.ValidationError(
                f"No one here is called {listed}. Check the spelling (type @ to pick someone), "
                "or remove the @."
            )
        return body


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach an image or file",
        help_text="Up to 10 MB.",
        error_messages={"required": "Choose a file to upload."},
    )


class SuggestionForm(forms.Form):
    """A reader's proposed text, with the same limits as a revision's."""

    title = _revision_field("title").formfield()
    summary = _revision_field("summary").formfield()
    body = _revision_field("body").formfield(
        widget=forms.Textarea(attrs={"rows": 18}), validators=[validate_body_shows_something]
    )
    note = ArticleSuggestion._meta.get_field("note").formfield()

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "summary", "body")}


class SuggestionDeclineForm(forms.Form):
    note = ArticleSuggestion._meta.get_field("decision_note").formfield(
        label="Why not?", required=True, error_messages={"required": "Say why, briefly."}
    )


class ArchiveForm(forms.Form):
    """Archiving an article, or changing an archived one's replacement: the published article
    its readers are sent to."""

    replaced_by = forms.ModelChoiceField(
        queryset=Article.objects.none(),
        required=False,
        label="Replaced by (optional)",
        empty_label="No replacement",
        help_text="Readers who open the archived article get a link to this published article.",
    )

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["replaced_by"]
        field.queryset = (
            Article.objects.published()
            .exclude(pk=article.pk)
            .select_related("published_revision")
            .order_by("published_revision__title", "pk")
        )
        field.label_from_instance = lambda candidate: candidate.published_revision.title
        if article.replaced_by_id and not self.is_bound:
            self.initial["replaced_by"] = article.replaced_by_id
