"""Readers' side of an article: helpful votes, comments, verification."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import CommentForm, FeedbackForm
from kb.models import ArticleComment
from kb.views.common import get_article_for_user
from people.web import act


@require_POST
def feedback_give(request: HttpRequest, slug: str) -> HttpResponse:
    # Votes and comments are for published articles the user may read.
    article, _ = get_article_for_user(request, slug, published=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(article=article, user=request.user, **form.cleaned_data)
        messages.success(request, "Thanks, your feedback goes to the article's owner.")
        return redirect(article)
    return render(request, "kb/feedback_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    # Votes and comments are for published articles the user may read.
    article, _ = get_article_for_user(request, slug, published=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.comment_add(
            article=article, author=request.user, body=form.cleaned_data["body"]
        )
        return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "kb/comment_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="curate")
    comment = get_object_or_404(
        ArticleComment.objects.select_related("article"), pk=pk, article=article
    )
    services.comment_resolve(comment=comment, user=request.user)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def article_verify(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug)
    return act(
        request,
        lambda: services.article_verify(article=article, user=request.user),
        success="Verified. Thank you for keeping it current.",
        redirect_to=article,
    )
