"""Knowledge-sharing sessions: the list and a session's page as the caller may see them, with
seats and the waitlist as the site counts them; signing up (a seat while any is left, else the
waitlist), leaving (a freed seat goes to the first person waiting), and calling a session off
(its organiser, presenters and KB editors)."""

from __future__ import annotations

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from training.api.common import (
    BAD_FILTER,
    SERVICE_REFUSALS,
    ListFiltersOnly,
    NulSafeLookup,
    bad_request,
    forbidden,
    not_found,
    refusal,
)
from training.api.filters import SessionFilter
from training.forms.sessions import CancelForm
from training.models import Session
from training.selectors.sessions import session_page
from training.selectors.skills import with_skills
from training.services import sessions as services

SESSION_SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The slug of a session you may see."
)
REASON_MAX = CancelForm.base_fields["reason"].max_length


class SessionSerializer(serializers.ModelSerializer):
    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True)
    presenters = serializers.SerializerMethodField(help_text="Their usernames.")
    skills = serializers.SerializerMethodField(help_text="The slugs of the skills it covers.")
    # Empty when there is none, which a `uri` format would refuse.
    video_url = serializers.CharField(read_only=True, help_text="The video link (empty: none).")
    seats_left = serializers.IntegerField(read_only=True)
    confirmed_count = serializers.IntegerField(read_only=True, help_text="Seats taken.")
    waitlist_count = serializers.IntegerField(read_only=True, help_text="People waiting.")
    my_signup = serializers.SerializerMethodField(
        help_text="confirmed (you have a seat), waitlisted, or null (not signed up)."
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="Its page.")

    class Meta:
        model = Session
        fields = [
            "slug", "title", "kind", "agenda", "organiser", "presenters", "starts_at", "ends_at",
            "location", "video_url", "capacity", "seats_left", "confirmed_count",
            "waitlist_count", "status", "skills", "my_signup", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_presenters(self, session: Session) -> list[str]:
        return [person.username for person in session.presenters.all()]

    def get_skills(self, session: Session) -> list[str]:
        return [skill.slug for skill in session.skills.all()]

    def get_my_signup(self, session: Session) -> str | None:
        mine = session.my_signups
        return mine[0].status if mine else None


class SessionDetailSerializer(SessionSerializer):
    waitlist_position = serializers.SerializerMethodField(
        help_text="Your place on the waitlist (1: the next seat is yours); null when you are "
        "not waiting."
    )

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "waitlist_position"]
        read_only_fields = fields

    def get_waitlist_position(self, session: Session) -> int | None:
        return session.waitlist_position


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX,
        help_text="Told to everyone signed up.",
    )  # fmt: skip


REFUSED = bad_request("Refused, nothing changed (cancelled, started, not signed up); "
                      "messages in `non_field_errors`.")  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        responses={200: SessionSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")},
    ),
    retrieve=extend_schema(
        parameters=[SESSION_SLUG],
        responses={200: SessionDetailSerializer, 404: not_found("session")},
    ),
)
class SessionViewSet(
    NulSafeLookup,
    ListFiltersOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Knowledge-sharing sessions you may see: upcoming ones soonest first (`?when=past`
    for the ones over, most recent first), with seats left and your own sign-up.
    `signup`, `leave` and `cancel` act as the session page's buttons and answer with the
    session."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["starts_at", "title"]

    def get_queryset(self):
        # The list is `training.selectors.sessions.session_list`, through `SessionFilter`.
        user = self.request.user
        return (
            Session.objects.visible_to(user)
            .with_seat_counts()
            .annotate(
                seats_left=Greatest(
                    F("capacity") - F("confirmed_count"), Value(0), output_field=IntegerField()
                )
            )
            .select_related("organiser")
            .prefetch_related("presenters")
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        with_skills(page)  # the page's skills in one query
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_serializer_class(self):
        return CancelSerializer if self.action == "cancel" else SessionSerializer

    def _detail(self) -> Response:
        session = self.get_object()
        page = session_page(session=session, user=self.request.user, can_manage=False)
        session.my_signups = [page.my_signup] if page.my_signup else []
        session.waitlist_position = page.waitlist_position
        return Response(SessionDetailSerializer(session).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._detail()

    def _act(self, service, **extra) -> Response:
        session = self.get_object()
        try:
            service(session=session, user=self.request.user, **extra)
        except SERVICE_REFUSALS as refused:
            raise refusal(refused) from None
        return self._detail()

    @extend_schema(
        request=None,
        parameters=[SESSION_SLUG],
        responses={200: SessionDetailSerializer, 400: REFUSED, 404: not_found("session")},
    )
    @action(detail=True, methods=["post"])
    def signup(self, request: Request, slug: str | None = None, format: str | None = None):
        """Sign up: a seat while any is left, else the back of the waitlist (`my_signup`
        says which). Signing up twice changes nothing."""
        return self._act(services.session_signup)

    @extend_schema(
        request=None,
        parameters=[SESSION_SLUG],
        responses={200: SessionDetailSerializer, 400: REFUSED, 404: not_found("session")},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, slug: str | None = None, format: str | None = None):
        """Cancel your sign-up (a seat or a place on the waitlist); a freed seat goes to the
        first person waiting, who is told."""
        return self._act(services.session_leave)

    @extend_schema(
        request=CancelSerializer,
        parameters=[SESSION_SLUG],
        responses={
            200: SessionDetailSerializer,
            400: REFUSED,
            403: forbidden("Only the organiser, the presenters and KB editors call it off."),
            404: not_found("session"),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, slug: str | None = None, format: str | None = None):
        """Call the session off (its organiser, presenters and KB editors); everyone signed
        up or waiting is told once, with the `reason` if given."""
        session = self.get_object()
        if not session.can_be_managed_by(request.user):
            raise PermissionDenied("Only the organiser, the presenters and KB editors can do that.")
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data.get("reason", "")
        return self._act(services.session_cancel, reason=reason)
