from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kb.models import Article
from people.models import User
from people.web import act, kb_editor_required
from search import services
from search.facets import facet_links
from search.forms import (
    ContentRequestAskForm,
    ContentRequestAssignForm,
    ContentRequestDeclineForm,
    ContentRequestForm,
    ContentRequestLinkForm,
    SearchForm,
    SynonymForm,
)
from search.models import (
    QUERY_MAX_LENGTH,
    ContentRequest,
    ContentRequestAsk,
    SearchLog,
    Synonym,
    normalize_query,
)
from search.selectors import document_search
from searchkit import query as engine
from searchkit.indexes import index_for, type_labels

SUGGESTIONS = 8
INSIGHT_PERIODS = (7, 30, 90)
INSIGHT_ROWS = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # invalid values are dropped below, with their message shown
    params = form.params(request.GET.get("page"))
    log = _log_key(request.GET.get("log", ""))
    outcome = document_search(user=request.user, params=params)
    # The first page of a new search is logged for the insights; later pages and re-sorts
    # carry that search's `log` key, so opened results are credited to it and nothing counts
    # twice. The key is made here: the row itself is written behind the page.
    if log is None and params.page == 1 and params.q:
        log = str(uuid.uuid4())
        services.search_log_record(user=request.user, outcome=outcome, key=log)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "outcome": outcome,
            "log": log,
            # Result links record the open on this search's log: reversed once, not per row
            # ("open/<log>/<pk>/" and "open/<log>/<label>/<pk>/" share it).
            "open_prefix": reverse("search:open", args=[log, 1]).removesuffix("1/") if log else "",
            "params": params,
            "facets": facet_links(request.GET, params, outcome.facets),
            "input_errors": form.error_messages_text,
            **_ask_context(request, params.q if outcome.total == 0 else ""),
        },
    )


def _log_key(value: str) -> str | None:
    try:
        return str(uuid.UUID(value)) if len(value) == 36 else None
    except ValueError:
        return None


def _ask_context(request: HttpRequest, query: str) -> dict:
    """For a search that found nothing: the open request for it (if any, and whether this
    reader asked already), else the form to ask for one."""
    if not query:
        return {}
    asked = ContentRequestAsk.objects.filter(request=OuterRef("pk"), user=request.user)
    existing = (
        ContentRequest.objects.filter(status="open", query=normalize_query(query))
        .annotate(asked_by_me=Exists(asked))
        .first()
    )
    return {
        "ask_request": existing,
        "ask_form": ContentRequestAskForm(initial={"query": query}, auto_id="ask-%s"),
    }


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Titles for the header box as someone types: a prefix of each word, readable only."""
    q = " ".join(request.GET.get("q", "").split())[:100]
    found = []
    if len(q) >= 2:
        words = [w for w in q.replace('"', " ").split() if w][:6]
        hits = engine.autocomplete(user=request.user, words=words, limit=SUGGESTIONS)
        labels = type_labels()
        found = [
            (row, labels.get(str(hit.fields.get("type") or ""), ""))
            for hit, row in engine.readable_objects(hits, request.user)
        ]
    return render(request, "search/includes/suggestions.html", {"q": q, "found": found})


@require_GET
def open_result(request: HttpRequest, log_id: str, article_id: int) -> HttpResponse:
    """A result link: remember which result this search led to, then go to the article."""
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=article_id)
    services.search_log_open(log_id=log_id, user=request.user, article=article, rank=_rank(request))
    return redirect(article)


@require_GET
def open_document(request: HttpRequest, log_id: str, label: str, pk: int) -> HttpResponse:
    """A result link of any indexed model (`label`: "questions.question"): the row must be
    one the reader may open (the index's `readable`, 404 otherwise, unknown labels too);
    remember it as the result this search led to, then go to it."""
    try:
        index = index_for(label)
    except LookupError:
        raise Http404("No such kind of result.") from None
    obj = get_object_or_404(index.readable(request.user), pk=pk)
    services.search_log_open_document(
        log_id=log_id, user=request.user, label=label, pk=obj.pk, rank=_rank(request)
    )
    return redirect(obj)


def _rank(request: HttpRequest) -> int | None:
    rank = request.GET.get("rank", "")
    return int(rank) if rank.isascii() and rank.isdigit() and len(rank) < 6 else None


@require_GET
@kb_editor_required
def insights(request: HttpRequest) -> HttpResponse:
    days = next((p for p in INSIGHT_PERIODS if str(p) == request.GET.get("days")), 30)
    now = timezone.now()
    logs = SearchLog.objects.all()
    sections = [
        (key, title, list(rows(now=now, days=days)[:INSIGHT_ROWS]))
        for key, title, rows in (
            ("top", "Top searches", logs.top),
            ("zero", "Searches that found nothing", logs.zero_results),
            ("unopened", "Searches whose results nobody opened", logs.unopened),
        )
    ]
    open_requests = dict(ContentRequest.objects.filter(status="open").values_list("query", "pk"))
    for _, _, rows in sections:
        for row in rows:
            row["change"] = row["searches"] - row["previous"]
            row["change_abs"] = abs(row["change"])
            row["request_pk"] = open_requests.get(row["normalized"])
    return render(
        request,
        "search/insights.html",
        {
            "sections": sections,
            "days": days,
            "periods": INSIGHT_PERIODS,
        },
    )


@kb_editor_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_save(user=request.user, terms=form.cleaned_data["terms"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Synonyms saved. Searches use them at once.")
            return redirect("search:synonym-list")
    status = 400 if form.errors else 200
    return render(
        request,
        "search/synonym_list.html",
        {"form": form, "synonyms": Synonym.objects.all()},
        status=status,
    )


@require_POST
@kb_editor_required
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.synonym_delete(user=request.user, synonym=get_object_or_404(Synonym, pk=pk))
    messages.success(request, "Synonym group removed.")
    return redirect("search:synonym-list")


def request_list(request: HttpRequest, status: int = 200) -> HttpResponse:
    """Editors: every request, the unassigned ones (asked for by anyone) first, to triage;
    `?show=unassigned` lists only those. Everyone else: the requests they own or asked for."""
    user = request.user
    requests = list(
        ContentRequest.objects.visible_to(user)
        .select_related("owner", "created_by", "article__latest_revision")
        .prefetch_related(Prefetch("asks", ContentRequestAsk.objects.select_related("user")))
        .order_by("status", "-created_at")
    )
    for content_request in requests:
        content_request.can_handle = content_request.can_be_handled_by(user)
        content_request.asked_by_me = any(a.user_id == user.pk for a in content_request.asks.all())
    unassigned = [r for r in requests if r.status == "open" and r.owner_id is None]
    show_unassigned = user.is_kb_editor and request.GET.get("show") == "unassigned"
    triage = user.is_kb_editor and bool(unassigned)
    others = [r for r in requests if not (triage and r in unassigned)]
    return render(
        request,
        "search/request_list.html",
        {
            "unassigned": unassigned if triage else [],
            "requests": [] if show_unassigned else others,
            "show_unassigned": show_unassigned,
            "can_create": user.is_kb_editor,
            # Who an editor may assign to: offered as suggestions, checked by the form.
            "owner_choices": (
                User.objects.active().order_by("username").values_list("username", "display_name")
                if triage
                else []
            ),
            # The hand-written inputs take their limits from the forms that check them.
            "limits": {
                "article": ContentRequestLinkForm.base_fields["article"].max_length,
                "note": ContentRequestDeclineForm.base_fields["note"].max_length,
                "owner": ContentRequestAssignForm.base_fields["owner"].max_length,
            },
        },
        status=status,
    )


@require_POST
def request_ask(request: HttpRequest) -> HttpResponse:
    """Anyone's "ask for an article on this" from a search that found nothing. A refusal is
    a message on the request list (HTTP 400) with nothing stored."""
    form = ContentRequestAskForm(request.POST)
    try:
        if "query" in form.errors:
            raise ValidationError(
                f"Ask from a search: its words are missing or longer than {QUERY_MAX_LENGTH} "
                "characters."
            )
        if not form.is_valid():
            raise ValidationError([f"Details: {e}" for e in form.errors.get("details", [])])
        content_request, new = services.content_request_ask(
            user=request.user,
            query=form.cleaned_data["query"],
            details=form.cleaned_data["details"],
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return request_list(request, status=400)
    if new:
        messages.success(
            request,
            "Thanks: your request is on the editors' list. You will be told when an article "
            "answers it.",
        )
    else:
        messages.info(request, "You asked for this already. You will be told when it is answered.")
    return redirect(content_request)


@require_POST
@kb_editor_required
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request, pk, ContentRequestAssignForm(request.POST),
        lambda content_request, data: services.content_request_assign(
            user=request.user, content_request=content_request, owner=data["owner"]
        ),
    )  # fmt: skip


@kb_editor_required
def request_create(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("query", "")[:200]
    form = ContentRequestForm(
        request.POST or None, initial={"query": query, "title": query.capitalize()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.content_request_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Content request created; its owner has been told.")
            return redirect("search:request-list")
    return render(
        request, "search/request_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _request_action(request: HttpRequest, pk: int, form, action) -> HttpResponse:
    """A content-request action: form errors and refusals come back as messages on the list
    (HTTP 400) with nothing changed."""
    content_request = get_object_or_404(ContentRequest.objects.visible_to(request.user), pk=pk)

    def run():
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        action(content_request, form.cleaned_data)

    return act(
        request,
        run,
        success="Content request updated.",
        redirect_to="search:request-list",
        on_refusal=lambda: request_list(request, status=400),
    )


@require_POST
def request_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request, pk, ContentRequestLinkForm(request.POST, user=request.user),
        lambda content_request, data: services.content_request_link(
            user=request.user, content_request=content_request, article=data["article"]
        ),
    )  # fmt: skip


@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request, pk, ContentRequestDeclineForm(request.POST),
        lambda content_request, data: services.content_request_decline(
            user=request.user, content_request=content_request, note=data["note"]
        ),
    )  # fmt: skip
