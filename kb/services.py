"""Writes of the knowledge base: authoring, the review workflow, restoring revisions."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from kb.models import (
    Article,
    ArticleAttachment,
    ArticleComment,
    ArticleFeedback,
    ArticleRevision,
    ArticleView,
)
from kb.querysets import is_editor
from kb.rendering import render_markdown
from kb.tasks import article_index_sync
from notifications.services import notify
from people.models import Role, User

CONTENT_FIELDS = ("title", "summary", "body")
META_FIELDS = ("type", "category", "owner", "visibility", "verification_days")


def can_edit(user, article: Article) -> bool:
    return is_editor(user) or user.pk in (article.author_id, article.owner_id)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _add_revision(*, article: Article, editor, content: dict, change_note: str) -> ArticleRevision:
    rendered = render_markdown(content["body"])
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ArticleRevision(
        article=article,
        number=number,
        title=content["title"],
        summary=content.get("summary", ""),
        body=content["body"],
        rendered_html=rendered.html,
        toc_html=rendered.toc_html,
        body_text=rendered.text,
        editor=editor,
        change_note=change_note,
    )
    revision.full_clean()
    revision.save()
    return revision


def article_reindex(article_pk: int) -> None:
    """Queue the article's search document for an update once this transaction commits; the
    task refetches the row, so queueing after any change is always safe."""
    article_index_sync.delay_on_commit(article_pk)


def _apply_meta(article: Article, meta: dict) -> None:
    for name in META_FIELDS:
        if name in meta:
            setattr(article, name, meta[name])


def _save_relations(article: Article, meta: dict) -> None:
    if "tags" in meta:
        article.tags.set(meta["tags"])
    if "teams" in meta:
        article.teams.set(meta["teams"])


@transaction.atomic
def article_create(*, author: User, content: dict, meta: dict, change_note: str = "") -> Article:
    """A new draft with its first revision. `content`: title, summary, body; `meta`: type,
    category, owner (defaults to the author), visibility, tags, teams, and optionally slug."""
    article = Article(author=author, owner=meta.get("owner") or author)
    _apply_meta(article, {**meta, "owner": meta.get("owner") or author})
    article.slug = meta.get("slug") or _unique_slug(content["title"])
    article.full_clean(exclude=["published_revision", "latest_revision"])
    article.save()
    article.latest_revision = _add_revision(
        article=article, editor=author, content=content, change_note=change_note or "Created"
    )
    article.save(update_fields=["latest_revision"])
    _save_relations(article, meta)
    return article


@transaction.atomic
def article_update(
    *, article: Article, editor: User, content: dict, meta: dict, change_note: str = ""
) -> Article:
    """Save an edit as a new revision. Readers keep the published revision until an editor
    approves the new one; metadata (category, tags, visibility...) applies at once, so that
    restricting an article never waits for a review."""
    if not can_edit(editor, article):
        raise PermissionDenied("Only the author, the owner and editors edit this article.")
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError("Archived articles cannot be edited.")
    latest = article.latest_revision
    changed = latest is None or any(
        content.get(name, "") != getattr(latest, name) for name in CONTENT_FIELDS
    )
    if changed:
        article.latest_revision = _add_revision(
            article=article, editor=editor, content=content, change_note=change_note
        )
        # A changed text needs a fresh submission.
        article.submitted_at = None
        if article.status == Article.Status.IN_REVIEW:
            article.status = Article.Status.DRAFT
    _apply_meta(article, meta)
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    _save_relations(article, meta)
    if article.published_revision_id:
        article_reindex(article.pk)  # metadata (visibility, tags...) applies to readers at once
    return article


@transaction.atomic
def article_submit(*, article: Article, user: User) -> Article:
    """Ask the editors to review the newest revision."""
    if not can_edit(user, article):
        raise PermissionDenied("Only the author, the owner and editors submit this article.")
    if not article.has_pending_edit or article.status == Article.Status.ARCHIVED:
        raise ValidationError("There is no unpublished change to submit.")
    if article.submitted_at:
        raise ValidationError("This change is already waiting for review.")
    article.submitted_at = timezone.now()
    article.review_comment = ""
    if article.status == Article.Status.DRAFT:
        article.status = Article.Status.IN_REVIEW
    article.save(update_fields=["submitted_at", "review_comment", "status"])
    revision = article.latest_revision
    for reviewer in User.objects.active().with_role(Role.KB_EDITOR).exclude(pk=user.pk):
        notify(
            recipient=reviewer,
            kind="kb.review",
            message=f"“{revision.title}” is waiting for review.",
            url=article.get_absolute_url(),
            dedupe_key=f"kb.review:{revision.pk}:{reviewer.pk}",
        )
    return article


def _require_editor(user: User) -> None:
    if not is_editor(user):
        raise PermissionDenied("Only KB editors publish, send back and archive articles.")


@transaction.atomic
def article_approve(*, article: Article, editor: User) -> Article:
    """Publish the submitted revision; a new text counts as freshly verified."""
    _require_editor(editor)
    if not article.submitted_at:
        raise ValidationError("Nothing is waiting for review.")
    now = timezone.now()
    first_time = article.published_revision_id is None
    article.published_revision = article.latest_revision
    article.status = Article.Status.PUBLISHED
    article.submitted_at = None
    article.review_comment = ""
    article.published_at = article.published_at or now
    article.verified_at, article.verified_by = now, editor
    article.updated_at = now
    article.save()
    article_reindex(article.pk)
    verb = "is published" if first_time else "update is published"
    _tell_author(article, editor, f"“{article.title}” {verb}.")
    return article


@transaction.atomic
def article_send_back(*, article: Article, editor: User, comment: str) -> Article:
    """Return the submitted revision to its author with what to change."""
    _require_editor(editor)
    if not article.submitted_at:
        raise ValidationError("Nothing is waiting for review.")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Say what needs to change."})
    article.submitted_at = None
    article.review_comment = comment
    if article.status == Article.Status.IN_REVIEW:
        article.status = Article.Status.DRAFT
    article.full_clean()
    article.save()
    _tell_author(
        article, editor, f"“{article.latest_revision.title}” was sent back: {comment}"[:500]
    )
    return article


@transaction.atomic
def article_archive(*, article: Article, editor: User) -> Article:
    _require_editor(editor)
    article.status = Article.Status.ARCHIVED
    article.submitted_at = None
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "submitted_at", "updated_at"])
    article_reindex(article.pk)
    return article


@transaction.atomic
def article_delete(*, article: Article, editor: User) -> None:
    """Delete an article with its history (editors only); archiving is the usual way out."""
    _require_editor(editor)
    pk = article.pk
    # Unpublish first: deleting the revisions would otherwise null the published revision
    # of a row that still says "published", which the database refuses.
    Article.objects.filter(pk=pk).update(
        status=Article.Status.ARCHIVED, published_revision=None, latest_revision=None
    )
    article.delete()
    article_reindex(pk)


@transaction.atomic
def article_restore_revision(
    *, article: Article, revision: ArticleRevision, editor: User
) -> Article:
    """Make an old revision's text the newest one again (as a new revision, history intact)."""
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another article.")
    content = {name: getattr(revision, name) for name in CONTENT_FIELDS}
    return article_update(
        article=article,
        editor=editor,
        content=content,
        meta={},
        change_note=f"Restored revision {revision.number}",
    )


def _tell_author(article: Article, editor: User, message: str) -> None:
    for person in {article.author, article.owner} - {editor}:
        notify(
            recipient=person, kind="kb.workflow", message=message, url=article.get_absolute_url()
        )


# --- Verification ---------------------------------------------------------------------------


@transaction.atomic
def article_verify(*, article: Article, user: User) -> Article:
    """The owner (or an editor) confirms the published article is still right."""
    if not (is_editor(user) or user.pk == article.owner_id):
        raise PermissionDenied("Only the owner and KB editors verify this article.")
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Only published articles are verified.")
    article.verified_at, article.verified_by = timezone.now(), user
    article.save(update_fields=["verified_at", "verified_by"])
    return article


# --- Feedback, comments, views --------------------------------------------------------------


def feedback_give(
    *, article: Article, user: User, helpful: bool, reason: str = "", comment: str = ""
) -> ArticleFeedback:
    """Record (or change) `user`'s vote. A "no" tells the owner what was wrong.

    The unique constraint holds one vote per person; when two requests race to create it,
    the loser updates the winner's row instead.
    """
    values = {
        "helpful": helpful,
        "reason": "" if helpful else reason,
        "comment": comment.strip(),
        "updated_at": timezone.now(),
    }
    ArticleFeedback(article=article, user=user, **values).full_clean(
        validate_unique=False, validate_constraints=False
    )
    if not helpful and not reason:
        raise ValidationError({"reason": "Tell us what was wrong."})
    previous = (
        ArticleFeedback.objects.filter(article=article, user=user)
        .values_list("helpful", flat=True)
        .first()
    )
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                feedback, _ = ArticleFeedback.objects.update_or_create(
                    article=article, user=user, defaults=values
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    article_reindex(article.pk)  # helpfulness is a ranking signal in the index
    # Tell the owner once per "no", not again when the same person re-sends it.
    if not helpful and previous is not False and user.pk != article.owner_id:
        notify(
            recipient=article.owner,
            kind="kb.feedback",
            message=f"{user.name} found “{article.title}” not helpful "
            f"({feedback.get_reason_display().lower()}).",
            url=article.get_absolute_url(),
        )
    return feedback


MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


@transaction.atomic
def comment_add(*, article: Article, author: User, body: str) -> ArticleComment:
    """Add a comment; @username mentions and the owner are notified."""
    comment = ArticleComment(article=article, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    url = f"{article.get_absolute_url()}#comment-{comment.pk}"
    mentioned = set(MENTION.findall(comment.body))
    readers = User.objects.active().filter(username__in=mentioned).exclude(pk=author.pk)
    for person in readers:
        # Only people who may open the article hear about it: a mention is no way around
        # team restrictions.
        if Article.objects.visible_to(person).filter(pk=article.pk).exists():
            notify(
                recipient=person,
                kind="kb.mention",
                message=f"{author.name} mentioned you on “{article.title}”.",
                url=url,
            )
    if article.owner_id != author.pk and article.owner.username not in mentioned:
        notify(
            recipient=article.owner,
            kind="kb.comment",
            message=f"{author.name} commented on “{article.title}”.",
            url=url,
        )
    return comment


def comment_resolve(*, comment: ArticleComment, user: User) -> ArticleComment:
    if not is_editor(user) and user.pk != comment.article.owner_id:
        raise PermissionDenied("Only the owner and KB editors resolve comments.")
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def article_view_record(*, article: Article, user: User) -> None:
    """Count one view per person, article and day; refresh "recently viewed" either way."""
    now = timezone.now()
    ArticleView.objects.update_or_create(
        article=article, user=user, day=timezone.localdate(now), defaults={"viewed_at": now}
    )


# --- Attachments ----------------------------------------------------------------------------

ATTACHMENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The first bytes each type must start with, so a renamed executable is not an "image".
MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(*, article: Article, user: User, upload) -> ArticleAttachment:
    """Store an uploaded file after checking its name, size and content."""
    if not can_edit(user, article):
        raise PermissionDenied("Only the author, the owner and editors add attachments.")
    name = Path(upload.name).name[:200]
    content_type = ATTACHMENT_TYPES.get(Path(name).suffix.lower())
    if content_type is None:
        allowed = ", ".join(sorted(ATTACHMENT_TYPES))
        raise ValidationError(f"{name}: this file type is not allowed (allowed: {allowed}).")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"{name} is larger than 10 MB.")
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.")
    head = upload.read(16)
    upload.seek(0)
    if content_type in MAGIC and not head.startswith(MAGIC[content_type]):
        raise ValidationError(f"{name} does not contain what its name says.")
    attachment = ArticleAttachment(
        article=article, name=name, content_type=content_type, size=upload.size, uploaded_by=user
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment
