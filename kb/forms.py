from __future__ import annotations

from django import forms
from taggit.forms import TagField

from kb.models import Article, ArticleComment, ArticleFeedback, ArticleRevision, Category
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
    category = forms.ModelChoiceField(queryset=Category.objects.select_related("parent"))
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
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Attach an image or file", help_text="Up to 10 MB.")
