from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from notifications import services
from notifications.models import Notification

# The id is documented as what it is; the route takes any segment (see `lookup_value_regex`).
NOTIFICATION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of one of your notifications."
)
# DRF's error body (`{"detail": "..."}`), for the responses an operation documents besides 200.
NOT_FOUND = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="No such notification of yours, or no such page.",
)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "message", "url", "created_at", "read_at"]
        read_only_fields = fields


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many unread notifications it marked.")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unread",
                OpenApiTypes.BOOL,
                description="`true` (or `1`) lists only unread notifications.",
            )
        ],
        responses={200: NotificationSerializer(many=True), 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        parameters=[NOTIFICATION_ID], responses={200: NotificationSerializer, 404: NOT_FOUND}
    ),
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your own notifications, newest first. `?unread=true` lists only unread ones."""

    serializer_class = NotificationSerializer
    # Any path segment reaches the view, so `/api/notifications/0.5/` is DRF's JSON 404 rather
    # than the HTML page of an unmatched URL (the router's default stops at a dot).
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        notifications = Notification.objects.for_user(self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true"):
            notifications = notifications.unread()
        return notifications

    @extend_schema(
        request=None,
        parameters=[NOTIFICATION_ID],
        responses={200: NotificationSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        """Mark one of your notifications read; answers with the notification."""
        notification = self.get_object()
        notification.mark_read()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request, format: str | None = None) -> Response:
        """Mark all your unread notifications read; answers with how many it marked."""
        marked = services.notifications_mark_all_read(user=request.user)
        return Response(MarkedReadSerializer({"marked_read": marked}).data)


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("notifications", NotificationViewSet, "notification")]
PATHS = []
