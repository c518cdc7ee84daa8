from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from taggit.models import Tag

from kb import services
from kb.forms import (
    BODY_TEMPLATES,
    ArticleForm,
    AttachmentForm,
    CommentForm,
    FeedbackForm,
    SendBackForm,
)
from kb.models import Article, ArticleComment, ArticleFeedback, ArticleRevision, Category
from kb.querysets import is_editor
from kb.search import related_articles

ARTICLES_PER_PAGE = 20
SORTS = {
    "recent": "-updated_at",
    "viewed": "-view_count",
    "helpful": "-helpful_votes",
    "title": "published_revision__title",
}


def _get_article(request: HttpRequest, slug: str) -> Article:
    """Any article the user may open; 404 for the rest, so hidden ones do not leak."""
    articles = Article.objects.visible_to(request.user).select_related(
        "category__parent", "owner", "author", "published_revision", "latest_revision",
        "verified_by",
    )  # fmt: skip
    return get_object_or_404(articles, slug=slug)


def _get_article_for_editor(request: HttpRequest, slug: str) -> Article:
    article = _get_article(request, slug)
    if not services.can_edit(request.user, article):
        raise PermissionDenied("Only the author, the owner and KB editors can do that.")
    return article


def _require_editor(request: HttpRequest) -> None:
    if not is_editor(request.user):
        raise PermissionDenied("Only KB editors can do that.")


def _act(request: HttpRequest, article: Article, action, success: str) -> HttpResponse:
    """Run one workflow service; a refusal (ValidationError) becomes a message, not a 500."""
    try:
        action()
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(article)


def article_list(request: HttpRequest, category_slug: str | None = None) -> HttpResponse:
    articles = Article.objects.readable_by(request.user).with_list_data()
    category = None
    if category_slug:
        category = get_object_or_404(Category.objects.select_related("parent"), slug=category_slug)
        articles = articles.filter(Q(category=category) | Q(category__parent=category))
    tag = request.GET.get("tag", "")[:100]
    if tag:
        articles = articles.filter(tags__slug=tag)
    type_ = request.GET.get("type", "")
    if type_ in Article.Type.values:
        articles = articles.filter(type=type_)
    sort = request.GET.get("sort", "recent")
    if sort == "viewed":
        articles = articles.annotate(view_count=Count("views", distinct=True))
    elif sort == "helpful":
        articles = articles.annotate(
            helpful_votes=Count("feedback", filter=Q(feedback__helpful=True), distinct=True)
        )
    articles = articles.order_by(SORTS.get(sort, SORTS["recent"]), "-pk")
    context = {
        "page": Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page")),
        "category": category,
        "categories": Category.objects.top_level().with_article_counts(request.user),
        "subcategories": category.children.with_article_counts(request.user) if category else [],
        "tag": tag,
        "type": type_,
        "sort": sort,
        "types": Article.Type.choices,
        "recently_viewed": (
            Article.objects.readable_by(request.user)
            .filter(views__user=request.user)
            .annotate(last_viewed=Max("views__viewed_at"))
            .select_related("published_revision")
            .order_by("-last_viewed")[:5]
        ),
    }
    return render(request, "kb/article_list.html", context)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    editable = services.can_edit(request.user, article)
    # Readers see the published text; the people working on a draft see their latest.
    revision = article.published_revision or article.latest_revision
    if revision != article.published_revision and not editable and not is_editor(request.user):
        revision = None
    related = related_articles(article, request.user)
    my_vote = ArticleFeedback.objects.filter(article=article, user=request.user).first()
    if article.status == Article.Status.PUBLISHED:
        services.article_view_record(article=article, user=request.user)
    context = {
        "article": article,
        "revision": revision,
        "tags": article.tags.all(),
        "related": related,
        "can_edit": editable,
        "is_editor": is_editor(request.user),
        "can_verify": article.status == Article.Status.PUBLISHED
        and (is_editor(request.user) or article.owner_id == request.user.pk),
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
        "attachment_form": AttachmentForm() if editable else None,
    }
    if editable or is_editor(request.user):
        context["helpfulness"] = article.feedback.aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
        context["negative_feedback"] = article.feedback.filter(helpful=False).select_related(
            "user"
        )[:10]
    return render(request, "kb/article_detail.html", context)


def article_create(request: HttpRequest) -> HttpResponse:
    type_ = request.GET.get("type", Article.Type.ARTICLE)
    if type_ not in Article.Type.values:
        type_ = Article.Type.ARTICLE
    initial = {"type": type_, "body": BODY_TEMPLATES[type_], "owner": request.user.pk}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        content, meta, note = form.split()
        try:
            article = services.article_create(
                author=request.user, content=content, meta=meta, change_note=note
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved. Submit it for review when it is ready.")
            return redirect(article)
    status = 400 if form.errors else 200
    context = {"form": form, "types": Article.Type.choices, "type": type_}
    return render(request, "kb/article_form.html", context, status=status)


def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(article))
    if request.method == "POST" and form.is_valid():
        content, meta, note = form.split()
        try:
            services.article_update(
                article=article, editor=request.user, content=content, meta=meta, change_note=note
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved as a new revision.")
            return redirect(article)
    status = 400 if form.errors else 200
    return render(
        request, "kb/article_form.html", {"form": form, "article": article}, status=status
    )


@require_POST
def article_submit(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    return _act(
        request,
        article,
        lambda: services.article_submit(article=article, user=request.user),
        "Submitted for review. Editors have been told.",
    )


@require_POST
def article_approve(request: HttpRequest, slug: str) -> HttpResponse:
    _require_editor(request)
    article = _get_article(request, slug)
    return _act(
        request,
        article,
        lambda: services.article_approve(article=article, editor=request.user),
        "Published.",
    )


@require_POST
def article_send_back(request: HttpRequest, slug: str) -> HttpResponse:
    _require_editor(request)
    article = _get_article(request, slug)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what needs to change before sending it back.")
        return redirect(article)
    comment = form.cleaned_data["comment"]
    return _act(
        request,
        article,
        lambda: services.article_send_back(article=article, editor=request.user, comment=comment),
        "Sent back to the author.",
    )


@require_POST
def article_archive(request: HttpRequest, slug: str) -> HttpResponse:
    _require_editor(request)
    article = _get_article(request, slug)
    services.article_archive(article=article, editor=request.user)
    messages.success(request, "Archived. Readers no longer see it.")
    return redirect(article)


def review_queue(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    articles = (
        Article.objects.awaiting_review()
        .select_related(
            "category__parent", "owner", "latest_revision__editor", "published_revision"
        )
        .order_by("submitted_at")
    )
    return render(request, "kb/review_queue.html", {"articles": articles})


def my_articles(request: HttpRequest) -> HttpResponse:
    """An author's and owner's own articles, drafts first."""
    articles = (
        Article.objects.filter(Q(author=request.user) | Q(owner=request.user))
        .with_list_data()
        .order_by("status", "-updated_at")
    )
    return render(request, "kb/my_articles.html", {"articles": articles})


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    revisions = article.revisions.select_related("editor").defer("body", "rendered_html")
    return render(request, "kb/revision_list.html", {"article": article, "revisions": revisions})


def _get_revision(article: Article, number) -> ArticleRevision:
    try:
        return article.revisions.select_related("editor").get(number=int(number))
    except (TypeError, ValueError, ArticleRevision.DoesNotExist) as missing:
        raise Http404("No such revision.") from missing


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    revision = _get_revision(article, number)
    return render(request, "kb/revision_detail.html", {"article": article, "revision": revision})


def revision_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """A side-by-side, line-level diff of any two revisions' title, summary and body."""
    article = _get_article_for_editor(request, slug)
    latest = article.latest_revision.number
    old = _get_revision(article, request.GET.get("from", max(latest - 1, 1)))
    new = _get_revision(article, request.GET.get("to", latest))
    diff = difflib.HtmlDiff(tabsize=4, wrapcolumn=50).make_table(
        f"# {old.title}\n{old.summary}\n\n{old.body}".splitlines(),
        f"# {new.title}\n{new.summary}\n\n{new.body}".splitlines(),
        fromdesc=f"Revision {old.number}",
        todesc=f"Revision {new.number}",
        context=True,
        numlines=3,
    )
    context = {
        "article": article,
        "old": old,
        "new": new,
        "diff": diff,
        "numbers": article.revisions.values_list("number", flat=True),
    }
    return render(request, "kb/revision_compare.html", context)


@require_POST
def revision_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    revision = _get_revision(article, number)
    return _act(
        request,
        article,
        lambda: services.article_restore_revision(
            article=article, revision=revision, editor=request.user
        ),
        f"Revision {number} restored as a new revision.",
    )


def tag_list(request: HttpRequest) -> HttpResponse:
    readable = Article.objects.readable_by(request.user).values("pk")
    tags = (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label="kb",
            taggit_taggeditem_items__object_id__in=readable,
        )
        .annotate(uses=Count("taggit_taggeditem_items"))
        .order_by("-uses", "name")
    )
    return render(request, "kb/tag_list.html", {"tags": tags})


# --- Feedback, comments, verification, attachments --------------------------------------------


def _get_readable_article(request: HttpRequest, slug: str) -> Article:
    """Votes, comments and views are for published articles the user may read."""
    return get_object_or_404(
        Article.objects.readable_by(request.user).select_related("owner", "published_revision"),
        slug=slug,
    )


@require_POST
def feedback_give(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_readable_article(request, slug)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(article=article, user=request.user, **form.cleaned_data)
        messages.success(request, "Thanks, your feedback goes to the article's owner.")
        return redirect(article)
    return render(request, "kb/feedback_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_readable_article(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.comment_add(
            article=article, author=request.user, body=form.cleaned_data["body"]
        )
        return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "kb/comment_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = _get_article(request, slug)
    comment = get_object_or_404(
        ArticleComment.objects.select_related("article"), pk=pk, article=article
    )
    services.comment_resolve(comment=comment, user=request.user)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def article_verify(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    return _act(
        request,
        article,
        lambda: services.article_verify(article=article, user=request.user),
        "Verified. Thank you for keeping it current.",
    )


def verification_due(request: HttpRequest) -> HttpResponse:
    """Articles past their verification interval: mine, and my team's."""
    due = Article.objects.verification_due(timezone.now()).with_list_data()
    mine = due.filter(owner=request.user)
    team = (
        due.filter(owner__team_id=request.user.team_id).exclude(owner=request.user)
        if request.user.team_id
        else Article.objects.none()
    )
    return render(request, "kb/verification_due.html", {"mine": mine, "team": team})


@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article_for_editor(request, slug)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                article=article, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, f"Attached {attachment.name}. Link: {attachment.get_absolute_url()}"
            )
            return redirect(article)
    return render(
        request, "kb/attachment_form.html", {"article": article, "form": form}, status=400
    )


def attachment(request: HttpRequest, slug: str, pk: int, name: str) -> FileResponse:
    article = _get_article(request, slug)
    item = get_object_or_404(article.attachments, pk=pk)
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.name,
    )
