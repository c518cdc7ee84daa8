"""The ask and edit forms, and "this answered it". Limits, labels and help come from the
model's fields, so the form and the model never disagree; the rules (tags from the knowledge
base's vocabulary, teams when limited to teams, what may answer a question) are the
services', whose refusals the views put back beside these fields."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve, reverse
from taggit.forms import TagField

from kb.forms import CategoryChoiceField
from kb.models import Article, Category
from people.models import Team
from questions.models import Question
from questions.services.asking import NO_SOURCE

MAX_TAGS = 10
TAG_MAX_CHARS = 100
# Longer than any link to an article or a question; a longer paste is not one.
LINK_MAX = 500
_TARGET = re.compile(r"^(kb\.article|questions\.question):([0-9]{1,9})$")

_field = Question._meta.get_field


class QuestionForm(forms.Form):
    """Asking (every field) and editing (`editing=True`: text, tags and category only; who may
    read it and the urgency were the asker's choice when asking)."""

    title = _field("title").formfield(label="Your question")
    body = _field("body").formfield(
        label="Details (optional)",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the customer asked, what you tried. Markdown works; mention a "
        "colleague with @username.",
    )
    tags = TagField(
        required=False,
        help_text="Tags of the knowledge base, separated by commas (the list offers them).",
    )
    category = CategoryChoiceField(
        queryset=Category.objects.select_related("parent"),
        required=False,
        empty_label="No category",
        label="Category (optional)",
    )
    visibility = forms.ChoiceField(
        label="Who may read it",
        choices=[
            (Question.Visibility.EVERYONE, "Everyone"),
            (Question.Visibility.TEAMS, "Only the teams I choose"),
        ],
        widget=forms.RadioSelect,
        initial=Question.Visibility.EVERYONE,
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams",
        help_text="Only when it is limited to chosen teams.",
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=[
            (Question.Urgency.NORMAL, "Normal: an answer today is fine"),
            (Question.Urgency.CUSTOMER_WAITING, "A customer is waiting: I need it now"),
        ],
        widget=forms.RadioSelect,
        initial=Question.Urgency.NORMAL,
        help_text="A waiting customer reaches the likely experts at once, and your team lead "
        "if nobody answers soon.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("visibility", "teams", "urgency"):
                del self.fields[name]
        else:
            # What may already answer it, as the title is typed (the page works without).
            self.fields["title"].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": reverse("questions:suggestions"),
                    "hx-trigger": "keyup changed delay:400ms",
                    "hx-target": "#question-suggestions",
                    "hx-sync": "this:replace",
                }
            )
        self.fields["tags"].widget.attrs.update(
            {"list": "question-tag-vocabulary", "autocomplete": "off"}
        )

    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS or any(len(tag) > TAG_MAX_CHARS for tag in tags):
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        if any("\x00" in tag for tag in tags):
            raise forms.ValidationError("Remove the NUL character.")
        return tags

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Question.Visibility.TEAMS and not data.get("teams"):
            self.add_error("teams", "Choose at least one team, or let everyone read it.")
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "title": question.title,
            "body": question.body,
            "tags": list(question.tags.all()),
            "category": question.category_id,
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data[name] for name in ("title", "body", "tags", "category")}
        if "visibility" in self.fields:
            arguments.update(
                visibility=data["visibility"], teams=list(data["teams"]), urgency=data["urgency"]
            )
        return arguments


def _source_from_link(link: str) -> tuple[str, dict] | None:
    """("kb.article", {"slug": ...}) or ("questions.question", {"pk": ...}) from a pasted
    address of Huddle."""
    path = urlsplit(link.strip()).path
    try:
        match = resolve(path if path.endswith("/") else f"{path}/")
    except Resolver404:
        return None
    if match.view_name == "kb:article-detail":
        return "kb.article", {"slug": match.kwargs["slug"]}
    if match.view_name == "questions:detail" and match.kwargs["pk"] < 2**31:
        return "questions.question", {"pk": match.kwargs["pk"]}
    return None


class DeflectForm(forms.Form):
    """What answered it: a suggestion's `target` ("kb.article:12") or a pasted `link`; for a
    new question also the typed title and details and who may read it (the ask form's
    `visibility` and `teams`, which the suggestion's button submits), for an existing one its
    `question`."""

    title = forms.CharField(required=False, max_length=_field("title").max_length)
    body = forms.CharField(required=False, max_length=_field("body").max_length)
    # Blank when the button is not the ask form's: that question keeps its own audience.
    visibility = forms.ChoiceField(
        required=False, choices=Question.Visibility.choices, label="Who may read it"
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, label="Teams"
    )
    question = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    target = forms.CharField(required=False, max_length=60)
    link = forms.CharField(
        required=False,
        max_length=LINK_MAX,
        label="Or paste the link of the article or question that answered it",
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        source = None
        if match := _TARGET.match(data.get("target", "")):
            source = (match.group(1), {"pk": int(match.group(2))})
        elif data.get("link"):
            source = _source_from_link(data["link"])
        data["article"] = data["answered_by"] = None
        if source is None:
            raise forms.ValidationError(NO_SOURCE)
        label, lookup = source
        # Missing and hidden read the same: the service refuses what the user may not read.
        if label == "kb.article":
            data["article"] = found = Article.objects.filter(**lookup).first()
        else:
            data["answered_by"] = found = Question.objects.filter(**lookup).first()
        if found is None:
            raise forms.ValidationError(NO_SOURCE)
        return data
