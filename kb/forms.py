from __future__ import annotations

from django import forms
from taggit.forms import TagField

from kb.models import Article, ArticleFeedback, ArticleRevision, Category
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

_rev = ArticleRevision._meta


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=_rev.get_field("title").max_length)
    summary = forms.CharField(
        max_length=_rev.get_field("summary").max_length,
        required=False,
        help_text="One or two sentences shown in lists and search results.",
    )
    body = forms.CharField(
        max_length=_rev.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown: ## headings, lists, tables, ``` code blocks.",
    )
    type = forms.ChoiceField(choices=Article.Type.choices)
    category = forms.ModelChoiceField(queryset=Category.objects.select_related("parent"))
    tags = TagField(required=False, help_text="Separated by commas.")
    owner = forms.ModelChoiceField(
        queryset=User.objects.active(),
        help_text="The expert responsible for keeping this article correct.",
    )
    visibility = forms.ChoiceField(choices=Article.Visibility.choices)
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who may read it when visibility is limited to chosen teams.",
    )
    verification_days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        label="Verify every (days)",
        help_text="Leave empty to use the category's interval (or 90 days).",
    )
    change_note = forms.CharField(
        max_length=_rev.get_field("change_note").max_length,
        required=False,
        help_text="What changed, for reviewers and the history.",
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
        }

    def split(self) -> tuple[dict, dict, str]:
        """(content, meta, change note) as the services take them."""
        data = self.cleaned_data
        content = {name: data[name] for name in ("title", "summary", "body")}
        names = ("type", "category", "owner", "visibility", "tags", "verification_days")
        meta = {name: data[name] for name in names}
        meta["teams"] = data["teams"] if data["visibility"] == Article.Visibility.TEAMS else []
        return content, meta, data["change_note"]


class SendBackForm(forms.Form):
    comment = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What needs to change?",
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
    comment = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        label="Anything to add? (optional)",
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("helpful") is False and not data.get("reason"):
            self.add_error("reason", "Tell the owner what was wrong.")
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment or question",
        help_text="Mention a colleague with @username to notify them.",
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Attach an image or file", help_text="Up to 10 MB.")
