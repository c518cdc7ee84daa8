"""Suggested edits: a reader who may not edit an article proposes a change; the owner or an
editor accepts it (it becomes the newest revision, credited to the reader) or declines it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kb.models import Article, ArticleSuggestion
from kb.services.workflow import (
    CONTENT_FIELDS,
    _add_revision,
    _locked,
    article_publish,
    article_submit,
    article_update,
)
from notifications.services import notify
from people.models import Role, User


def _curators(article: Article) -> list[User]:
    """Who decides on a suggestion: the owner, or the editors when the owner has left."""
    if article.owner.is_active:
        return [article.owner]
    return list(User.objects.active().with_role(Role.KB_EDITOR))


@transaction.atomic
def suggestion_create(
    *, article: Article, author: User, content: dict, note: str = ""
) -> ArticleSuggestion:
    """Propose `content` (title, summary, body) for a published article. A reader has one
    open suggestion per article: proposing again replaces its text."""
    if article.can_be_edited_by(author):
        raise PermissionDenied("You can edit this article yourself.")
    article = _locked(article)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Only published articles take suggestions.")
    published = article.published_revision
    if all(content.get(name, "") == getattr(published, name) for name in CONTENT_FIELDS):
        raise ValidationError("Change something in the text first.")
    suggestion = (
        ArticleSuggestion.objects.select_for_update()
        .filter(article=article, author=author, status=ArticleSuggestion.Status.PENDING)
        .first()
    ) or ArticleSuggestion(article=article, author=author)
    for name in CONTENT_FIELDS:
        setattr(suggestion, name, content.get(name, ""))
    suggestion.note = note
    suggestion.base_revision = published
    suggestion.created_at = timezone.now()
    suggestion.full_clean()
    try:
        with transaction.atomic():
            suggestion.save()
    except IntegrityError as clash:  # another tab saved the first one a moment ago
        raise ValidationError("You just suggested an edit to this article; reload it.") from clash
    for person in _curators(article):
        notify(
            recipient=person,
            kind="kb.suggestion",
            message=f"{author.name} suggested an edit to “{article.title}”.",
            url=suggestion.get_absolute_url(),
            dedupe_key=f"kb.suggestion:{suggestion.pk}:{suggestion.created_at.isoformat()}:"
            f"{person.pk}",
        )
    return suggestion


def _decide(suggestion: ArticleSuggestion, user: User, status: str, note: str) -> Article:
    """Lock the article and the suggestion, check that `user` may decide and that the
    suggestion still waits, and record the decision."""
    article = _locked(suggestion.article)
    if not article.can_be_curated_by(user):
        raise PermissionDenied("Only the owner and KB editors decide on suggested edits.")
    suggestion.refresh_from_db()
    if suggestion.status != ArticleSuggestion.Status.PENDING:
        raise ValidationError(f"This suggestion was already {suggestion.get_status_display()}.")
    suggestion.status = status
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion.decision_note = note
    return article


def _tell_suggester(suggestion: ArticleSuggestion, message: str) -> None:
    notify(
        recipient=suggestion.author,
        kind="kb.suggestion",
        message=message,
        url=suggestion.get_absolute_url(),
        dedupe_key=f"kb.suggestion-{suggestion.status}:{suggestion.pk}",
    )


@transaction.atomic
def suggestion_accept(*, suggestion: ArticleSuggestion, user: User, note: str = "") -> Article:
    """Make the suggestion the article's newest revision, credited to its author. An editor's
    acceptance publishes it; the owner's sends it to the editors' review, as the owner's own
    edits go. Refused when the article changed since the suggestion was made: the text
    would undo that change, so the owner merges it in the editor instead."""
    article = _decide(suggestion, user, ArticleSuggestion.Status.ACCEPTED, note)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("The article is no longer published.")
    if article.latest_revision_id != suggestion.base_revision_id:
        raise ValidationError(
            "The article changed since this suggestion was made. Open it in the editor to "
            "merge the suggestion into the newest text."
        )
    content = {name: getattr(suggestion, name) for name in CONTENT_FIELDS}
    change_note = f"Suggested by {suggestion.author.name}"
    if suggestion.note:
        change_note = f"{change_note}: {suggestion.note}"[:300]
    revision = _add_revision(
        article=article, editor=suggestion.author, content=content, change_note=change_note
    )
    article.latest_revision = revision
    article.updated_at = timezone.now()
    article.save(update_fields=["latest_revision", "updated_at"])
    suggestion.revision = revision
    suggestion.save()
    if article.can_be_published_by(user):
        # The editor's acceptance is the review: published at once, no reviewer is asked.
        article = article_publish(article=article, editor=user)
        _tell_suggester(suggestion, f"Your suggested edit to “{article.title}” is published.")
    else:
        article = article_submit(article=article, user=user)
        _tell_suggester(
            suggestion, f"Your suggested edit to “{article.title}” was accepted for review."
        )
    return article


@transaction.atomic
def suggestion_decline(*, suggestion: ArticleSuggestion, user: User, note: str) -> None:
    """Close the suggestion with the reason, which its author is told."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why, so the suggester learns something."})
    _decide(suggestion, user, ArticleSuggestion.Status.DECLINED, note)
    suggestion.full_clean()
    suggestion.save()
    _tell_suggester(
        suggestion, f"Your suggested edit to “{suggestion.article.title}” was declined: {note}"
    )


@transaction.atomic
def suggestion_merge(
    *,
    suggestion: ArticleSuggestion,
    user: User,
    content: dict,
    meta: dict,
    change_note: str = "",
    base_revision: int | None = None,
) -> Article:
    """Save an edit the owner or an editor made from a suggestion in the editor (when the
    article had changed since the suggestion, it is merged by hand), closing the suggestion
    as accepted, with the new revision."""
    article = _decide(suggestion, user, ArticleSuggestion.Status.ACCEPTED, "Merged in the editor")
    article = article_update(
        article=article, editor=user, content=content, meta=meta, change_note=change_note,
        base_revision=base_revision,
    )  # fmt: skip
    suggestion.revision = article.latest_revision
    suggestion.save()
    _tell_suggester(suggestion, f"{user.name} merged your suggested edit into “{article.title}”.")
    return article
