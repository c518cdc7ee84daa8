"""Reading the knowledge base: lists, the article page, tags, verification due, files."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kb import services
from kb.forms import ArticleFilterForm, AttachmentForm, CommentForm, FeedbackForm, SendBackForm
from kb.models import Article, ArticleFeedback, Category
from kb.selectors import related_articles
from kb.views.common import ARTICLES_PER_PAGE, get_article_for_user


def article_list(request: HttpRequest, category_slug: str | None = None) -> HttpResponse:
    articles = Article.objects.published().visible_to(request.user).with_list_data()
    category = None
    if category_slug:
        category = get_object_or_404(Category.objects.select_related("parent"), slug=category_slug)
        articles = articles.in_category(category)
    form = ArticleFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else ArticleFilterForm.DEFAULTS
    if filters["tag"]:
        articles = articles.filter(tags__slug=filters["tag"])
    if filters["type"]:
        articles = articles.filter(type=filters["type"])
    articles = articles.sorted_by(filters["sort"])
    context = {
        "page": Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page")),
        "category": category,
        "categories": Category.objects.top_level().with_article_counts(request.user),
        "subcategories": category.children.with_article_counts(request.user) if category else [],
        "form": form,
        "tag": filters["tag"],
        "recently_viewed": (
            Article.objects.published()
            .visible_to(request.user)
            .recently_viewed_by(request.user)
            .select_related("published_revision")[:5]
        ),
    }
    return render(request, "kb/article_list.html", context)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article, perms = get_article_for_user(request, slug)
    # Readers see the published text; the people working on a draft see their latest.
    revision = article.published_revision or article.latest_revision
    if revision != article.published_revision and not perms.edit:
        revision = None
    related = related_articles(article=article, user=request.user)
    my_vote = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    if article.status == Article.Status.PUBLISHED:
        services.article_view_record(article=article, user=request.user)
    context = {
        "article": article,
        "revision": revision,
        "tags": article.tags.all(),
        "related": related,
        "can": perms,
        "send_back_form": SendBackForm(),
        "my_vote": my_vote,
        "feedback_form": FeedbackForm(
            initial={"helpful": "yes" if my_vote.helpful else "no", "reason": my_vote.reason}
            if my_vote
            else None
        ),
        "comments": article.comments.select_related("author", "resolved_by"),
        "comment_form": CommentForm(),
        "attachments": article.attachments.all(),
        "attachment_form": AttachmentForm() if perms.edit else None,
    }
    if perms.edit:
        context["helpfulness"] = article.feedback.aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
        context["negative_feedback"] = article.feedback.filter(helpful=False).select_related(
            "user"
        )[:10]
    return render(request, "kb/article_detail.html", context)


def my_articles(request: HttpRequest) -> HttpResponse:
    """An author's and owner's own articles, drafts first."""
    articles = (
        Article.objects.filter(Q(author=request.user) | Q(owner=request.user))
        .with_list_data()
        .order_by("status", "-updated_at")
    )
    return render(request, "kb/my_articles.html", {"articles": articles})


def tag_list(request: HttpRequest) -> HttpResponse:
    tags = Article.objects.published().visible_to(request.user).tag_counts()
    return render(request, "kb/tag_list.html", {"tags": tags})


def verification_due(request: HttpRequest) -> HttpResponse:
    """Articles past their verification interval: mine, and my team's."""
    due = Article.objects.verification_due(timezone.now()).visible_to(request.user).with_list_data()
    mine = due.filter(owner=request.user)
    team = (
        due.filter(owner__team_id=request.user.team_id).exclude(owner=request.user)
        if request.user.team_id
        else Article.objects.none()
    )
    return render(request, "kb/verification_due.html", {"mine": mine, "team": team})


def attachment(request: HttpRequest, slug: str, pk: int, name: str) -> FileResponse:
    article, _ = get_article_for_user(request, slug)
    item = get_object_or_404(article.attachments, pk=pk)
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.name,
    )
