from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from people.api_schema import error_response
from people.models import User

# The one error body (people.api_errors), for the responses an operation documents besides 200.
NOT_FOUND = error_response("No such person, or no such page.")
BAD_REQUEST = error_response(
    "A parameter is invalid (e.g. holds a NUL character): `fields` names it."
)


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    skills = serializers.SerializerMethodField()
    profile_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "job_title",
            "team",
            "experience_level",
            "skills",
            "profile_url",
        ]
        read_only_fields = fields

    def get_skills(self, person: User) -> list[str]:
        return [skill.name for skill in person.skills.all()]


class PersonQuerySerializer(serializers.Serializer):
    """The directory's query parameters. DRF's CharField refuses NUL characters."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Searches names, usernames, job titles and skills (first 100 characters).",
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[PersonQuerySerializer],
        responses={200: PersonSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(responses={200: PersonSerializer, 404: NOT_FOUND}),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """The people directory. `?q=` searches names, job titles and skills."""

    serializer_class = PersonSerializer
    lookup_field = "username"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        people = User.objects.visible_to(self.request.user).with_directory_data()
        if self.action != "list":
            return people
        query = PersonQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return people.search(query.validated_data.get("q", "")[:100])

    def get_object(self) -> User:
        # No username holds a NUL character, and PostgreSQL refuses one in a query.
        if "\x00" in self.kwargs[self.lookup_field]:
            raise NotFound("No User matches the given query.")
        return super().get_object()

    @extend_schema(responses=PersonSerializer)
    @action(detail=False)
    def me(self, request: Request, format: str | None = None) -> Response:
        """Your own entry in the directory (takes no `q`: it is always you)."""
        person = User.objects.with_directory_data().get(pk=request.user.pk)
        return Response(self.get_serializer(person).data)


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("people", PersonViewSet, "person")]
PATHS = []
