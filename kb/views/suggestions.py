"""Suggested edits: readers propose a change; the owner or an editor accepts or declines it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import SuggestionDeclineForm, SuggestionForm
from kb.models import Article, ArticleSuggestion
from kb.views.common import ArticlePermissions, diff_table, get_article_for_user
from people.web import act

OPEN_SUGGESTIONS_SHOWN = 5


def suggestion_context(article: Article, user, perms: ArticlePermissions) -> dict:
    """What the article page shows about suggestions: the reader's own open one and whether
    they may suggest; for the owner and editors, the ones waiting for them."""
    if article.status != Article.Status.PUBLISHED:
        return {}
    if perms.curate:
        waiting = article.suggestions.filter(status=ArticleSuggestion.Status.PENDING)
        return {"waiting_suggestions": waiting.select_related("author")[:OPEN_SUGGESTIONS_SHOWN]}
    if perms.edit:
        return {}
    mine = article.suggestions.filter(author=user, status=ArticleSuggestion.Status.PENDING)
    return {"can_suggest": True, "my_suggestion": mine.first()}


def _get_suggestion(request: HttpRequest, slug: str, pk: int):
    """The suggestion, for its author and for those who decide on it; 404 for anyone else."""
    article, perms = get_article_for_user(request, slug)
    suggestion = get_object_or_404(
        ArticleSuggestion.objects.select_related("author", "decided_by", "base_revision"),
        pk=pk, article=article,
    )  # fmt: skip
    if not (perms.curate or suggestion.author_id == request.user.pk):
        raise Http404("No such suggestion.")
    suggestion.article = article
    return article, perms, suggestion


def suggestion_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor for a reader's suggestion, starting from the published text (or from their
    own open suggestion, which saving replaces)."""
    article, perms = get_article_for_user(request, slug, published=True)
    if perms.edit:
        return redirect("kb:article-edit", article.slug)
    mine = article.suggestions.filter(
        author=request.user, status=ArticleSuggestion.Status.PENDING
    ).first()
    start = mine or article.published_revision
    initial = {"title": start.title, "summary": start.summary, "body": start.body}
    form = SuggestionForm(
        request.POST or None, initial={**initial, "note": getattr(mine, "note", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_create(
                article=article, author=request.user, content=form.content(),
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thanks! Your suggestion goes to the article's owner.")
            return redirect(suggestion)
    context = {"article": article, "form": form, "mine": mine}
    return render(request, "kb/suggestion_form.html", context, status=400 if form.errors else 200)


def suggestion_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _suggestion_page(request, *_get_suggestion(request, slug, pk))


def _suggestion_page(
    request, article, perms, suggestion, *, decline_form=None, status: int = 200
) -> HttpResponse:
    base = suggestion.base_revision or article.published_revision
    context = {
        "article": article,
        "suggestion": suggestion,
        "can": perms,
        "diff": diff_table(base, suggestion, f"Revision {base.number}", "Suggested text"),
        "stale": article.latest_revision_id != suggestion.base_revision_id,
        "decline_form": decline_form or SuggestionDeclineForm(),
    }
    return render(request, "kb/suggestion_detail.html", context, status=status)


@require_POST
def suggestion_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, perms, suggestion = _get_suggestion(request, slug, pk)
    if not perms.curate:
        raise PermissionDenied("Only the owner and KB editors decide on suggested edits.")
    success = "Accepted and published." if perms.publish else "Accepted: it now waits for review."
    return act(
        request,
        lambda: services.suggestion_accept(suggestion=suggestion, user=request.user),
        success=success,
        redirect_to=article,
        on_refusal=lambda: redirect(suggestion),
    )


@require_POST
def suggestion_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, perms, suggestion = _get_suggestion(request, slug, pk)
    if not perms.curate:
        raise PermissionDenied("Only the owner and KB editors decide on suggested edits.")
    form = SuggestionDeclineForm(request.POST)
    if not form.is_valid():
        return _suggestion_page(request, article, perms, suggestion, decline_form=form, status=400)
    note = form.cleaned_data["note"]
    return act(
        request,
        lambda: services.suggestion_decline(suggestion=suggestion, user=request.user, note=note),
        success="Declined. The suggester has been told why.",
        redirect_to=article,
        on_refusal=lambda: redirect(suggestion),
    )
