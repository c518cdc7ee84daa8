"""Authoring and the review workflow: drafts, revisions, submission, approval, archiving and
restoring, deleting and restoring revisions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kb.models import Article, ArticleRevision
from kb.rendering import render_markdown
from kb.services.attachments import attachments_claim
from kb.services.following import follow_owner
from kb.services.settings_review import split_settings
from notifications.services import notifications_settle, notify
from people.models import Role, User
from people.slugs import unique_slug
from searchkit.pipeline import queue_update

CONTENT_FIELDS = ("title", "summary", "body")
META_FIELDS = ("type", "category", "owner", "visibility", "verification_days")


class StaleEdit(ValidationError):
    """The article got a newer revision after the editor opened it; nothing was saved."""

    def __init__(self, latest: ArticleRevision):
        super().__init__(
            f"This article changed since you opened it: revision {latest.number} was saved by "
            f"{latest.editor.name}. Compare it with your text below, then save again."
        )
        self.latest = latest


def _locked(article: Article) -> Article:
    """Lock the article's row until the transaction ends and reread it, so edits, approvals
    and archiving of one article happen one at a time and each sees the other's result.
    Returns the same instance, now current."""
    rows = Article.objects.select_for_update(of=("self",)).filter(pk=article.pk)
    if not rows.values_list("pk", flat=True):
        raise ValidationError("This article no longer exists.")
    article.refresh_from_db()
    return article


def _add_revision(
    *, article: Article, editor, content: dict, change_note: str, requested: dict | None = None
) -> ArticleRevision:
    """The next revision; callers hold the article's lock, so numbers never collide."""
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
        requested_settings=requested or {},
    )
    revision.full_clean()
    revision.save()
    return revision


def article_reindex(article_pk: int) -> None:
    """Queue the article's search document for an update once this transaction commits; the
    task refetches the row, so queueing after any change is always safe."""
    queue_update(Article, article_pk)


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
    """A new draft with its first revision, followed by its owner, and with the author's
    waiting uploads its body links attached. `content`: title, summary, body; `meta`: type,
    category, owner (defaults to the author), visibility, tags, teams, and optionally slug."""
    article = Article(author=author, owner=meta.get("owner") or author)
    _apply_meta(article, {**meta, "owner": meta.get("owner") or author})
    article.slug = meta.get("slug") or unique_slug(
        Article.objects.all(), content["title"], fallback="article"
    )
    article.full_clean(exclude=["published_revision", "latest_revision"])
    article.save()
    article.latest_revision = _add_revision(
        article=article, editor=author, content=content, change_note=change_note or "Created"
    )
    article.save(update_fields=["latest_revision"])
    _save_relations(article, meta)
    follow_owner(article)
    # Images pasted into the editor before the article existed become its attachments.
    attachments_claim(article=article, user=author, body=content["body"])
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    editor: User,
    content: dict,
    meta: dict,
    change_note: str = "",
    base_revision: int | None = None,
) -> Article:
    """Save an edit as a new revision. Readers keep the published revision until an editor
    approves the new one. Settings apply at once, except that an author widening who may read
    a published article (or lengthening its verification interval) asks for it on the new
    revision, for the editor's approval (`settings_review`). With `base_revision` (the
    revision the editor opened), an edit made on an older text is refused (`StaleEdit`)
    instead of silently overwriting the newer one."""
    if not article.can_be_edited_by(editor):
        raise PermissionDenied("Only the author, the owner and editors edit this article.")
    article = _locked(article)
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError("Archived articles cannot be edited.")
    latest = article.latest_revision
    if base_revision is not None and latest is not None and latest.number != base_revision:
        raise StaleEdit(latest)
    meta, requested = split_settings(article, meta, editor=editor)
    previous_owner_id = article.owner_id
    changed = latest is None or any(
        content.get(name, "") != getattr(latest, name) for name in CONTENT_FIELDS
    )
    if changed or requested:
        article.latest_revision = _add_revision(
            article=article, editor=editor, content=content, change_note=change_note,
            requested=requested,
        )  # fmt: skip
        # A changed text needs a fresh submission.
        article.submitted_at = None
        if article.status == Article.Status.IN_REVIEW:
            article.status = Article.Status.DRAFT
    _apply_meta(article, meta)
    article.updated_at = timezone.now()
    article.full_clean()
    article.save()
    _save_relations(article, meta)
    if article.owner_id != previous_owner_id:
        follow_owner(article)  # the new owner follows; the previous one keeps their follow
    if article.published_revision_id:
        article_reindex(article.pk)  # metadata (visibility, tags...) applies to readers at once
    return article


@transaction.atomic
def article_submit(*, article: Article, user: User) -> Article:
    """Ask the editors to review the newest revision."""
    if not article.can_be_edited_by(user):
        raise PermissionDenied("Only the author, the owner and editors submit this article.")
    article = _locked(article)
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
            # Once per submission: a revision sent back and submitted again asks again.
            dedupe_key=f"kb.review:{revision.pk}:{article.submitted_at.isoformat()}:{reviewer.pk}",
        )
    return article


def _settle_review_requests(article: Article) -> None:
    """The other editors' "waiting for review" notices of the revision just decided are read
    now: the review is done, and an unread pile of finished ones only misleads."""
    notifications_settle(dedupe_prefix=f"kb.review:{article.latest_revision_id}:")


def _require_publisher(article: Article, user: User) -> None:
    if not article.can_be_published_by(user):
        raise PermissionDenied("Only KB editors publish, send back and archive articles.")


APPROVAL_FIELDS = [
    "published_revision", "status", "submitted_at", "review_comment", "published_at",
    "verified_at", "verified_by", "updated_at",
]  # fmt: skip


def approval_refusal(article: Article, editor: User) -> str:
    """Why `editor` may not approve the change waiting on `article` ("" when they may): with
    `KB_REQUIRE_SECOND_EDITOR`, nobody approves a revision they wrote themselves while another
    active KB editor could review it (a lone editor still can)."""
    if not settings.KB_REQUIRE_SECOND_EDITOR:
        return ""
    latest = article.latest_revision
    if latest is None or latest.editor_id != editor.pk:
        return ""
    reviewers = User.objects.active().with_role(Role.KB_EDITOR).exclude(pk=editor.pk)
    if not reviewers.exists():
        return ""
    return "You wrote this change, so another editor must approve it."


@transaction.atomic
def article_approve(*, article: Article, editor: User) -> Article:
    """Publish the submitted revision, with the settings it asks for; a new text counts as
    freshly verified. Under the article's lock, and saving only the fields approval owns, so
    an author's save at the same moment is neither lost nor undone. An editor does not
    approve their own change while another editor exists (`approval_refusal`)."""
    _require_publisher(article, editor)
    article = _locked(article)
    if not article.submitted_at:
        raise ValidationError("Nothing is waiting for review.")
    if refusal := approval_refusal(article, editor):
        raise ValidationError(refusal)
    return _publish_latest(article, editor)


@transaction.atomic
def article_publish(*, article: Article, editor: User) -> Article:
    """Publish the newest revision at once, without the review queue: for what an editor
    brings in wholesale (imports, demo data). Nothing waits for review, so no reviewer is
    told that anything does, and the second-editor rule, which guards reviews, is not asked."""
    _require_publisher(article, editor)
    article = _locked(article)
    if article.status == Article.Status.ARCHIVED:
        raise ValidationError("Archived articles cannot be published; restore it first.")
    if article.latest_revision_id is None:
        raise ValidationError("This article has no text to publish.")
    if article.status == Article.Status.PUBLISHED and not article.has_pending_edit:
        return article
    return _publish_latest(article, editor)


def _publish_latest(article: Article, editor: User) -> Article:
    """Approval's writes, on a locked article: the newest revision goes live and its
    followers are told once the transaction commits."""
    _settle_review_requests(article)
    now = timezone.now()
    first_time = article.published_revision_id is None
    revision = article.latest_revision
    article.published_revision = revision
    if revision.published_at is None:
        revision.published_at = now
        revision.save(update_fields=["published_at"])
    article.status = Article.Status.PUBLISHED
    article.submitted_at = None
    article.review_comment = ""
    article.published_at = article.published_at or now
    article.verified_at, article.verified_by = now, editor
    article.updated_at = now
    requested = revision.requested_settings
    for name in ("visibility", "verification_days"):
        if name in requested:
            setattr(article, name, requested[name])
    article.save(update_fields=[*APPROVAL_FIELDS, *(n for n in requested if n != "teams")])
    if "teams" in requested:
        article.teams.set(requested["teams"])
    article_reindex(article.pk)
    verb = "is published" if first_time else "update is published"
    _tell_author(article, editor, f"“{revision.title}” {verb}.", once=f"published:{revision.pk}")
    from kb.tasks import follow_notify_published  # the task module imports the services

    # A category may have many followers: they are told in a task, once this commits.
    follow_notify_published.delay_on_commit(revision.pk, editor.pk)
    return article


@transaction.atomic
def article_send_back(*, article: Article, editor: User, comment: str) -> Article:
    """Return the submitted revision to its author with what to change."""
    _require_publisher(article, editor)
    article = _locked(article)
    if not article.submitted_at:
        raise ValidationError("Nothing is waiting for review.")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Say what needs to change."})
    submission = f"sent-back:{article.latest_revision_id}:{article.submitted_at.isoformat()}"
    article.submitted_at = None
    article.review_comment = comment
    if article.status == Article.Status.IN_REVIEW:
        article.status = Article.Status.DRAFT
    article.full_clean()
    article.save(update_fields=["submitted_at", "review_comment", "status"])
    message = f"“{article.latest_revision.title}” was sent back: {comment}"
    _tell_author(article, editor, message, once=submission)
    _settle_review_requests(article)
    return article


def _check_replacement(article: Article, replaced_by: Article | None) -> None:
    if replaced_by is None:
        return
    if replaced_by.pk == article.pk:
        raise ValidationError({"replaced_by": "An article cannot replace itself."})
    if replaced_by.status != Article.Status.PUBLISHED:
        raise ValidationError({"replaced_by": "Choose a published article."})


@transaction.atomic
def article_archive(
    *, article: Article, editor: User, replaced_by: Article | None = None
) -> Article:
    """Take an article away from readers; `replaced_by`, a published article, is where its
    archived page sends them."""
    _require_publisher(article, editor)
    article = _locked(article)
    _check_replacement(article, replaced_by)
    article.status = Article.Status.ARCHIVED
    article.submitted_at = None
    article.replaced_by = replaced_by
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "submitted_at", "replaced_by", "updated_at"])
    article_reindex(article.pk)
    _settle_review_requests(article)  # nothing waits for review any more
    return article


@transaction.atomic
def article_set_replacement(
    *, article: Article, editor: User, replaced_by: Article | None
) -> Article:
    """Change (or clear) where an archived article's readers are sent."""
    _require_publisher(article, editor)
    article = _locked(article)
    if article.status != Article.Status.ARCHIVED:
        raise ValidationError("Only an archived article has a replacement.")
    _check_replacement(article, replaced_by)
    article.replaced_by = replaced_by
    article.save(update_fields=["replaced_by"])
    return article


@transaction.atomic
def article_unarchive(*, article: Article, editor: User) -> Article:
    """Bring an archived article back: published again when it has a published revision
    (readers see that one), else a draft. It is no longer replaced by anything."""
    _require_publisher(article, editor)
    article = _locked(article)
    if article.status != Article.Status.ARCHIVED:
        raise ValidationError("This article is not archived.")
    published = article.published_revision_id is not None
    article.status = Article.Status.PUBLISHED if published else Article.Status.DRAFT
    article.replaced_by = None
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "replaced_by", "updated_at"])
    article_reindex(article.pk)
    return article


@transaction.atomic
def article_delete(*, article: Article, editor: User) -> None:
    """Delete an article with its history (editors only); archiving is the usual way out."""
    _require_publisher(article, editor)
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


def _tell_author(article: Article, editor: User, message: str, *, once: str) -> None:
    """Tell the author and the owner, each once per event `once` names (a revision's
    publication, one submission sent back), however many editors act at the same moment."""
    for person in {article.author, article.owner} - {editor}:
        notify(
            recipient=person,
            kind="kb.workflow",
            message=message,
            url=article.get_absolute_url(),
            dedupe_key=f"kb.{once}:{person.pk}",
        )
