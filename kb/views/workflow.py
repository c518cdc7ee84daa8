"""The review workflow: submit, approve, send back, archive, the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import SendBackForm
from kb.models import Article
from kb.views.common import get_article_for_user
from people.web import act, kb_editor_required


@require_POST
def article_submit(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
    return act(
        request,
        lambda: services.article_submit(article=article, user=request.user),
        success="Submitted for review. Editors have been told.",
        redirect_to=article,
    )


@require_POST
def article_approve(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="publish")
    return act(
        request,
        lambda: services.article_approve(article=article, editor=request.user),
        success="Published.",
        redirect_to=article,
    )


@require_POST
def article_send_back(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="publish")
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what needs to change before sending it back.")
        return redirect(article)
    comment = form.cleaned_data["comment"]
    return act(
        request,
        lambda: services.article_send_back(article=article, editor=request.user, comment=comment),
        success="Sent back to the author.",
        redirect_to=article,
    )


@require_POST
def article_archive(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="publish")
    services.article_archive(article=article, editor=request.user)
    messages.success(request, "Archived. Readers no longer see it.")
    return redirect(article)


@kb_editor_required
def review_queue(request: HttpRequest) -> HttpResponse:
    articles = (
        Article.objects.awaiting_review()
        .select_related(
            "category__parent", "owner", "latest_revision__editor", "published_revision"
        )
        .order_by("submitted_at")
    )
    return render(request, "kb/review_queue.html", {"articles": articles})
