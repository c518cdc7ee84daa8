"""Reading the knowledge base: lists, the article page, tags, verification due, files."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from kb import services
from kb.forms import ArticleFilterForm, AttachmentForm, CommentForm, FeedbackForm, SendBackForm
from kb.hooks import article_panels
from kb.mentions import comments_with_mentions
from kb.models import Article, ArticleAttachment, ArticleFeedback, Category
from kb.selectors import article_experts, related_articles
from kb.views.common import (
    ARTICLES_PER_PAGE,
    ArticlePermissions,
    archived_article_response,
    get_article_for_user,
)
from kb.views.following import FollowButton
from kb.views.rows import article_rows_html
from kb.views.suggestions import suggestion_context
from people.tagging import attach_tags


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
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": article_rows_html(page.object_list),
        "category": category,
        "categories": Category.objects.top_level().with_article_counts(request.user),
        "subcategories": category.children.with_article_counts(request.user) if category else [],
        "form": form,
        "tag": filters["tag"],
        "recently_viewed": list(
            Article.objects.published()
            .visible_to(request.user)
            .recently_viewed_by(request.user)
            .select_related("published_revision")[:5]
        ),
        "follow": FollowButton.of(request.user, category) if category else None,
    }
    return render(request, "kb/article_list.html", context)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article, perms = get_article_for_user(request, slug)
    except Http404:
        return archived_article_response(request, slug)  # 410 for its former readers, or 404
    if article.status == Article.Status.PUBLISHED:
        services.article_view_record(article=article, user=request.user)
    return article_page(request, article, perms)


def article_page(
    request: HttpRequest,
    article: Article,
    perms: ArticlePermissions,
    *,
    status: int = 200,
    **forms,
) -> HttpResponse:
    """The article page. Forms posted from it (feedback, comment, attachment) come back here
    with their errors beside the field, in place of the page's empty forms."""
    # Readers see the published text; the people working on it see their pending revision
    # on request (`?view=pending`), and a draft's latest text always.
    revision = article.published_revision or article.latest_revision
    pending = perms.edit and article.has_pending_edit and article.published_revision_id
    if pending and request.GET.get("view") == "pending":
        revision = article.latest_revision
    elif revision != article.published_revision and not perms.edit:
        revision = None
    my_vote = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    context = {
        "article": article,
        "revision": revision,
        "showing_pending": pending and revision == article.latest_revision,
        # Names and slugs only, in one query, without taggit's manager.
        "tags": attach_tags([article])[0].tags_list,
        "related": related_articles(article=article, user=request.user),
        "experts": article_experts(article=article, user=request.user),
        "can": perms,
        "send_back_form": SendBackForm(),
        "my_vote": my_vote,
        "feedback_form": FeedbackForm(
            initial={"helpful": "yes" if my_vote.helpful else "no", "reason": my_vote.reason}
            if my_vote
            else None
        ),
        "comments": comments_with_mentions(article),
        "comment_form": CommentForm(),
        "attachments": list(article.attachments.all()),
        "attachment_form": AttachmentForm() if perms.edit else None,
        "follow": FollowButton.of(request.user, article),
        # What the apps above kb know about this article (their `article_panels.py`).
        "panels": [
            render_to_string(panel.template, panel.context, request=request)
            for panel in article_panels(viewer=request.user, article=article)
        ],
        **suggestion_context(article, request.user, perms),
        **forms,
    }
    if perms.publish and article.submitted_at:
        # Why this editor may not approve (their own change), in place of the button.
        context["approval_refusal"] = services.approval_refusal(article, request.user)
    if perms.edit and article.status == Article.Status.PUBLISHED:
        context["helpfulness"] = article.feedback.aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
        context["negative_feedback"] = article.feedback.filter(helpful=False).select_related(
            "user"
        )[:10]
    return render(request, "kb/article_detail.html", context, status=status)


def my_articles(request: HttpRequest) -> HttpResponse:
    """An author's and owner's own articles, drafts first."""
    articles = (
        Article.objects.filter(Q(author=request.user) | Q(owner=request.user))
        .with_list_data()
        .order_by("status", "-updated_at")
    )
    return render(request, "kb/my_articles.html", {"rows": article_rows_html(articles)})


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
    context = {"mine": article_rows_html(mine), "team": article_rows_html(team)}
    return render(request, "kb/verification_due.html", context)


def attachment(request: HttpRequest, slug: str, pk: int, name: str) -> FileResponse:
    article, _ = get_article_for_user(request, slug)
    return _serve(get_object_or_404(article.attachments, pk=pk))


def file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """An attachment at the address the editor inserts, which does not name the article (it
    may not exist yet): for people who may open its article, or, until a new article is
    saved and claims it, for its uploader alone."""
    item = get_object_or_404(ArticleAttachment, pk=pk)
    if item.article_id is None:
        allowed = item.uploaded_by_id == request.user.pk
    else:
        allowed = Article.objects.visible_to(request.user).filter(pk=item.article_id).exists()
    if not allowed:
        raise Http404("No such file.")
    return _serve(item)


def _serve(item: ArticleAttachment) -> FileResponse:
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.name,
    )
