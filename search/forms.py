from __future__ import annotations

from urllib.parse import urlsplit

from django import forms

from kb.models import Article
from people.models import Team, User
from search.facets import SINCE_CHOICES
from search.models import QUERY_MAX_LENGTH, ContentRequest, ContentRequestAsk, Synonym
from search.selectors import SearchParams
from searchkit.indexes import type_labels


def _type_choices() -> list[tuple[str, str]]:
    # Every declared index's types (articles' kinds, training tracks, sessions, ...).
    return [("", "Any type"), *type_labels().items()]


class SearchForm(forms.Form):
    """The search page's GET parameters. A value that does not validate is dropped with a
    message, and the search runs with the rest (a bad link still finds something)."""

    q = forms.CharField(
        label="Search the knowledge base", required=False, max_length=QUERY_MAX_LENGTH
    )
    type = forms.ChoiceField(label="Type", required=False, choices=_type_choices)
    category = forms.SlugField(label="Category", required=False, max_length=100)
    tag = forms.SlugField(label="Tag", required=False, max_length=100)
    team = forms.ModelChoiceField(
        label="Team", required=False, queryset=Team.objects.all(), empty_label="Any team"
    )
    since = forms.TypedChoiceField(
        label="Updated",
        required=False,
        coerce=int,
        empty_value=None,
        choices=SINCE_CHOICES,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Relevance"), ("newest", "Newest"), ("helpful", "Most helpful")],
    )

    verbatim = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def params(self, page: str | None) -> SearchParams:
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        try:
            page_number = max(1, min(int(page or 1), 10_000))
        except (TypeError, ValueError):
            page_number = 1
        team = data.get("team")
        return SearchParams(
            q=(data.get("q") or "").strip(),
            type=data.get("type") or "",
            category=data.get("category") or "",
            tag=data.get("tag") or "",
            team=team.pk if team else None,
            since=data.get("since"),
            sort=data.get("sort") or "relevance",
            page=page_number,
            verbatim=bool(data.get("verbatim")),
        )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    @property
    def error_messages_text(self) -> list[str]:
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            messages.extend(f"{label}: {error}" for error in errors)
        return messages


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms"]
        labels = {"terms": "Words that mean the same"}


class ContentRequestForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.active(),  # by the name people see (User.Meta.ordering)
        help_text="Who should write the missing article.",
    )

    class Meta:
        model = ContentRequest
        fields = ["query", "title", "owner", "note"]
        labels = {"query": "Search", "title": "What the article should answer"}


class ContentRequestLinkForm(forms.Form):
    article = forms.CharField(
        label="Article that answers it",
        max_length=300,
        help_text="Its address or slug. Searchers are told once it is published.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_article(self) -> Article:
        path = urlsplit(self.cleaned_data["article"].strip()).path
        slug = path.rstrip("/").rsplit("/", 1)[-1]
        article = (
            Article.objects.visible_to(self.user)
            .exclude(status=Article.Status.ARCHIVED)
            .filter(slug=slug)
            .first()
        )
        if article is None:
            raise forms.ValidationError("No article you can open has that address.")
        return article


class ContentRequestDeclineForm(forms.Form):
    note = ContentRequest._meta.get_field("note").formfield(
        label="Why it will not be written", required=True
    )


class ContentRequestAskForm(forms.Form):
    """Anyone's "ask for an article on this" from a search that found nothing."""

    query = forms.CharField(widget=forms.HiddenInput, max_length=QUERY_MAX_LENGTH)
    details = ContentRequestAsk._meta.get_field("details").formfield(
        label="Details (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the customer asked, or what you needed to know.",
    )


class ContentRequestAssignForm(forms.Form):
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="The username of who should write it; they are told at once.",
    )

    def clean_owner(self) -> User:
        owner = User.objects.active().filter(username=self.cleaned_data["owner"].strip()).first()
        if owner is None:
            raise forms.ValidationError("Nobody who can sign in has that username.")
        return owner
