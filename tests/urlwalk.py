"""Every URL in the URL conf, with real ids to fill it: shared by the walks over all URLs
(the login walk in tests/config/test_login_required.py, the fuzz test in tests/fuzz/).

A new app's URLs are walked the day they exist; an app whose URLs take parameters adds its
namespace to `APPS_WITH_SAMPLE_IDS` and the ids to `make_sample_ids`, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

from kb import services as kb_services
from search import services as search_services
from search.models import SearchLog
from tests.factories import NotificationFactory, UserFactory, make_article

# Pages an anonymous visitor must reach.
PUBLIC = {"/accounts/login/", "/admin/login/"}
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name ("kb:article-detail") and a template per way to spell it
    ("kb/a/%(slug)s/", with its parameter names)."""

    name: str
    template: str
    params: tuple[str, ...]

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]

    def fill(self, values: dict[str, str]) -> str:
        """The URL with each parameter taken from `values`; DRF's format suffix is "json"
        (its dot is either before or inside the group) and anything else missing is "1"."""
        filled = {name: str(values.get(name, "1")) for name in self.params}
        if "format" in self.params:
            filled["format"] = "json" if self.template.endswith(".%(format)s") else ".json"
        return "/" + self.template % filled

    def __str__(self) -> str:  # the test id: "/kb/a/<slug>/revisions/<number>/"
        return "/" + self.template % {name: f"<{name}>" for name in self.params}


def _routes(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^")
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            routes += _routes(entry.url_patterns, regex, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            for template, params in normalize(regex.replace(r"\Z", "").replace("$", "")):
                routes.append(Route(name, template, tuple(params)))
    return sorted(set(routes), key=str)


ROUTES = _routes(get_resolver().url_patterns)
ALL_URLS = sorted({route.fill({}) for route in ROUTES})

# The apps whose URL parameters are filled with ids of real rows (`make_sample_ids`), so a
# walk requests an existing article, revision, comment, request... An app listed here must
# give every parameter its URLs have; the others' (the admin's, the API's) get "1".
APPS_WITH_SAMPLE_IDS = ("kb", "search", "people", "notifications")


def make_sample_ids(*, agent, editor, team) -> dict[str, dict[str, object]]:
    """Rows for every parameter, and their ids by URL namespace ("kb"), or by URL name
    ("kb:attachment") where a parameter means another row there than in the rest of its app.
    The `agent` owns the notification and wrote the article (published by `editor`)."""
    article = make_article(author=agent, approved_by=editor, tags=["refunds"])
    comment = kb_services.comment_add(article=article, author=editor, body="Still right?")
    attachment = kb_services.attachment_add(
        article=article, user=agent, upload=SimpleUploadedFile("notes.txt", b"Some notes.")
    )
    suggestion = kb_services.suggestion_create(
        article=article, author=UserFactory(team=team),
        content={"title": "Refunds, suggested", "summary": "", "body": "A reader's better text."},
    )  # fmt: skip
    content_request = search_services.content_request_create(
        user=editor, query="refnd", title="Refunds", owner=agent
    )
    # Asked for by the agent and not assigned yet: the editors' triage list has a row.
    search_services.content_request_ask(user=agent, query="gift card balance", details="Please")
    synonym = search_services.synonym_save(user=editor, terms="refund, chargeback")
    log = SearchLog.objects.create(user=agent, query="refund", normalized="refund", result_count=1)
    kb = {
        "slug": article.slug,
        "category_slug": article.category.slug,
        "number": article.latest_revision.number,
        "pk": comment.pk,
    }
    return {
        "kb": kb,
        "kb:attachment": {**kb, "pk": attachment.pk, "name": attachment.name},
        "kb:file": {"pk": attachment.pk, "name": attachment.name},
        **{
            f"kb:suggestion-{action}": {**kb, "pk": suggestion.pk}
            for action in ("detail", "accept", "decline")
        },
        "search": {"pk": content_request.pk, "log_id": log.pk, "article_id": article.pk},
        "search:synonym-delete": {"pk": synonym.pk},
        "people": {"slug": team.slug, "username": agent.username},
        "notifications": {"pk": NotificationFactory(recipient=agent).pk},
    }


def route_values(route: Route, sample_ids) -> dict[str, object]:
    """The parameter values of `route`. `sample_ids` is the dict `make_sample_ids` returns,
    or a function returning it (called only for the apps that need ids: it makes rows)."""
    if route.namespace not in APPS_WITH_SAMPLE_IDS:
        return {}
    ids = sample_ids() if callable(sample_ids) else sample_ids
    values = {**ids[route.namespace], **ids.get(route.name, {})}
    missing = set(route.params) - set(values)
    assert not missing, f"{route}: add sample ids for {sorted(missing)} to `make_sample_ids`"
    return values


def route_url(route: Route, sample_ids) -> str:
    """`route` filled with real ids (see `route_values`), checked to resolve to itself."""
    values = route_values(route, sample_ids)
    url = route.fill(values)
    if values:
        assert resolve(url).view_name == route.name, (url, route.name)  # the ids fit
    return url
