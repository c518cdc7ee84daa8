"""Periodic verification: the owner (or an editor) confirms an article is still right.
Reminders of lapsed verifications are in `kb.reminders`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kb.models import Article
from people.models import User


@transaction.atomic
def article_verify(*, article: Article, user: User) -> Article:
    """The owner (or an editor) confirms the published article is still right."""
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError("Only published articles are verified.")
    if not article.can_be_verified_by(user):
        raise PermissionDenied("Only the owner and KB editors verify this article.")
    article.verified_at, article.verified_by = timezone.now(), user
    article.save(update_fields=["verified_at", "verified_by"])
    return article
