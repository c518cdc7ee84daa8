"""Readers' side of an article: helpful votes, comments with @mentions, views."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kb.mentions import mentioned_people, mentions_reaching
from kb.models import Article, ArticleComment, ArticleFeedback, ArticleView
from kb.services.workflow import article_reindex
from notifications.services import notify
from people.deferred import Buffer
from people.models import User


@transaction.atomic
def feedback_give(
    *, article: Article, user: User, helpful: bool, reason: str = "", comment: str = ""
) -> ArticleFeedback:
    """Record (or change) `user`'s vote. A vote that turns to "no" tells the owner what was
    wrong, once: the previous vote is read under the vote row's lock, so twenty identical
    requests at once make one change and one notification.

    The unique constraint holds one vote per person; when two first votes race to create it,
    the loser waits for the winner's row and updates it instead.
    """
    vote = ArticleFeedback(article=article, user=user, helpful=helpful, reason=reason,
                           comment=comment.strip(), updated_at=timezone.now())  # fmt: skip
    # The model's clean() holds the reason rule; the unique vote is handled below.
    vote.full_clean(validate_unique=False, validate_constraints=False)
    values = {name: getattr(vote, name) for name in ("helpful", "reason", "comment", "updated_at")}
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                feedback, previous = _save_vote(article, user, values)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    article_reindex(article.pk)  # helpfulness is a ranking signal in the index
    if not helpful and previous is not False and user.pk != article.owner_id:
        notify(
            recipient=article.owner,
            kind="kb.feedback",
            message=f"{user.name} found “{article.title}” not helpful "
            f"({feedback.get_reason_display().lower()}).",
            url=article.get_absolute_url(),
            # Once per vote that turned to "no": the moment it turned names it.
            dedupe_key=f"kb.feedback-no:{feedback.pk}:{feedback.updated_at.isoformat()}",
        )
    return feedback


def _save_vote(article: Article, user: User, values: dict) -> tuple[ArticleFeedback, bool | None]:
    """The vote row after the change, and the vote before it (None: a first vote)."""
    existing = ArticleFeedback.objects.select_for_update().filter(article=article, user=user)
    feedback = existing.first()
    if feedback is None:
        return ArticleFeedback.objects.create(article=article, user=user, **values), None
    previous = feedback.helpful
    if previous == values["helpful"]:
        values = {**values, "updated_at": feedback.updated_at}  # the same vote again
    for name, value in values.items():
        setattr(feedback, name, value)
    feedback.save()
    return feedback, previous


@transaction.atomic
def comment_add(*, article: Article, author: User, body: str) -> ArticleComment:
    """Add a comment; the people it @mentions who may open the article, and the owner, are
    notified. Mentioning someone who may not open it tells them nothing (`mentions_reaching`)."""
    comment = ArticleComment(article=article, author=author, body=body.strip())
    comment.full_clean()
    comment.save()
    url = f"{article.get_absolute_url()}#comment-{comment.pk}"
    mentioned = mentioned_people([comment.body])
    reached, _ = mentions_reaching(article, mentioned.values())
    for person in reached:
        if person.pk != author.pk:
            notify(
                recipient=person,
                kind="kb.mention",
                message=f"{author.name} mentioned you on “{article.title}”.",
                url=url,
                dedupe_key=f"kb.mention:{comment.pk}:{person.pk}",
            )
    if article.owner_id != author.pk and article.owner.username not in mentioned:
        notify(
            recipient=article.owner,
            kind="kb.comment",
            message=f"{author.name} commented on “{article.title}”.",
            url=url,
            dedupe_key=f"kb.comment:{comment.pk}",
        )
    return comment


def comment_resolve(*, comment: ArticleComment, user: User) -> ArticleComment:
    if not comment.article.can_be_curated_by(user):
        raise PermissionDenied("Only the owner and KB editors resolve comments.")
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by = timezone.now(), user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# Views are written behind the page (`people.deferred`): opening an article is a read, and on
# SQLite a write would queue it behind every other writer.
VIEWS = Buffer("kb.view")


def _flush_soon() -> None:
    from kb.tasks import article_views_flush

    # A message the worker picks up in a moment; if it is down, beat flushes later anyway.
    article_views_flush.apply_async(expires=60)


def article_view_record(*, article: Article, user: User) -> None:
    """Count one view per person, article and day; refresh "recently viewed" either way.
    Written by the next flush (`article_views_write`)."""
    now = timezone.now()
    VIEWS.append(
        {
            "article": article.pk,
            "user": user.pk,
            "day": timezone.localdate(now).isoformat(),
            "at": now.isoformat(),
        },
        flush_soon=_flush_soon,
    )


def article_views_write(records: list[dict]) -> None:
    """Write a batch of buffered views: one row per person, article and day, holding the
    latest view. An upsert, so writing a batch twice changes nothing; views of articles or
    people deleted since are dropped."""
    latest: dict[tuple, str] = {}
    for r in records:
        key = (r["article"], r["user"], r["day"])
        latest[key] = max(latest.get(key, r["at"]), r["at"])  # ISO times in UTC sort as text
    try:
        _upsert_views(latest)
    except IntegrityError:  # an article or reader deleted since: checked only then
        articles = Article.objects.filter(pk__in={a for a, _, _ in latest})
        users = User.objects.filter(pk__in={u for _, u, _ in latest})
        kept = set(articles.values_list("pk", flat=True)), set(users.values_list("pk", flat=True))
        _upsert_views({k: at for k, at in latest.items() if k[0] in kept[0] and k[1] in kept[1]})


def _upsert_views(latest: dict[tuple, str]) -> None:
    # One statement, so it needs no transaction of its own: it is written whole or not at all.
    ArticleView.objects.bulk_create(
        [
            ArticleView(
                article_id=a, user_id=u, day=date.fromisoformat(d), viewed_at=parse_datetime(at)
            )
            for (a, u, d), at in latest.items()
        ],
        update_conflicts=True,
        unique_fields=["article", "user", "day"],
        update_fields=["viewed_at"],
    )


def article_views_flush() -> int:
    """Write every buffered view; returns how many records were written."""
    return VIEWS.flush(article_views_write)
