"""The review workflow: submit, approve, send back, archive and restore, the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kb import services
from kb.forms import ArchiveForm, SendBackForm
from kb.models import Article
from kb.views.common import get_article_for_user
from people.web import act, form_refusal, kb_editor_required


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


@require_http_methods(["GET", "POST"])
def article_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Archive an article, with an optional replacement; for an archived one, change its
    replacement."""
    article, _ = get_article_for_user(request, slug, need="publish")
    archived = article.status == Article.Status.ARCHIVED
    form = ArchiveForm(request.POST or None, article=article)
    if request.method == "POST" and form.is_valid():
        replaced_by = form.cleaned_data["replaced_by"]
        try:
            if archived:
                services.article_set_replacement(
                    article=article, editor=request.user, replaced_by=replaced_by
                )
            else:
                services.article_archive(
                    article=article, editor=request.user, replaced_by=replaced_by
                )
        except ValidationError as refusal:
            form_refusal(form, refusal)
        else:
            done = "Replacement saved." if archived else "Archived. Readers no longer see it."
            messages.success(request, done)
            return redirect(article)
    status = 400 if form.is_bound else 200
    return render(
        request, "kb/article_archive.html", {"article": article, "form": form}, status=status
    )


@require_POST
def article_unarchive(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="publish")
    return act(
        request,
        lambda: services.article_unarchive(article=article, editor=request.user),
        success="Restored. It is back where it was before archiving.",
        redirect_to=article,
    )


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
