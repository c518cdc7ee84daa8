"""Pairings for integrators (an HR system, a reporting tool): the ones the caller may see, with
the health managers see on the site. Never the plan's words: no notes, agendas, goal or action
titles, requests' messages or feedback."""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from mentorship.models import Pairing

# The id is documented as what it is; the route takes any segment (see `lookup_value_regex`).
PAIRING_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of a pairing you may see."
)
# DRF's error bodies, for the responses an operation documents besides 200.
NOT_FOUND = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="No such pairing that you may see, or no such page.",
)
BAD_REQUEST = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    description="A parameter is invalid (an unknown status); messages by parameter.",
)


class PairingSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(source="program", slug_field="slug", read_only=True)
    mentor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    mentee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    last_meeting_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the pair last met (null: not yet)."
    )
    meetings_held = serializers.IntegerField(read_only=True, help_text="Meetings held so far.")
    goals_met = serializers.IntegerField(read_only=True)
    goal_count = serializers.IntegerField(read_only=True, help_text="Goals not dropped.")

    class Meta:
        model = Pairing
        fields = [
            "id",
            "programme",
            "mentor",
            "mentee",
            "status",
            "started_on",
            "ends_on",
            "last_meeting_at",
            "meetings_held",
            "goals_met",
            "goal_count",
        ]
        read_only_fields = fields


class PairingQuerySerializer(serializers.Serializer):
    """The list's filters."""

    status = serializers.ChoiceField(
        choices=Pairing.Status.choices, required=False, help_text="Only pairings in this state."
    )
    programme = serializers.SlugField(
        required=False, max_length=120, help_text="Only pairings of this programme (its slug)."
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[PairingQuerySerializer],
        responses={200: PairingSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        parameters=[PAIRING_ID], responses={200: PairingSerializer, 404: NOT_FOUND}
    ),
)
class PairingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mentoring pairings you may see: your own (as mentor or mentee), your team's (managers),
    your programmes' (programme managers), every one (admins). Newest first;
    `?status=active` and `?programme=<slug>` narrow the list."""

    serializer_class = PairingSerializer
    # Any path segment reaches the view, so `/api/pairings/0.5/` is DRF's JSON 404 rather than
    # the HTML page of an unmatched URL (the router's default stops at a dot).
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        pairings = (
            Pairing.objects.visible_to(self.request.user)
            .with_health()
            .select_related("program", "mentor", "mentee")
        )
        if self.action != "list":
            return pairings
        query = PairingQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if status := query.validated_data.get("status"):
            pairings = pairings.filter(status=status)
        if programme := query.validated_data.get("programme"):
            pairings = pairings.filter(program__slug=programme)
        return pairings


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("pairings", PairingViewSet, "pairing")]
PATHS = []
