from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import (
    BODY_TEMPLATES,
    ArticleFilterForm,
    ArticleForm,
    AttachmentForm,
    CommentForm,
    FeedbackForm,
    SendBackForm,
)
from kb.models import Article, ArticleComment, ArticleFeedback, ArticleRevision, Category
from kb.selectors import related_articles
from people.web import act, kb_editor_required

ARTICLES_PER_PAGE = 20


@dataclass(frozen=True)
class ArticlePermissions:
    """What the viewer may do with one article, asked of the model once per request."""

    edit: bool = False
    curate: bool = False  # verify (when published) and resolve comments
    verify: bool = False
    publish: bool = False

    @classmethod
    def of(cls, article: Article, user) -> ArticlePermissions:
        return cls(
            edit=article.can_be_edited_by(user),
            curate=article.can_be_curated_by(user),
            verify=article.can_be_verified_by(user),
            publish=article.can_be_published_by(user),
        )


def _get_article_for_user(
    request: HttpRequest, slug: str, *, need: str = "", published: bool = False
) -> tuple[Article, ArticlePermissions]:
    """The article and what the viewer may do with it: 404 when they may not open it (or,
    with `published`, when it is not published), so hidden ones do not leak; 403 when they
    may open it but lack the permission `need` ("edit", "publish"...)."""
    articles = Article.objects.visible_to(request.user)
    if published:
        articles = articles.published()
    article = get_object_or_404(
        articles.select_related(
            "category__parent", "owner", "author", "published_revision", "latest_revision",
            "verified_by",
        ),
        slug=slug,
    )  # fmt: skip
    perms = ArticlePermissions.of(article, request.user)
    if need and not getattr(perms, need):
        raise PermissionDenied("You cannot do that with this article.")
    return article, perms


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
    article, perms = _get_article_for_user(request, slug)
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
    article, _ = _get_article_for_user(request, slug, need="edit")
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(article))
    context, status = {"article": article}, 200
    if request.method == "POST" and form.is_valid():
        content, meta, note = form.split()
        try:
            services.article_update(
                article=article, editor=request.user, content=content, meta=meta,
                change_note=note, base_revision=form.cleaned_data["base_revision"],
            )  # fmt: skip
        except services.StaleEdit as stale:
            # Show what changed since, and let a second save (now on the newest revision)
            # go through: the editor has seen the difference.
            latest = stale.latest
            data = request.POST.copy()
            data["base_revision"] = str(latest.number)
            form = ArticleForm(data)
            form.is_valid()
            form.add_error(None, stale)
            context["conflict"] = _diff_table(
                latest, content, f"Revision {latest.number} (saved meanwhile)", "Your text"
            )
            status = 409
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved as a new revision.")
            return redirect(article)
    if form.errors and status == 200:
        status = 400
    return render(request, "kb/article_form.html", {**context, "form": form}, status=status)


@require_POST
def article_submit(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="edit")
    return act(
        request,
        lambda: services.article_submit(article=article, user=request.user),
        success="Submitted for review. Editors have been told.",
        redirect_to=article,
    )


@require_POST
def article_approve(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="publish")
    return act(
        request,
        lambda: services.article_approve(article=article, editor=request.user),
        success="Published.",
        redirect_to=article,
    )


@require_POST
def article_send_back(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="publish")
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
    article, _ = _get_article_for_user(request, slug, need="publish")
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


def my_articles(request: HttpRequest) -> HttpResponse:
    """An author's and owner's own articles, drafts first."""
    articles = (
        Article.objects.filter(Q(author=request.user) | Q(owner=request.user))
        .with_list_data()
        .order_by("status", "-updated_at")
    )
    return render(request, "kb/my_articles.html", {"articles": articles})


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="edit")
    revisions = article.revisions.select_related("editor").defer("body", "rendered_html")
    return render(request, "kb/revision_list.html", {"article": article, "revisions": revisions})


def _get_revision(article: Article, number) -> ArticleRevision:
    try:
        return article.revisions.select_related("editor").get(number=int(number))
    except (TypeError, ValueError, ArticleRevision.DoesNotExist) as missing:
        raise Http404("No such revision.") from missing


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="edit")
    revision = _get_revision(article, number)
    return render(request, "kb/revision_detail.html", {"article": article, "revision": revision})


def _text_of(item) -> list[str]:
    """Title, summary and body of a revision (or of a dict of them) as lines to compare."""
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name)
    return f"# {get('title')}\n{get('summary')}\n\n{get('body')}".splitlines()


def _diff_table(old, new, old_label: str, new_label: str) -> str:
    """A side-by-side, line-level diff (HTML table) of two texts: revisions or content dicts."""
    return difflib.HtmlDiff(tabsize=4, wrapcolumn=50).make_table(
        _text_of(old), _text_of(new), fromdesc=old_label, todesc=new_label,
        context=True, numlines=3,
    )  # fmt: skip


def revision_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """A side-by-side, line-level diff of any two revisions' title, summary and body."""
    article, _ = _get_article_for_user(request, slug, need="edit")
    latest = article.latest_revision.number
    old = _get_revision(article, request.GET.get("from", max(latest - 1, 1)))
    new = _get_revision(article, request.GET.get("to", latest))
    diff = _diff_table(old, new, f"Revision {old.number}", f"Revision {new.number}")
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
    article, _ = _get_article_for_user(request, slug, need="edit")
    revision = _get_revision(article, number)
    return act(
        request,
        lambda: services.article_restore_revision(
            article=article, revision=revision, editor=request.user
        ),
        success=f"Revision {number} restored as a new revision.",
        redirect_to=article,
    )


def tag_list(request: HttpRequest) -> HttpResponse:
    tags = Article.objects.published().visible_to(request.user).tag_counts()
    return render(request, "kb/tag_list.html", {"tags": tags})


# --- Feedback, comments, verification, attachments --------------------------------------------


@require_POST
def feedback_give(request: HttpRequest, slug: str) -> HttpResponse:
    # Votes and comments are for published articles the user may read.
    article, _ = _get_article_for_user(request, slug, published=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.feedback_give(article=article, user=request.user, **form.cleaned_data)
        messages.success(request, "Thanks, your feedback goes to the article's owner.")
        return redirect(article)
    return render(request, "kb/feedback_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    # Votes and comments are for published articles the user may read.
    article, _ = _get_article_for_user(request, slug, published=True)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.comment_add(
            article=article, author=request.user, body=form.cleaned_data["body"]
        )
        return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "kb/comment_form.html", {"article": article, "form": form}, status=400)


@require_POST
def comment_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="curate")
    comment = get_object_or_404(
        ArticleComment.objects.select_related("article"), pk=pk, article=article
    )
    services.comment_resolve(comment=comment, user=request.user)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def article_verify(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug)
    return act(
        request,
        lambda: services.article_verify(article=article, user=request.user),
        success="Verified. Thank you for keeping it current.",
        redirect_to=article,
    )


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


@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = _get_article_for_user(request, slug, need="edit")
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
    article, _ = _get_article_for_user(request, slug)
    item = get_object_or_404(article.attachments, pk=pk)
    return FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.name,
    )
