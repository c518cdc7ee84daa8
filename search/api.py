"""`GET /api/search/`: the search page's results as JSON, with the same visibility rule."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from search import services
from search.forms import SearchForm


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    title = serializers.CharField(source="published_revision.title")
    summary = serializers.CharField(source="published_revision.summary")
    type = serializers.CharField()
    category = serializers.CharField(source="category.slug")
    owner = serializers.CharField(source="owner.username")
    url = serializers.CharField(source="get_absolute_url")
    snippet = serializers.CharField(help_text="HTML; only <mark>/<em> around matched words.")
    needs_review = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    suggestion = serializers.CharField(allow_null=True)
    facets = serializers.DictField(child=serializers.ListField())
    errors = serializers.ListField(child=serializers.CharField())
    results = SearchResultSerializer(many=True)


class SearchAPIView(APIView):
    """Search the articles you may read. Parameters as on the search page: `q`, `type`,
    `category`, `tag`, `team`, `since` (days), `sort` (relevance, newest, helpful), `page`.
    Invalid parameters are left out and listed in `errors`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(name, str, required=False)
            for name in ("q", "type", "category", "tag", "team", "since", "sort", "page")
        ],
        responses=SearchResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        form = SearchForm(request.query_params)
        form.is_valid()
        outcome = services.search_run(
            user=request.user, params=form.params(request.query_params.get("page"))
        )
        return Response(
            {
                "count": outcome.hits,
                "page": outcome.page,
                "num_pages": outcome.num_pages,
                "suggestion": outcome.suggestion,
                "facets": {
                    name: [list(pair) for pair in pairs] for name, pairs in outcome.facets.items()
                },
                "errors": form.error_messages_text,
                "results": SearchResultSerializer(outcome.articles, many=True).data,
            }
        )
