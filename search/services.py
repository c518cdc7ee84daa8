"""Writes of the search app: the search log, synonyms and content requests."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator

from kb.models import Article
from notifications.services import notify
from people.deferred import Buffer
from people.models import Team, User
from search import query as search_query
from search.models import ContentRequest, ContentRequestAsk, SearchLog, Synonym, normalize_query
from search.selectors import SearchOutcome

log = logging.getLogger(__name__)


# Searches and opened results are written behind the page (`people.deferred`): a search is a
# read, and on SQLite a write would queue it behind every other writer.
LOGS = Buffer("search.log")


def _flush_soon() -> None:
    from search.tasks import search_logs_flush

    # A message the worker picks up in a moment; if it is down, beat flushes later anyway.
    search_logs_flush.apply_async(expires=60)


def search_log_record(*, user: User, outcome: SearchOutcome, key: uuid.UUID) -> None:
    """Log what `user` searched and how many results were shown (for a corrected typo, the
    correction's: that is what the reader saw), under `key`, the search's result links' key.
    Written by the next flush (`search_logs_write`)."""
    params = outcome.params
    LOGS.append(
        {
            "kind": "search",
            "key": str(key),
            "user": user.pk,
            "team": user.team_id,
            "query": params.q.strip()[: SearchLog._meta.get_field("query").max_length],
            "normalized": normalize_query(params.q),
            "filters": params.filters,
            "result_count": outcome.total,
            "at": timezone.now().isoformat(),
        },
        flush_soon=_flush_soon,
    )


def search_log_open(*, log_id: str, user: User, article: Article, rank: int | None) -> None:
    """Remember the first result `user` opened from their search `log_id` (an article)."""
    search_log_open_document(log_id=log_id, user=user, label="kb.article", pk=article.pk, rank=rank)


def search_log_open_document(
    *, log_id: str, user: User, label: str, pk: int, rank: int | None
) -> None:
    """Remember the first result `user` opened from their search `log_id` (its key, or the
    id of an older row), a document of any indexed model (`label` "questions.question"): the
    insights count it as opened. Written by the next flush, after the search itself."""
    LOGS.append(
        {
            "kind": "open",
            "log": str(log_id),
            "user": user.pk,
            "document": f"{label}:{pk}",
            "article": pk if label == "kb.article" else None,
            "rank": rank,
            "at": timezone.now().isoformat(),
        },
        flush_soon=_flush_soon,
    )


def search_logs_write(records: list[dict]) -> None:
    """Write a batch of buffered searches and opens, in order, idempotently (a batch may be
    written twice, or half and then whole): a search whose key is stored already is skipped,
    and only the first open of a search counts. People, teams and articles deleted since are
    left out as their foreign keys would be."""
    searches = [r for r in records if r["kind"] == "search"]
    if searches:
        try:
            _insert_searches(searches)
        except IntegrityError:  # a searcher or team deleted since: checked only then
            users = _existing(User, {r["user"] for r in searches})
            teams = _existing(Team, {r["team"] for r in searches})
            _insert_searches(searches, users=users, teams=teams)
    opens = [r for r in records if r["kind"] == "open"]
    articles = _existing(Article, {r["article"] for r in opens})
    for r in opens:
        ref = r["log"]
        search = Q(pk=int(ref)) if ref.isdigit() else Q(key=ref)
        # A conditional update: only the first open of a search counts, however often it races.
        SearchLog.objects.filter(search, user_id=r["user"], opened_at__isnull=True).update(
            opened_document=r["document"], opened_rank=r["rank"],
            opened_at=parse_datetime(r["at"]), opened_article_id=_kept(r["article"], articles),
        )  # fmt: skip


def _insert_searches(records: list[dict], users: set | None = None, teams: set | None = None):
    # One statement, so it needs no transaction of its own: it is written whole or not at all.
    SearchLog.objects.bulk_create(
        [
            SearchLog(
                key=r["key"], user_id=_kept(r["user"], users), team_id=_kept(r["team"], teams),
                query=r["query"], normalized=r["normalized"], filters=r["filters"],
                result_count=r["result_count"], created_at=parse_datetime(r["at"]),
            )
            for r in records
        ],
        ignore_conflicts=True,
    )  # fmt: skip


def _existing(model, pks: set) -> set:
    pks.discard(None)
    return set(model.objects.filter(pk__in=pks).values_list("pk", flat=True)) if pks else set()


def _kept(pk, existing: set | None):
    return pk if existing is None or pk in existing else None


def search_logs_flush() -> int:
    """Write every buffered search and open; returns how many records were written."""
    return LOGS.flush(search_logs_write)


# --- Synonyms -------------------------------------------------------------------------------


def _require_kb_editor(user: User) -> None:
    if not user.is_kb_editor:
        raise PermissionDenied("Only KB editors manage synonyms and content requests.")


@transaction.atomic
def synonym_save(*, user: User, terms: str, synonym: Synonym | None = None) -> Synonym:
    _require_kb_editor(user)
    synonym = synonym or Synonym(created_by=user)
    synonym.terms, synonym.updated_at = terms, timezone.now()
    synonym.full_clean()
    synonym.save()
    transaction.on_commit(search_query.forget_synonyms)
    return synonym


@transaction.atomic
def synonym_delete(*, user: User, synonym: Synonym) -> None:
    _require_kb_editor(user)
    synonym.delete()
    transaction.on_commit(search_query.forget_synonyms)


# --- Content requests -----------------------------------------------------------------------


@transaction.atomic
def content_request_create(
    *, user: User, query: str, title: str, owner: User, note: str = ""
) -> ContentRequest:
    """Turn a failed search into work for `owner`, who is told at once."""
    _require_kb_editor(user)
    content_request = ContentRequest(
        query=normalize_query(query), title=title.strip(), note=note.strip(), owner=owner,
        created_by=user,
    )  # fmt: skip
    content_request.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            content_request.save()
    except IntegrityError:
        raise ValidationError(
            {"query": "There is already an open request for this search."}
        ) from None
    if owner.pk != user.pk:
        # The whole title (200 characters at most), a long name and search shortened: the
        # text must fit Notification.message (500).
        name, query = Truncator(user.name).chars(100), Truncator(content_request.query).chars(100)
        notify(
            recipient=owner,
            kind="search.request",
            message=f"{name} asks you to write: “{content_request.title}” "
            f"(people searched for “{query}” and found nothing useful).",
            url=content_request.get_absolute_url(),
        )
    return content_request


def _request_title(query: str) -> str:
    """A request's title from the search it comes from: as typed, one line, capitalised."""
    title = " ".join(query.split())[: ContentRequest._meta.get_field("title").max_length]
    return title[:1].upper() + title[1:]


@transaction.atomic
@transaction.atomic
def content_request_ask(
    *, user: User, query: str, details: str = ""
) -> tuple[ContentRequest, bool]:
    """Anyone whose search found nothing asks for an article on it. The first ask makes an
    open request without an owner (the editors' triage list); a later ask for the same
    search while it is open adds the asker to it ("+1"), and asking again changes nothing.
    Returns the request and whether this ask was new.

    Two people asking at once stay one request: the open-request constraint on the search
    refuses the second insert, which then joins the first (on PostgreSQL the second insert
    waits for the first transaction and sees its row once it commits)."""
    normalized = normalize_query(query)
    if not normalized:
        raise ValidationError({"query": "Search for something first, then ask for it."})
    open_requests = ContentRequest.objects.filter(status=ContentRequest.Status.OPEN)
    content_request = open_requests.filter(query=normalized).first()
    if content_request is None:
        content_request = ContentRequest(
            query=normalized, title=_request_title(query), created_by=user, owner=None
        )
        content_request.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                content_request.save()
        except IntegrityError:
            content_request = open_requests.filter(query=normalized).first()
            if content_request is None:  # closed in between: nothing to join, try again
                raise ValidationError("Someone changed this request just now. Ask again.") from None
    ask = ContentRequestAsk(request=content_request, user=user, details=details.strip())
    ask.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            ask.save()
    except IntegrityError:
        return content_request, False  # asked before: one ask per person
    return content_request, True


@transaction.atomic
def content_request_assign(*, user: User, content_request: ContentRequest, owner: User) -> None:
    """An editor gives an open request to `owner`, who is told once per assignment."""
    _require_kb_editor(user)
    # Read again under a lock: a decline or another assignment may have just happened.
    content_request = ContentRequest.objects.select_for_update().get(pk=content_request.pk)
    if content_request.status != ContentRequest.Status.OPEN:
        raise ValidationError("This request is already closed.")
    if not owner.is_active:
        raise ValidationError({"owner": "Choose someone who can sign in."})
    if content_request.owner_id == owner.pk:
        return
    content_request.owner = owner
    content_request.save(update_fields=["owner"])
    if owner.pk != user.pk:
        name = Truncator(user.name).chars(100)
        notify(
            recipient=owner,
            kind="search.request",
            message=f"{name} asks you to write: “{content_request.title}” "
            f"(colleagues asked for it after a search that found nothing).",
            url=content_request.get_absolute_url(),
            # Once per request and owner: two editors assigning at once tell them once.
            dedupe_key=f"search.request.assigned:{content_request.pk}:{owner.pk}",
        )


def _require_request_actor(user: User, content_request: ContentRequest) -> None:
    if not content_request.can_be_handled_by(user):
        raise PermissionDenied("Only the request's owner and KB editors can do that.")


@transaction.atomic
def content_request_link(*, user: User, content_request: ContentRequest, article: Article) -> None:
    """Name the article that answers the request; searchers hear once it is published."""
    _require_request_actor(user, content_request)
    if content_request.status != ContentRequest.Status.OPEN:
        raise ValidationError("This request is already closed.")
    if not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        raise ValidationError({"article": "Choose an article you can open."})
    content_request.article = article
    content_request.save(update_fields=["article"])
    if article.status == Article.Status.PUBLISHED:
        transaction.on_commit(lambda: content_request_fulfil(request_id=content_request.pk))


@transaction.atomic
def content_request_decline(*, user: User, content_request: ContentRequest, note: str) -> None:
    _require_request_actor(user, content_request)
    if content_request.status != ContentRequest.Status.OPEN:
        raise ValidationError("This request is already closed.")
    if not note.strip():
        raise ValidationError({"note": "Say why this will not be written."})
    content_request.status, content_request.note = ContentRequest.Status.DECLINED, note.strip()
    content_request.full_clean()
    content_request.save(update_fields=["status", "note"])
    title, why = Truncator(content_request.title).chars(150), Truncator(note.strip()).chars(250)
    for asker in User.objects.active().filter(content_request_asks__request=content_request):
        notify(
            recipient=asker,
            kind="search.declined",
            message=f"The article you asked for, “{title}”, will not be written: {why}",
            url=content_request.get_absolute_url(),
            dedupe_key=f"search.declined:{content_request.pk}:{asker.pk}",
        )


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
    asker_ids = set(request.asks.values_list("user", flat=True))
    told = 0
    for person in User.objects.active().filter(Q(pk__in=searcher_ids) | Q(pk__in=asker_ids)):
        if not Article.objects.published().visible_to(person).filter(pk=article.pk).exists():
            continue
        did = "asked for an article on" if person.pk in asker_ids else "searched for"
        # One key per request and person: someone who searched and asked hears once.
        sent = notify(
            recipient=person,
            kind="search.answered",
            message=f"You {did} “{request.query}”. This now answers it: “{article.title}”.",
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
