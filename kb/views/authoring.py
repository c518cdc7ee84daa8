"""Writing: the editor, revisions, comparing and restoring them, attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import BODY_TEMPLATES, ArticleForm, AttachmentForm
from kb.models import Article
from kb.views.common import diff_table, get_article_for_user, get_revision
from people.web import act


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
    article, _ = get_article_for_user(request, slug, need="edit")
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
            context["conflict"] = diff_table(
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


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
    revisions = article.revisions.select_related("editor").defer("body", "rendered_html")
    return render(request, "kb/revision_list.html", {"article": article, "revisions": revisions})


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
    revision = get_revision(article, number)
    return render(request, "kb/revision_detail.html", {"article": article, "revision": revision})


def revision_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """A side-by-side, line-level diff of any two revisions' title, summary and body."""
    article, _ = get_article_for_user(request, slug, need="edit")
    latest = article.latest_revision.number
    old = get_revision(article, request.GET.get("from", max(latest - 1, 1)))
    new = get_revision(article, request.GET.get("to", latest))
    diff = diff_table(old, new, f"Revision {old.number}", f"Revision {new.number}")
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
    article, _ = get_article_for_user(request, slug, need="edit")
    revision = get_revision(article, number)
    return act(
        request,
        lambda: services.article_restore_revision(
            article=article, revision=revision, editor=request.user
        ),
        success=f"Revision {number} restored as a new revision.",
        redirect_to=article,
    )


@require_POST
def attachment_add(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
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
