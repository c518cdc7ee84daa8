"""The knowledge base for integrators: published articles the caller may read (list with
filters, ordering and pagination; one article with its text, owner and verification), the
"was this helpful?" vote and comments, through the same services and the same visibility rule
as the pages.

What the caller may not open is a 404, never a 403, so a restricted article's existence is not
told (`Article.objects.visible_to`). Lists, votes and comments are of published articles
only; one article opens as its page does: its author, owner and KB editors also open it
before it is published (with its newest text). Reading an article here records no view: an
integration polling the API is not a reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from kb import services
from kb.api_filters import ArticleFilter
from kb.forms import CommentForm
from kb.models import Article, ArticleComment, ArticleFeedback
from people.api import BAD_REQUEST, NOT_FOUND

# The shared error body, described for this module's refusals.
MISSING = OpenApiResponse(
    NOT_FOUND.response, description="No such article that you may read, or no such page."
)
FORBIDDEN = OpenApiResponse(NOT_FOUND.response, description="You may read it but not do that.")
THROTTLED = OpenApiResponse(
    NOT_FOUND.response, description="Too many writes in a short time: wait and try again."
)
ARTICLE_SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The article's slug (as in its address)."
)
# When the settings name no rate for a write scope: a person acting by hand never reaches it,
# a runaway script does.
DEFAULT_WRITE_RATE = "30/minute"


class WriteThrottle(ScopedRateThrottle):
    """Per person and per `throttle_scope` ("kb-write", "questions-write"): the rate in
    `DEFAULT_THROTTLE_RATES` when the settings name one, else `DEFAULT_WRITE_RATE`."""

    def get_rate(self) -> str:
        return self.THROTTLE_RATES.get(self.scope) or DEFAULT_WRITE_RATE


@contextmanager
def service_refusals() -> Iterator[None]:
    """A service's `ValidationError` as a 400 with its messages by field (`non_field_errors`
    for the rest); nothing was saved, the service's transaction rolled back."""
    try:
        yield
    except DjangoValidationError as refusal:
        raise ValidationError(serializers.as_serializer_error(refusal)) from refusal


class PersonRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(
        source="parent.slug", allow_null=True, default=None, help_text="The parent's slug."
    )


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    """An article as lists show it: its published title and summary."""

    title = serializers.CharField(source="published_revision.title")
    summary = serializers.CharField(source="published_revision.summary")
    category = serializers.CharField(source="category.slug", help_text="The category's slug.")
    tags = serializers.SerializerMethodField()
    owner = serializers.CharField(source="owner.username", help_text="The owner's username.")
    verification_lapsed = serializers.BooleanField(
        help_text="Not verified within its interval: readers are warned."
    )
    url = serializers.CharField(source="get_absolute_url", help_text="The article's page.")

    class Meta:
        model = Article
        fields = [
            "id", "slug", "type", "title", "summary", "category", "tags", "owner",
            "verified_at", "verification_lapsed", "published_at", "updated_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_tags(self, article: Article) -> list[str]:
        """Tag slugs."""
        return [tag.slug for tag in article.tags.all()]


class VerificationSerializer(serializers.Serializer):
    verified_at = serializers.DateTimeField(allow_null=True)
    verified_by = serializers.CharField(
        source="verified_by.username", allow_null=True, default=None
    )
    every_days = serializers.IntegerField(source="effective_verification_days")
    due_at = serializers.DateTimeField(source="verification_due_at", allow_null=True)
    lapsed = serializers.BooleanField(source="verification_lapsed")


class ArticleDetailSerializer(serializers.ModelSerializer):
    """One article: its text as readers see it (the published revision; for its author, owner
    and KB editors, a draft's newest text), with who keeps it correct and when it was last
    verified."""

    title = serializers.CharField(source="text.title")
    summary = serializers.CharField(source="text.summary")
    body_markdown = serializers.CharField(source="text.body", help_text="The Markdown source.")
    body_html = serializers.CharField(
        source="text.rendered_html", help_text="The rendered text: sanitised HTML."
    )
    revision = serializers.IntegerField(source="text.number", help_text="The text's number.")
    category = CategoryRefSerializer()
    tags = serializers.SerializerMethodField()
    owner = PersonRefSerializer(help_text="The expert responsible for keeping it correct.")
    author = PersonRefSerializer()
    verification = VerificationSerializer(source="*")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Article
        fields = [
            "id", "slug", "type", "status", "title", "summary", "body_markdown", "body_html",
            "revision", "category", "tags", "owner", "author", "verification", "created_at",
            "published_at", "updated_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, article: Article) -> list:
        return TagSerializer(article.tags.all(), many=True).data


class FeedbackSerializer(serializers.ModelSerializer):
    helpful = serializers.BooleanField(help_text="`true`: it helped; `false`: it did not.")
    reason = serializers.ChoiceField(
        choices=ArticleFeedback.Reason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="What was wrong: required with `helpful: false`, ignored with `true`.",
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, trim_whitespace=True
    )

    class Meta:
        model = ArticleFeedback
        fields = ["helpful", "reason", "comment", "updated_at"]
        read_only_fields = ["updated_at"]


class CommentSerializer(serializers.ModelSerializer):
    author = PersonRefSerializer(read_only=True)
    body = serializers.CharField(
        max_length=5000, help_text="Plain text; @username notifies a colleague who may read it."
    )

    class Meta:
        model = ArticleComment
        fields = ["id", "author", "body", "created_at", "resolved_at"]
        read_only_fields = ["id", "author", "created_at", "resolved_at"]

    def validate_body(self, body: str) -> str:
        # The page's rules: not blank, and every @mention names someone.
        form = CommentForm({"body": body})
        if not form.is_valid():
            raise ValidationError(form.errors["body"])
        return form.cleaned_data["body"]


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published articles you may read, most recently updated first. Filters: `type`,
    `category` (a slug; a top-level category includes its topics), `tag` (a slug),
    `updated_since` (ISO 8601); `ordering`: `updated_at`, `published_at`, `created_at`
    (`-` first for newest first)."""

    lookup_field = "slug"
    # Any segment reaches the view, so a slug with a dot is DRF's JSON 404, not an HTML page.
    lookup_value_regex = "[^/]+"
    filterset_class = ArticleFilter
    ordering_fields = ["updated_at", "published_at", "created_at"]
    ordering = ["-updated_at", "-pk"]
    throttle_scope = "kb-write"

    def get_serializer_class(self):
        return {
            "retrieve": ArticleDetailSerializer,
            "vote": FeedbackSerializer,
            "comments": CommentSerializer,
        }.get(self.action, ArticleSerializer)

    def get_queryset(self):
        articles = Article.objects.visible_to(self.request.user)
        if self.action == "retrieve":
            # As the article page opens it: drafts too, for the people who work on them.
            return articles.select_related(
                "category__parent", "owner", "author", "verified_by", "published_revision",
                "latest_revision",
            ).prefetch_related("tags")  # fmt: skip
        articles = articles.published()
        if self.action == "list":
            return articles.with_list_data().prefetch_related("tags")
        return articles.select_related("owner")  # votes and comments

    def get_object(self) -> Article:
        # No slug holds a NUL character, and PostgreSQL refuses one in a query.
        if "\x00" in self.kwargs[self.lookup_field]:
            raise Http404("No such article.")
        article = super().get_object()
        article.text = article.published_revision or article.latest_revision
        return article

    def get_throttles(self):
        if self.request.method == "POST":
            return [*super().get_throttles(), WriteThrottle()]
        return super().get_throttles()

    @extend_schema(responses={200: ArticleSerializer(many=True), 400: BAD_REQUEST, 404: MISSING})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[ARTICLE_SLUG], responses={200: ArticleDetailSerializer, 404: MISSING}
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """One article you may open, with its text, owner and verification."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[ARTICLE_SLUG],
        request=FeedbackSerializer,
        responses={200: FeedbackSerializer, 400: BAD_REQUEST, 404: MISSING, 429: THROTTLED},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def vote(self, request: Request, slug: str | None = None, format: str | None = None):
        """ "Was this helpful?": your vote on a published article, which you may change. A
        "no" needs a `reason` and tells the owner."""
        article = self.get_object()
        vote = FeedbackSerializer(data=request.data)
        vote.is_valid(raise_exception=True)
        with service_refusals():
            feedback = services.feedback_give(
                article=article, user=request.user, **vote.validated_data
            )
        return Response(FeedbackSerializer(feedback).data)

    @extend_schema(
        methods=["GET"],
        parameters=[ARTICLE_SLUG],
        responses={200: CommentSerializer(many=True), 404: MISSING},
    )
    @extend_schema(
        methods=["POST"],
        parameters=[ARTICLE_SLUG],
        request=CommentSerializer,
        responses={201: CommentSerializer, 400: BAD_REQUEST, 404: MISSING, 429: THROTTLED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request: Request, slug: str | None = None, format: str | None = None):
        """The comments on a published article, oldest first; POST adds yours (its owner and
        the people it @mentions who may read it are told)."""
        article = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(article.comments.select_related("author"))
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        comment = CommentSerializer(data=request.data)
        comment.is_valid(raise_exception=True)
        with service_refusals():
            created = services.comment_add(
                article=article, author=request.user, body=comment.validated_data["body"]
            )
        return Response(CommentSerializer(created).data, status=status.HTTP_201_CREATED)


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("articles", ArticleViewSet, "article")]
PATHS: list = []
