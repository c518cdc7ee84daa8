"""Following: people who want to hear when an article, or any article of a category,
changes. Owners follow their articles by default; every follower of a published revision's
article or category (or its parent category) is told once per revision, in a task."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from kb.models import Article, ArticleRevision, Category, Follow
from kb.querysets import ARTICLE_AUDIENCE
from notifications.services import notify
from people.models import User


def _target(article: Article | None, category: Category | None) -> dict:
    if (article is None) == (category is None):
        raise ValueError("Follow exactly one article or one category.")
    return {"article": article} if article is not None else {"category": category}


@transaction.atomic
def follow_add(
    *, user: User, article: Article | None = None, category: Category | None = None
) -> Follow:
    """Follow one article (one `user` may open) or one category. Following again, or two
    clicks racing, returns the existing follow instead of failing."""
    target = _target(article, category)
    if article is not None and not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        raise PermissionDenied("You cannot follow an article you may not read.")
    return _follow(user, target)


def _follow(user: User, target: dict) -> Follow:
    try:
        # A savepoint: a racing insert of the same follow leaves the caller's work intact.
        with transaction.atomic():
            follow, _ = Follow.objects.get_or_create(user=user, **target)
    except IntegrityError:
        follow = Follow.objects.get(user=user, **target)
    return follow


@transaction.atomic
def follow_remove(
    *, user: User, article: Article | None = None, category: Category | None = None
) -> bool:
    """Stop following; returns whether there was a follow (unfollowing twice is harmless)."""
    deleted, _ = Follow.objects.filter(user=user, **_target(article, category)).delete()
    return bool(deleted)


def follow_owner(article: Article) -> None:
    """The owner hears about their article like any follower (called by the workflow when an
    article is created or changes hands; the previous owner's follow is kept)."""
    # The owner may always open their article, so there is nothing to check.
    _follow(article.owner, {"article": article})


def followers_to_notify(revision: ArticleRevision, *, approver_id: int | None) -> list[User]:
    """Who hears that `revision` was published: the followers of its article, of the
    article's category and of that category's parent, each once, who may read the article as
    it is now (the one visibility rule, `ARTICLE_AUDIENCE`), except the editor who approved
    it, the revision's editor, and the author and owner (they hear from the workflow)."""
    article = revision.article
    followed = Q(kb_follows__article=article) | Q(kb_follows__category_id=article.category_id)
    if article.category.parent_id:
        followed |= Q(kb_follows__category_id=article.category.parent_id)
    skip = {article.author_id, article.owner_id, approver_id, revision.editor_id}
    people = (
        User.objects.active()
        .filter(followed)
        .exclude(pk__in=[pk for pk in skip if pk])
        .distinct()
        .select_related("team")
        .prefetch_related("groups")
        .order_by("pk")
    )
    readers = []
    for person in people.iterator(chunk_size=500):
        # The roles from the prefetched groups, not a query per person.
        person.__dict__["role_names"] = frozenset(g.name for g in person.groups.all())
        if ARTICLE_AUDIENCE.admits(article, person):
            readers.append(person)
    return readers


def follow_notify_published(*, revision_id: int, approver_id: int | None = None) -> int:
    """Tell the followers (`followers_to_notify`) that a revision was published; returns how
    many were told now. Nothing when the revision is gone or readers no longer see it (a
    newer one is out, or the article was archived); the dedupe key makes a second run, or a
    person following both the article and its category, harmless."""
    revision = (
        ArticleRevision.objects.select_related("article__category", "editor")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        return 0
    article = revision.article
    if article.status != Article.Status.PUBLISHED or article.published_revision_id != revision.pk:
        return 0
    # First published when this revision was: it was written before the article went live.
    if article.published_at and article.published_at >= revision.created_at:
        message = f"New in {article.category.name}: “{revision.title}”."
    else:
        message = f"“{revision.title}” was updated"
        message += f": {revision.change_note}" if revision.change_note else "."
    told = 0
    for person in followers_to_notify(revision, approver_id=approver_id):
        told += bool(
            notify(
                recipient=person,
                kind="kb.follow",
                message=message,
                url=article.get_absolute_url(),
                dedupe_key=f"kb.follow:{revision.pk}:{person.pk}",
            )
        )
    return told
