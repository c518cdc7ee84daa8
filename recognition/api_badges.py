"""Values and badges for integrators: the values kudos are given for (with what qualifies),
the badges still awarded (with how to earn them and whether you hold each), and the badges a
colleague was awarded, as their profile shows them. Read-only: admins change values and
badges in the admin, and badges are awarded by the sweep."""

from __future__ import annotations

import django_filters
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from people.models import User
from recognition.api_filters import BadgeAwardFilter
from recognition.models import Badge, BadgeAward, Value
from training.api.common import BAD_FILTER, not_found


class ValueSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="Its page.")

    class Meta:
        model = Value
        fields = ["slug", "name", "emoji", "description", "qualifies", "url"]
        read_only_fields = fields
        extra_kwargs = {"qualifies": {"help_text": "What makes an act qualify."}}


class BadgeSerializer(serializers.ModelSerializer):
    holder_count = serializers.IntegerField(read_only=True, help_text="Active holders.")
    earned_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When you earned it (null: not yet)."
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="Its page.")

    class Meta:
        model = Badge
        fields = [
            "rule", "name", "emoji", "description", "how_to_earn", "holder_count", "earned_at",
            "url",
        ]  # fmt: skip
        read_only_fields = fields


class BadgeAwardSerializer(serializers.ModelSerializer):
    badge = serializers.CharField(source="badge.rule", read_only=True, help_text="Its rule.")
    name = serializers.CharField(source="badge.name", read_only=True)
    emoji = serializers.CharField(source="badge.emoji", read_only=True)
    description = serializers.CharField(source="badge.description", read_only=True)
    person = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = BadgeAward
        fields = ["badge", "name", "emoji", "description", "person", "awarded_at"]
        read_only_fields = fields


class BadgeFilter(django_filters.FilterSet):
    earned = django_filters.BooleanFilter(
        method="_earned", help_text="true: only badges you hold; false: only those you do not."
    )

    class Meta:
        model = Badge
        fields: list[str] = []

    def _earned(self, queryset: QuerySet, name: str, earned: bool) -> QuerySet:
        return queryset.filter(earned_at__isnull=not earned)


@extend_schema_view(
    list=extend_schema(responses={200: ValueSerializer(many=True), 404: not_found("page")})
)
class ValueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The values kudos are given for, still offered, in their order: the slugs
    `POST /api/kudos/` takes."""

    serializer_class = ValueSerializer
    queryset = Value.objects.filter(is_active=True)
    ordering_fields = ["order", "name"]


@extend_schema_view(
    list=extend_schema(
        responses={200: BadgeSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")}
    )
)
class BadgeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The badges still awarded, with how to earn them, how many active colleagues hold each
    and when you earned it."""

    queryset = Badge.objects.none()  # for the schema; requests get `get_queryset`
    serializer_class = BadgeSerializer
    filterset_class = BadgeFilter
    ordering_fields = ["order", "name", "holder_count"]

    def get_queryset(self):
        mine = BadgeAward.objects.filter(badge=OuterRef("pk"), user=self.request.user)
        return (
            Badge.objects.filter(is_active=True)
            .annotate(
                holder_count=Count("awards", filter=Q(awards__user__is_active=True)),
                earned_at=Subquery(mine.values("awarded_at")[:1]),
            )
            .order_by("order", "name")
        )  # a grouped query drops the model's ordering


@extend_schema_view(
    list=extend_schema(
        responses={200: BadgeAwardSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")}
    )
)
class BadgeAwardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The badges a colleague was awarded (yours without `?person=`), newest first, as their
    profile lists them; a person not in the directory has none to show."""

    serializer_class = BadgeAwardSerializer
    filterset_class = BadgeAwardFilter
    ordering_fields = ["awarded_at"]

    def get_queryset(self):
        people = User.objects.visible_to(self.request.user)
        return BadgeAward.objects.filter(user__in=people).select_related("badge", "user")


ROUTES = [
    ("values", ValueViewSet, "value"),
    ("badges", BadgeViewSet, "badge"),
    ("badge-awards", BadgeAwardViewSet, "badge-award"),
]
