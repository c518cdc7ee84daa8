"""Reminders about the knowledge base: articles whose periodic verification has lapsed.

A published article is due for verification `effective_verification_days` after it was last
verified (or published, if nobody ever verified it). The owner hears about it once per lapse;
if it stays unverified for a grace period after that, the category's editors hear about it too.
"Once per lapse" is the dedupe key: it names the moment the lapse is counted from, so verifying
the article starts a new lapse with a new key.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch

from kb.models import Article, Category
from notifications.engine import Reminder, reminder_source
from people.models import Role, User

_CHUNK_SIZE = 500
# Only the title of a revision is needed; the bodies can be large.
_REVISION_TEXT = ("body", "rendered_html", "toc_html")


def _grace_days() -> int:
    return settings.KB_VERIFICATION_GRACE_DAYS


def _lapsed(now: datetime, *, extra_days: int = 0):
    """Due articles with what a reminder names, in a constant number of queries."""
    return (
        Article.objects.verification_due(now, extra_days=extra_days)
        .select_related("owner", "category__parent", "published_revision", "latest_revision")
        .defer(
            *(f"published_revision__{name}" for name in _REVISION_TEXT),
            *(f"latest_revision__{name}" for name in _REVISION_TEXT),
        )
        .order_by("pk")
    )


@reminder_source("kb.verification")
def verification_due(now: datetime) -> Iterator[Reminder]:
    """Once per lapse: the owner of a published article is asked to verify it."""
    for article in _lapsed(now).iterator(chunk_size=_CHUNK_SIZE):
        start = article.verification_started_at
        yield Reminder(
            recipient=article.owner,
            kind="kb.verification",
            message=(
                f"“{article.title}” is due for verification: check that it is still "
                "correct and mark it verified."
            ),
            url=article.get_absolute_url(),
            dedupe_key=f"kb.verify:{article.pk}:{start.isoformat()}",
        )


@reminder_source("kb.verification_escalation")
def verification_overdue(now: datetime) -> Iterator[Reminder]:
    """Once per lapse and editor: an article still unverified a grace period after its due
    date is brought to its category's editors (or the parent category's, or else every
    active KB editor)."""
    grace = _grace_days()
    active_editors = User.objects.active().order_by("pk")
    overdue = _lapsed(now, extra_days=grace).prefetch_related(
        Prefetch("category__editors", queryset=active_editors, to_attr="active_editors"),
        Prefetch("category__parent__editors", queryset=active_editors, to_attr="active_editors"),
    )
    kb_editors: list[User] | None = None  # read once, and only if some category has no editors
    for article in overdue.iterator(chunk_size=_CHUNK_SIZE):
        recipients = _category_editors(article.category)
        if not recipients:
            if kb_editors is None:
                kb_editors = list(active_editors.with_role(Role.KB_EDITOR))
            recipients = kb_editors
        start = article.verification_started_at
        for editor in recipients:
            yield Reminder(
                recipient=editor,
                kind="kb.verification_escalation",
                message=(
                    f"“{article.title}” (owned by {article.owner.name}) is still unverified "
                    f"{grace} days after it was due."
                ),
                url=article.get_absolute_url(),
                dedupe_key=f"kb.verify-escalate:{article.pk}:{start.isoformat()}:{editor.pk}",
            )


def _category_editors(category: Category) -> list[User]:
    if category.active_editors:
        return category.active_editors
    if category.parent_id:
        return category.parent.active_editors
    return []
