"""Running a search (and logging it), synonyms, and content requests."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kb.models import Article
from kb.querysets import is_editor
from kb.search import articles_in_order, searchable_by
from notifications.services import notify
from people.models import User
from search import query as search_query
from search.models import ContentRequest, SearchLog, Synonym, normalize_query

log = logging.getLogger(__name__)

PAGE_SIZE = 10
FACETS = ("kind", "category", "tags", "teams")
SINCE_DAYS = (7, 30, 90, 365)


@dataclass
class SearchParams:
    """What a search asks for, already validated (see `search.forms.SearchForm`)."""

    q: str = ""
    kind: str = ""
    category: str = ""  # a category slug
    tag: str = ""  # a tag slug
    team: int | None = None
    since: int | None = None  # days
    sort: str = "relevance"  # or "newest", "helpful"
    page: int = 1

    @property
    def filters(self) -> dict:
        values = {
            "kind": self.kind,
            "category": self.category,
            "tag": self.tag,
            "team": self.team,
            "since": self.since,
        }
        return {name: value for name, value in values.items() if value}


@dataclass
class SearchOutcome:
    params: SearchParams
    articles: list = field(default_factory=list)
    hits: int = 0
    page: int = 1
    facets: dict = field(default_factory=dict)  # facet -> [(value, count)]
    suggestion: str | None = None
    any_word: bool = False  # no article had every word; these have some of them
    log: SearchLog | None = None

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.hits / PAGE_SIZE))

    @property
    def start_rank(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def _narrowed(sqs, params: SearchParams):
    # Filter values are validated choices, slugs and ids, so they are safe inside quotes.
    if params.kind:
        sqs = sqs.narrow(f'kind:"{params.kind}"')
    if params.category:
        sqs = sqs.narrow(f'category:"{params.category}"')
    if params.tag:
        sqs = sqs.narrow(f'tags:"{params.tag}"')
    if params.team:
        sqs = sqs.narrow(f'teams:"{params.team}"')
    if params.since:
        sqs = sqs.filter(updated__gte=timezone.now() - timedelta(days=params.since))
    return sqs


def _query(user, params: SearchParams, text_query):
    sqs = _narrowed(searchable_by(user), params)
    sqs = sqs.filter(text_query) if text_query is not None else sqs.all()
    if params.sort == "newest" or text_query is None:
        sqs = sqs.order_by("-updated")
    elif params.sort == "helpful":
        sqs = sqs.order_by("-helpful")
    for name in FACETS:
        sqs = sqs.facet(name)
    return sqs.highlight().set_spelling_query(params.q)


def _run(sqs, page: int):
    """One backend search for one page; hits, facets and suggestion come with it."""
    start = (page - 1) * PAGE_SIZE
    results = list(sqs[start : start + PAGE_SIZE])
    return results, sqs.count(), sqs.facet_counts().get("fields", {}), sqs.spelling_suggestion()


def search_run(
    *, user: User, params: SearchParams, log: SearchLog | None = None, log_it: bool = True
) -> SearchOutcome:
    """Search what `user` may read. The first page of a new search is logged for the
    insights; later pages (and re-sorts) pass that search's `log`, so opened results are
    still credited to it and nothing is counted twice."""
    outcome = SearchOutcome(params=params)
    parsed = search_query.parse(params.q)
    if parsed.is_empty and not params.filters:
        return outcome
    requested_page = params.page
    sqs = _query(user, params, search_query.build(parsed))
    results, hits, facets, suggestion = _run(sqs, params.page)
    # What the insights count: hits for every word. A fallback to "some of the words" still
    # means the knowledge base lacks the answer.
    all_words_hits = hits
    if hits == 0 and len(parsed.words) > 1:
        sqs = _query(user, params, search_query.build(parsed, match_all_words=False))
        results, hits, facets, _ = _run(sqs, params.page)
        outcome.any_word = hits > 0
    pages = max(1, math.ceil(hits / PAGE_SIZE))
    if params.page > pages:  # a page past the end shows the last one
        params.page = pages
        results, hits, facets, _ = _run(sqs, pages)
    outcome.page, outcome.hits, outcome.facets = params.page, hits, facets
    if suggestion and not parsed.phrases and hits < 5:
        outcome.suggestion = _readable_suggestion(user, params, suggestion)
    outcome.articles = articles_in_order([r.pk for r in results], user)
    snippets = {int(r.pk): _snippet(r) for r in results}
    for article in outcome.articles:
        article.snippet = snippets.get(article.pk, "")
    if log is not None:
        outcome.log = log
    elif log_it and requested_page == 1 and params.q.strip():
        outcome.log = search_log_record(user=user, params=params, result_count=all_words_hits)
    return outcome


def _readable_suggestion(user: User, params: SearchParams, suggestion: str) -> str | None:
    """The correction comes from every word in the index; offer it only if it finds an
    article `user` may read, so it never reveals a word of a hidden one."""
    corrected = search_query.build(search_query.parse(suggestion))
    if corrected is None:
        return None
    found = _narrowed(searchable_by(user), params).filter(corrected)[:1]
    return suggestion if len(found) else None


def _snippet(result) -> str:
    """The highlighted fragment, cleaned so that only the highlight markup survives, whatever
    the engine (Whoosh marks with <mark>, Elasticsearch with <em>)."""
    fragments = (getattr(result, "highlighted", None) or {}).get("text") or [""]
    return nh3.clean(fragments[0], tags={"mark", "em"}, attributes={})


def search_log_record(*, user: User, params: SearchParams, result_count: int) -> SearchLog:
    return SearchLog.objects.create(
        user=user,
        team_id=user.team_id,
        query=params.q.strip()[: SearchLog._meta.get_field("query").max_length],
        normalized=normalize_query(params.q),
        filters=params.filters,
        result_count=result_count,
    )


def search_log_open(*, log_id: int, user: User, article: Article, rank: int | None) -> None:
    """Remember the first result `user` opened from their search `log_id`."""
    SearchLog.objects.filter(pk=log_id, user=user, opened_at__isnull=True).update(
        opened_article=article, opened_rank=rank, opened_at=timezone.now()
    )


# --- Synonyms -------------------------------------------------------------------------------


def _require_editor(user: User) -> None:
    if not is_editor(user):
        raise PermissionDenied("Only KB editors manage synonyms and content requests.")


@transaction.atomic
def synonym_save(*, user: User, terms: str, synonym: Synonym | None = None) -> Synonym:
    _require_editor(user)
    synonym = synonym or Synonym(created_by=user)
    synonym.terms, synonym.updated_at = terms, timezone.now()
    synonym.full_clean()
    synonym.save()
    transaction.on_commit(search_query.forget_synonyms)
    return synonym


@transaction.atomic
def synonym_delete(*, user: User, synonym: Synonym) -> None:
    _require_editor(user)
    synonym.delete()
    transaction.on_commit(search_query.forget_synonyms)


# --- Content requests -----------------------------------------------------------------------


@transaction.atomic
def content_request_create(
    *, user: User, query: str, title: str, owner: User, note: str = ""
) -> ContentRequest:
    """Turn a failed search into work for `owner`, who is told at once."""
    _require_editor(user)
    request = ContentRequest(
        query=normalize_query(query), title=title.strip(), note=note.strip(), owner=owner,
        created_by=user,
    )  # fmt: skip
    request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(
            {"query": "There is already an open request for this search."}
        ) from None
    if owner.pk != user.pk:
        notify(
            recipient=owner,
            kind="search.request",
            message=f"{user.name} asks you to write: “{request.title}” "
            f"(people searched for “{request.query}” and found nothing useful).",
            url=request.get_absolute_url(),
        )
    return request


def _require_request_actor(user: User, request: ContentRequest) -> None:
    if not (is_editor(user) or request.owner_id == user.pk):
        raise PermissionDenied("Only the request's owner and KB editors can do that.")


@transaction.atomic
def content_request_link(*, user: User, request: ContentRequest, article: Article) -> None:
    """Name the article that answers the request; searchers hear once it is published."""
    _require_request_actor(user, request)
    if request.status != ContentRequest.Status.OPEN:
        raise ValidationError("This request is already closed.")
    if not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        raise ValidationError({"article": "Choose an article you can open."})
    request.article = article
    request.save(update_fields=["article"])
    if article.status == Article.Status.PUBLISHED:
        transaction.on_commit(lambda: content_request_fulfil(request_id=request.pk))


@transaction.atomic
def content_request_decline(*, user: User, request: ContentRequest, note: str) -> None:
    _require_request_actor(user, request)
    if request.status != ContentRequest.Status.OPEN:
        raise ValidationError("This request is already closed.")
    if not note.strip():
        raise ValidationError({"note": "Say why this will not be written."})
    request.status, request.note = ContentRequest.Status.DECLINED, note.strip()
    request.full_clean()
    request.save(update_fields=["status", "note"])


@transaction.atomic
def content_request_fulfil(*, request_id: int) -> int:
    """Close a request whose article is published and tell each person who searched for
    it and may read the article. Claims the row with a conditional update, so it runs once
    however often it is called. Returns how many people were told."""
    request = (
        ContentRequest.objects.awaiting_publication()
        .select_related("article__published_revision")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    claimed = ContentRequest.objects.filter(pk=request.pk, status="open").update(
        status=ContentRequest.Status.ANSWERED, answered_at=timezone.now()
    )
    if not claimed:
        return 0
    article = request.article
    searcher_ids = (
        SearchLog.objects.filter(normalized=request.query, user__isnull=False)
        .values_list("user", flat=True)
        .distinct()
    )
    told = 0
    for person in User.objects.active().filter(pk__in=searcher_ids):
        if not Article.objects.readable_by(person).filter(pk=article.pk).exists():
            continue
        sent = notify(
            recipient=person,
            kind="search.answered",
            message=f"You searched for “{request.query}”. This now answers it: “{article.title}”.",
            url=article.get_absolute_url(),
            dedupe_key=f"search.answered:{request.pk}:{person.pk}",
        )
        told += sent is not None
    return told


def content_requests_fulfil_due() -> int:
    """Beat: fulfil every request whose linked article has been published since."""
    return sum(
        content_request_fulfil(request_id=pk)
        for pk in ContentRequest.objects.awaiting_publication().values_list("pk", flat=True)
    )
