from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.http import QueryDict
from taggit.models import Tag

from kb.models import Article, Category
from people.models import Team, User
from search.models import QUERY_MAX_LENGTH, ContentRequest, Synonym
from search.services import SINCE_DAYS, SearchParams


class SearchForm(forms.Form):
    """The search page's GET parameters. A value that does not validate is dropped with a
    message, and the search runs with the rest (a bad link still finds something)."""

    q = forms.CharField(
        label="Search the knowledge base", required=False, max_length=QUERY_MAX_LENGTH
    )
    type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any type"), *Article.Type.choices]
    )
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
        choices=[("", "Any time"), *((d, f"In the last {d} days") for d in SINCE_DAYS)],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Relevance"), ("newest", "Newest"), ("helpful", "Most helpful")],
    )

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
            kind=data.get("type") or "",
            category=data.get("category") or "",
            tag=data.get("tag") or "",
            team=team.pk if team else None,
            since=data.get("since"),
            sort=data.get("sort") or "relevance",
            page=page_number,
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


FACET_PARAMS = (  # (facet name in the index, GET parameter, title)
    ("kind", "type", "Type"),
    ("category", "category", "Category"),
    ("tags", "tag", "Tag"),
    ("teams", "team", "Team"),
)


def _labels(name: str, values: list[str]) -> dict[str, str]:
    """Display names for one facet's values, in at most one query."""
    if name == "kind":
        return dict(Article.Type.choices)
    if not values:
        return {}
    if name == "category":
        return dict(Category.objects.filter(slug__in=values).values_list("slug", "name"))
    if name == "tags":
        return dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))
    ids = [int(v) for v in values if v.isdigit()]
    return {str(pk): name for pk, name in Team.objects.filter(pk__in=ids).values_list("pk", "name")}


def _url(query: QueryDict, **changes) -> str:
    query = query.copy()
    query.pop("page", None)
    query.pop("log", None)  # another filter is another search
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


def _option(label: str, count: int | None, url: str, active: bool) -> dict:
    return {"label": label, "count": count, "url": url, "active": active}


def facet_links(query: QueryDict, params: SearchParams, counts: dict) -> list[dict]:
    """Each filter with its values, counts (for this search) and links that add or clear it;
    the "Updated" filter has fixed choices and no counts."""
    current = {"type": params.kind, "category": params.category, "tag": params.tag,
               "team": str(params.team or "")}  # fmt: skip
    facets = []
    for name, param, title in FACET_PARAMS:
        values = counts.get(name, [])
        if not values and not current[param]:
            continue
        labels = _labels(name, [value for value, _ in values])
        options = [
            _option(labels.get(value, value), count, _url(query, **{param: value}),
                    value == current[param])
            for value, count in values
        ]  # fmt: skip
        clear = _url(query, **{param: None}) if current[param] else ""
        facets.append({"title": title, "options": options, "clear_url": clear})
    since = [
        _option(label, None, _url(query, since=value), str(value) == str(params.since or ""))
        for value, label in SearchForm.base_fields["since"].choices
    ]
    facets.append({"title": "Updated", "options": since, "clear_url": ""})
    return facets


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ["terms"]
        labels = {"terms": "Words that mean the same"}


class ContentRequestForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"),
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
    note = forms.CharField(
        label="Why it will not be written", max_length=2000, widget=forms.Textarea
    )
