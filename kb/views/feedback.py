"""Readers' side of an article: helpful votes, comments, verification."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import CommentForm, FeedbackForm
from kb.mentions import comments_with_mentions, mentions_reaching
from kb.models import ArticleComment
from kb.views.common import get_article_for_user
from kb.views.reading import article_page
from people.web import act


@require_POST
def feedback_give(request: HttpRequest, slug: str) -> HttpResponse:
    # Votes and comments are for published articles the user may read.
    article, perms = get_article_for_user(request, slug, published=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(article=article, user=request.user, **form.cleaned_data)
        messages.success(request, "Thanks, your feedback goes to the article's owner.")
        return redirect(f"{article.get_absolute_url()}#feedback-h")
    return article_page(request, article, perms, feedback_form=form, status=400)


@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Post a comment. From the page's htmx form the comments section comes back in place,
    with the new comment, a confirmation, or the form's error beside the field."""
    article, perms = get_article_for_user(request, slug, published=True)
    form = CommentForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return _comments_section(request, article, perms, comment_form=form, status=400)
        return article_page(request, article, perms, comment_form=form, status=400)
    comment = services.comment_add(
        article=article, author=request.user, body=form.cleaned_data["body"]
    )
    _, not_reached = mentions_reaching(article, form.mentioned.values())
    notice = "Comment posted."
    if form.mentioned:
        reached = [p for p in form.mentioned.values() if p not in not_reached]
        if reached:
            notice += " Notified: " + ", ".join(f"@{p.username}" for p in reached) + "."
    warning = (
        "Not notified, as they cannot open this article: "
        + ", ".join(f"@{p.username}" for p in not_reached)
        + "."
        if not_reached
        else ""
    )
    if request.htmx:
        return _comments_section(
            request, article, perms, posted_comment=comment, comment_notice=notice,
            comment_warning=warning,
        )  # fmt: skip
    messages.success(request, notice)
    if warning:
        messages.warning(request, warning)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


def _comments_section(request, article, perms, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "article": article,
        "can": perms,
        "comments": comments_with_mentions(article),
        "comment_form": CommentForm(),
        **extra,
    }
    return render(request, "kb/includes/comments.html", context, status=status)


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
