"""Writing: the editor, revisions, comparing and restoring them, attachments."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kb import services
from kb.forms import BODY_TEMPLATES, ArticleForm, AttachmentForm
from kb.models import Article, ArticleRevision, ArticleSuggestion
from kb.rendering import render_markdown
from kb.views.common import diff_table, get_article_for_user, get_revision
from kb.views.reading import article_page
from people.web import act


def _start_type(request: HttpRequest) -> str:
    type_ = request.GET.get("type", Article.Type.ARTICLE)
    return type_ if type_ in Article.Type.values else Article.Type.ARTICLE


def _switched_type(request: HttpRequest, form: ArticleForm) -> dict:
    """The form's fields as typed, with the type a "start from" button asked for: the body
    becomes that type's skeleton only while it is empty or still another type's skeleton,
    so switching never loses what was written."""
    data = request.POST
    initial = {name: data.get(name, "") for name in form.fields}
    initial["teams"] = data.getlist("teams")
    type_ = data.get("switch_type")
    if type_ in Article.Type.values:
        initial["type"] = type_
        # Browsers send a textarea's line breaks as CRLF.
        typed = data.get("body", "").replace("\r\n", "\n").strip()
        if typed in {"", *(t.strip() for t in BODY_TEMPLATES.values())}:
            initial["body"] = BODY_TEMPLATES[type_]
    return initial


def _back_link(request: HttpRequest) -> str:
    """Where "Write it" came from (a content request), if it is a page of this site."""
    back = request.GET.get("back", "")[:500]
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return back if back.startswith("/") and safe else ""


def article_create(request: HttpRequest) -> HttpResponse:
    type_ = _start_type(request)
    title = request.GET.get("title", "")[:200].replace("\x00", "").strip()
    initial = {"type": type_, "body": BODY_TEMPLATES[type_], "owner": request.user.pk}
    if title:
        initial["title"] = " ".join(title.split())
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and "switch_type" in request.POST:
        # "Start from a template" inside the form: redraw it with what was typed.
        form = ArticleForm(initial=_switched_type(request, form))
        type_ = form.initial["type"]
    elif request.method == "POST" and form.is_valid():
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
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form, "types": Article.Type.choices, "type": type_, "back": _back_link(request),
    }  # fmt: skip
    return render(request, "kb/article_form.html", context, status=status)


def _suggestion_to_merge(request: HttpRequest, article: Article):
    """The waiting suggestion the editor was opened from (`?suggestion=`), if any."""
    pk = request.POST.get("suggestion") or request.GET.get("suggestion")
    if not pk:
        return None
    try:
        return article.suggestions.select_related("author").get(
            pk=int(pk), status=ArticleSuggestion.Status.PENDING
        )
    except (ValueError, OverflowError, ArticleSuggestion.DoesNotExist) as missing:
        raise Http404("No such suggestion waiting.") from missing


def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article, perms = get_article_for_user(request, slug, need="edit")
    initial = ArticleForm.initial_for(article)
    suggestion = _suggestion_to_merge(request, article) if perms.curate else None
    if suggestion:
        initial.update(
            title=suggestion.title, summary=suggestion.summary, body=suggestion.body,
            change_note=f"Suggested by {suggestion.author.name}",
        )  # fmt: skip
    form = ArticleForm(request.POST or None, initial=initial)
    context, status = {"article": article, "suggestion": suggestion}, 200
    if request.method == "POST" and form.is_valid():
        content, meta, note = form.split()
        edit = {
            "content": content, "meta": meta, "change_note": note,
            "base_revision": form.cleaned_data["base_revision"],
        }  # fmt: skip
        try:
            if suggestion:
                services.suggestion_merge(suggestion=suggestion, user=request.user, **edit)
            else:
                services.article_update(article=article, editor=request.user, **edit)
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


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview: the body rendered by the same renderer and sanitiser as a
    saved revision, so what the author sees is what readers get."""
    body = request.POST.get("body", "")
    limit = ArticleRevision._meta.get_field("body").max_length
    if len(body) > limit:
        return HttpResponse(
            f"The text is longer than {limit:,} characters; shorten it to see a preview.",
            status=400, content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    html = render_markdown(body).html if body.strip() else ""
    return render(request, "kb/includes/markdown_preview.html", {"html": html})


@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """An image or file pasted or dropped into the editor: stored as an attachment of the
    article being edited (`article` = its slug) or, for a new article, waiting for it to be
    saved; answered with the Markdown the editor inserts."""
    article = None
    if slug := request.POST.get("article", ""):
        article, _ = get_article_for_user(request, slug[:120], need="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(form.errors["file"])}, status=400)
    try:
        item = services.attachment_add(
            article=article, user=request.user, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    payload = {"name": item.name, "url": reverse("kb:file", args=[item.pk, item.name])}
    return JsonResponse({**payload, "markdown": item.markdown}, status=201)


def revision_list(request: HttpRequest, slug: str) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
    revisions = article.revisions.select_related("editor").defer("body", "rendered_html")
    return render(request, "kb/revision_list.html", {"article": article, "revisions": revisions})


def revision_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article, _ = get_article_for_user(request, slug, need="edit")
    revision = get_revision(article, number)
    return render(request, "kb/revision_detail.html", {"article": article, "revision": revision})


# The empty text before an article's first revision, to compare revision 1 with.
NOTHING = SimpleNamespace(number=0, title="", summary="", body="", editor=None, created_at=None)


def revision_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """A side-by-side, line-level diff of two revisions' title, summary and body. Editors
    (author, owner, KB editors) compare any two; readers compare the revisions that were
    published ("what changed since I read it"), never a draft."""
    article, perms = get_article_for_user(request, slug)
    revisions = article.revisions.all()
    if not perms.edit:
        if article.status != Article.Status.PUBLISHED:
            raise PermissionDenied("Only its editors compare the revisions of this article.")
        revisions = revisions.filter(published_at__isnull=False)
    numbers = list(revisions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404("No published revision to compare.")
    latest = numbers[-1]
    new = get_revision(article, request.GET.get("to", latest), among=revisions)
    # "From 0" is the empty text before the first revision: a new article reads as all added.
    earlier = [n for n in numbers if n < new.number]
    old_number = request.GET.get("from", earlier[-1] if earlier else 0)
    old = NOTHING if str(old_number) == "0" else get_revision(article, old_number, among=revisions)
    old_label = f"Revision {old.number}" if old.number else "Before revision 1"
    diff = diff_table(old, new, old_label, f"Revision {new.number}")
    context = {"article": article, "old": old, "new": new, "diff": diff, "numbers": numbers,
               "can_edit": perms.edit}  # fmt: skip
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
    article, perms = get_article_for_user(request, slug, need="edit")
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
    return article_page(request, article, perms, attachment_form=form, status=400)
