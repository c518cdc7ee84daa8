"""`GET /api/search/`: the search page's results as JSON, with the same visibility rule."""

from __future__ import annotations

from dataclasses import replace

from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kb.models import Article
from search import services
from search.forms import SearchForm
from search.selectors import SINCE_DAYS, SORTS, document_search


class SearchResultSerializer(serializers.Serializer):
    """An article result (`search.selectors.Result` whose object is an article)."""

    id = serializers.IntegerField(source="object.pk")
    slug = serializers.CharField(source="object.slug")
    title = serializers.CharField(source="object.published_revision.title")
    summary = serializers.CharField(source="object.published_revision.summary")
    type = serializers.CharField(source="object.type")
    category = serializers.CharField(source="object.category.slug")
    owner = serializers.CharField(source="object.owner.username")
    url = serializers.CharField(source="object.get_absolute_url")
    snippet = serializers.CharField(help_text="HTML; only <mark>/<em> around matched words.")
    verification_lapsed = serializers.BooleanField(source="object.verification_lapsed")
    updated_at = serializers.DateTimeField(source="object.updated_at")


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
    """Search the articles you may read. Parameters as on the search page: `q`, `type`,
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
            OpenApiParameter("type", str, enum=Article.Type.values),
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
        # Articles only: what the result fields describe, so `count` and `facets` agree.
        params = replace(form.params(request.query_params.get("page")), models=("kb.article",))
        outcome = document_search(user=request.user, params=params)
        if params.page == 1 and params.q:  # logged like the page, for the insights
            services.search_log_record(user=request.user, outcome=outcome)
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
