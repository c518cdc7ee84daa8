"""`GET /api/search/`: the search page's results as JSON, articles and questions, with the same
visibility rule."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kb.models import Article
from search import services
from search.forms import SearchForm
from search.selectors import SINCE_DAYS, SORTS, document_search

# The documents the API describes: what `/api/articles/` and `/api/questions/` list.
API_MODELS = ("kb.article", "questions.question")
QUESTION = "question"  # the `type` of a question's document


class SearchResultSerializer(serializers.Serializer):
    """An article or a question (`search.selectors.Result`). The fields of the other kind
    are null. Read by attribute, so this app names neither model above it."""

    kind = serializers.SerializerMethodField(help_text="`article` or `question`.")
    id = serializers.IntegerField(source="object.pk")
    slug = serializers.SerializerMethodField(help_text="Articles: the slug.")
    title = serializers.CharField(source="object.title")
    summary = serializers.SerializerMethodField(help_text="Articles: the summary.")
    type = serializers.SerializerMethodField(
        help_text="An article's type, or `question`; what the `type` parameter filters by."
    )
    category = serializers.SerializerMethodField(help_text="A category slug, or null.")
    owner = serializers.SerializerMethodField(help_text="Articles: the owner's username.")
    status = serializers.SerializerMethodField(help_text="Questions: open, answered, closed.")
    answer_count = serializers.SerializerMethodField(help_text="Questions: how many answers.")
    url = serializers.CharField(source="object.get_absolute_url")
    snippet = serializers.CharField(help_text="HTML; only <mark>/<em> around matched words.")
    verification_lapsed = serializers.SerializerMethodField(
        help_text="Articles: not verified within its interval."
    )
    updated_at = serializers.SerializerMethodField(
        help_text="When it last changed (a question: its last answer, comment or edit)."
    )

    def _is_article(self, result) -> bool:
        return result.object._meta.label_lower == "kb.article"

    def _article(self, result, name: str):
        return getattr(result.object, name) if self._is_article(result) else None

    def get_kind(self, result) -> str:
        return "article" if self._is_article(result) else QUESTION

    def get_slug(self, result) -> str | None:
        return self._article(result, "slug")

    def get_summary(self, result) -> str | None:
        return result.object.published_revision.summary if self._is_article(result) else None

    def get_type(self, result) -> str:
        return result.object.type if self._is_article(result) else QUESTION

    def get_category(self, result) -> str | None:
        category = result.object.category
        return category.slug if category is not None else None

    def get_owner(self, result) -> str | None:
        return result.object.owner.username if self._is_article(result) else None

    def get_status(self, result) -> str | None:
        return None if self._is_article(result) else result.object.status

    def get_answer_count(self, result) -> int | None:
        return None if self._is_article(result) else result.object.answer_count

    def get_verification_lapsed(self, result) -> bool | None:
        return self._article(result, "verification_lapsed")

    @extend_schema_field(serializers.DateTimeField())
    def get_updated_at(self, result):
        row = result.object
        moment = row.updated_at if self._is_article(result) else row.last_activity_at
        return serializers.DateTimeField().to_representation(moment)


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    corrected = serializers.CharField(
        help_text="The corrected query whose results these are (a typo was fixed), or empty."
    )
    facets = serializers.DictField(child=serializers.ListField())
    errors = serializers.ListField(child=serializers.CharField())
    results = SearchResultSerializer(many=True)


class SearchAPIView(APIView):
    """Search the articles and questions you may read (`type=question`: questions only; an
    article type: articles of that type). Parameters as on the search page: `q`, `type`,
    `category`, `tag`, `team`, `since` (days), `sort` (relevance, newest, helpful), `page`,
    `verbatim` (1: never correct the spelling).
    Invalid parameters are left out and listed in `errors`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="The words to search for.",
                examples=[OpenApiExample("A few words", value="refund")],
            ),
            OpenApiParameter(
                "type",
                str,
                enum=[*Article.Type.values, QUESTION],
                description="An article type, or `question`.",
            ),
            OpenApiParameter("category", str, description="A category slug."),
            OpenApiParameter("tag", str, description="A tag slug."),
            OpenApiParameter("team", int, description="A team id: articles for that team."),
            OpenApiParameter(
                "since", int, enum=list(SINCE_DAYS), description="Updated in the last days."
            ),
            OpenApiParameter("sort", str, enum=list(SORTS)),
            OpenApiParameter(
                "page", int, description="From 1; a page past the end answers the last page."
            ),
            OpenApiParameter(
                "verbatim", bool, description="`true` or `1`: never correct the spelling."
            ),
        ],
        responses=SearchResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        form.is_valid()
        # Articles and questions only: what the result fields describe, so `count` and
        # `facets` agree with `results`.
        params = replace(form.params(request.query_params.get("page")), models=API_MODELS)
        outcome = document_search(user=request.user, params=params)
        if params.page == 1 and params.q:  # logged like the page, for the insights
            services.search_log_record(user=request.user, outcome=outcome, key=uuid.uuid4())
        return Response(
            {
                "count": outcome.total,
                "page": outcome.page,
                "num_pages": outcome.num_pages,
                "corrected": outcome.corrected,
                "facets": {
                    name: [list(pair) for pair in pairs] for name, pairs in outcome.facets.items()
                },
                "errors": form.error_messages_text,
                "results": SearchResultSerializer(outcome.results, many=True).data,
            }
        )


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = []
PATHS = [path("search/", SearchAPIView.as_view(), name="search")]
