"""Pairings for integrators (an HR system, a reporting tool): the ones the caller may see, with
the health managers see on the site. Never the plan's words on a pairing: no notes, agendas,
goal or action titles, requests' messages or feedback.

A pairing's meetings (with their agenda and shared notes) are the pair's alone, as on the
site: the mentor and the mentee list them and plan or log one through
`mentorship.services.plans.meeting_add`; anyone else who sees the pairing (a manager) gets 403,
anyone who does not 404."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api_filters import MeetingFilter, PairingFilter
from mentorship.models import Meeting, Pairing
from mentorship.services import plans as plan_services
from training.api.common import (
    BAD_FILTER,
    SERVICE_REFUSALS,
    ListFiltersOnly,
    bad_request,
    forbidden,
    not_found,
    refusal,
)

# The id is documented as what it is; the route takes any segment (see `lookup_value_regex`).
PAIRING_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of a pairing you may see."
)
WHEN = OpenApiParameter(
    "when", str, enum=["upcoming", "past"], description="`upcoming` or `past` (held); both "
    "when left out.",
)  # fmt: skip
NOT_PLANNED = bad_request(
    "Not planned (the pairing is not active, a time more than a year away); messages by field."
)
NOT_MEMBER = "Only the mentor and the mentee read and change their plan."
MEETING_FIELDS = {
    name: Meeting._meta.get_field(name) for name in ("duration_minutes", "agenda", "notes")
}


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


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting as the pair reads it (its shared notes included: only the pair gets here)."""

    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who planned it."
    )
    ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "starts_at", "ends_at", "duration_minutes", "agenda", "notes", "created_by",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer):
    """What planning (or logging) a meeting takes; the rules (within a year of now, the
    pairing active, you one of the pair) are the service's."""

    starts_at = serializers.DateTimeField(help_text="When it starts (a time zone is best).")
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=480, default=30, help_text="From 5 minutes to 8 hours."
    )
    agenda = serializers.CharField(
        required=False, allow_blank=True, max_length=MEETING_FIELDS["agenda"].max_length,
        help_text="What you want to talk about.",
    )  # fmt: skip
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=MEETING_FIELDS["notes"].max_length,
        help_text="Shared by the two of you; nobody else reads them, managers included.",
    )  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        responses={200: PairingSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")},
    ),
    retrieve=extend_schema(
        parameters=[PAIRING_ID], responses={200: PairingSerializer, 404: not_found("pairing")}
    ),
)
class PairingViewSet(
    ListFiltersOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Mentoring pairings you may see: your own (as mentor or mentee), your team's (managers),
    your programmes' (programme managers), every one (admins). Newest first;
    `?status=active` and `?programme=<slug>` narrow the list. A pairing's meetings are at
    `/api/pairings/<id>/meetings/`, for the pair alone."""

    serializer_class = PairingSerializer
    filterset_class = PairingFilter
    ordering_fields = ["created_at", "started_on", "ends_on"]
    # Any path segment reaches the view, so `/api/pairings/0.5/` is DRF's JSON 404 rather than
    # the HTML page of an unmatched URL (the router's default stops at a dot).
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        pairings = Pairing.objects.visible_to(self.request.user)
        if self.action == "meetings":
            return pairings.select_related("program", "mentor", "mentee")
        return pairings.with_health().select_related("program", "mentor", "mentee")

    def get_serializer_class(self):
        if self.action == "meetings":
            return MeetingCreateSerializer if self.request.method == "POST" else MeetingSerializer
        return PairingSerializer

    def _member_pairing(self) -> Pairing:
        pairing = self.get_object()
        if not pairing.is_member(self.request.user):
            raise PermissionDenied(NOT_MEMBER)
        return pairing

    def _meetings(self, request: Request, pairing: Pairing) -> Response:
        meetings: QuerySet = Meeting.objects.visible_to(request.user).filter(pairing=pairing)
        chosen = MeetingFilter(request.query_params, queryset=meetings.select_related("created_by"))
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        page = self.paginate_queryset(chosen.qs)
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        filters=False,
        parameters=[
            PAIRING_ID,
            WHEN,
            OpenApiParameter("page", int, description="A page number within the results."),
        ],
        responses={
            200: MeetingSerializer(many=True),
            400: BAD_FILTER,
            403: forbidden(NOT_MEMBER),
            404: not_found("pairing"),
        },
    )
    @extend_schema(
        methods=["POST"],
        parameters=[PAIRING_ID],
        request=MeetingCreateSerializer,
        responses={
            201: MeetingSerializer,
            400: NOT_PLANNED,
            403: forbidden(NOT_MEMBER),
            404: not_found("pairing"),
        },
    )
    @action(detail=True, methods=["get", "post"])
    def meetings(self, request: Request, pk: str | None = None, format: str | None = None):
        """The pairing's meetings, latest first, with their agenda and shared notes; `POST`
        plans one to come or logs one held (the other of the pair is told about one to
        come). For the mentor and the mentee only, as the plan on the site."""
        pairing = self._member_pairing()
        if request.method == "GET":
            return self._meetings(request, pairing)
        serializer = MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            meeting = plan_services.meeting_add(
                pairing=pairing, user=request.user, data=serializer.validated_data
            )
        except SERVICE_REFUSALS as refused:
            raise refusal(refused) from None
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("pairings", PairingViewSet, "pairing")]
PATHS: list = []
