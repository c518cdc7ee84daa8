"""What people search for, the words that mean the same, and the articles still missing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from people.validators import validate_single_line
from search.querysets import ContentRequestQuerySet, SearchLogQuerySet

QUERY_MAX_LENGTH = 200


def normalize_query(text: str) -> str:
    """One spelling of a query for counting: lower case, single spaces, bounded length."""
    return " ".join(text.lower().split())[:QUERY_MAX_LENGTH]


class Synonym(models.Model):
    """Words customers and agents use for the same thing (refund, chargeback, money back).
    A search for any of them also finds the others."""

    terms = models.CharField(
        max_length=300,
        unique=True,
        validators=[validate_single_line],
        help_text="Two or more words or phrases that mean the same, separated by commas.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [normalize_query(term) for term in self.terms.split(",") if term.strip()]

    def clean(self) -> None:
        terms = list(dict.fromkeys(self.term_list))
        if len(terms) < 2:
            raise ValidationError({"terms": "Give at least two words, separated by commas."})
        if any(len(term) > 60 for term in terms):
            raise ValidationError({"terms": "Each word or phrase may have at most 60 characters."})
        self.terms = ", ".join(terms)


class SearchLog(models.Model):
    """One search from the search page or the API, and which result (if any) was opened."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=QUERY_MAX_LENGTH)
    normalized = models.CharField(max_length=QUERY_MAX_LENGTH)
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    opened_article = models.ForeignKey(
        "kb.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What was opened, of any indexed model ("questions.question:12"; an article is
    # "kb.article:3" as well as `opened_article`): the search app names documents by their
    # index label, so it never imports the apps whose documents it shows.
    opened_document = models.CharField(max_length=100, blank=True, default="")
    opened_rank = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Made when the search is run, before the row is written (logs are written behind the
    # page, `search.services.search_logs_write`): result links carry it, so an open is
    # credited to its search whether or not the row exists yet. Empty on older rows.
    key = models.UUIDField(null=True, blank=True, default=uuid.uuid4, editable=False)

    objects = SearchLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The insights page groups a period's searches by query.
            models.Index(fields=["created_at", "normalized"], name="search_log_period_query"),
            # Content requests find who searched for a query.
            models.Index(fields=["normalized", "user"], name="search_log_query_user"),
        ]
        constraints = [
            # One row per search: a flush written twice inserts nothing the second time.
            models.UniqueConstraint(fields=["key"], name="search_searchlog_one_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.query!r} ({self.result_count} results)"


class ContentRequest(models.Model):
    """A missing article: found by an editor in the search logs, or asked for by anyone
    whose search found nothing (`requested_by`, one row per asker). An editor assigns it to
    an owner (an asked-for request starts without one) who writes or links the article.

    When the article linked to it is published, everyone who searched for the query or asked
    for it is told (`search.services.content_request_fulfil`)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    query = models.CharField(max_length=QUERY_MAX_LENGTH, help_text="The failed search.")
    title = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text="What the article should answer.",
    )
    note = models.TextField(blank=True, max_length=2000)
    # Empty until an editor assigns an asked-for request (the editors' triage list).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="content_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="search.ContentRequestAsk",
        blank=True,
        related_name="+",
        help_text="Who asked for it from a search that found nothing.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    article = models.ForeignKey(
        "kb.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The article that answers it; searchers are told once it is published.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ContentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["query"],
                condition=Q(status="open"),
                name="search_contentrequest_one_open_per_query",
            ),
            models.CheckConstraint(
                condition=Q(status="answered", answered_at__isnull=False, article__isnull=False)
                | ~Q(status="answered"),
                name="search_contentrequest_answered_has_article",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("search:request-list") + f"#request-{self.pk}"

    def can_be_handled_by(self, user) -> bool:
        """Its owner and KB editors link its article or decline it."""
        return user.is_kb_editor or (self.owner_id is not None and user.pk == self.owner_id)


class ContentRequestAsk(models.Model):
    """One person asking for a request's article ("+1" when someone asked first)."""

    request = models.ForeignKey(ContentRequest, on_delete=models.CASCADE, related_name="asks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_request_asks"
    )
    details = models.TextField(blank=True, max_length=2000, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Asking twice is still one ask: two clicks, or two tabs at once, add one row.
            models.UniqueConstraint(
                fields=["request", "user"], name="search_contentrequestask_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} asks for {self.request_id}"
