"""Kudos for integrators (a chat bot, a helpdesk app): the wall as the caller may see it, giving
kudos and reacting, with the same rules and the same words as the site's forms.

What the caller may not open is never named: the work a kudos was for carries its id and title
only where the caller may open it (the same rule as the wall's cards); a reported or removed
kudos is listed to its giver and admins only (`Kudos.objects.visible_to`). Messages are the
raw text people typed: JSON is not HTML, and a client that renders it escapes it.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from kb.models import Article
from mentorship.models import Pairing
from people import api as people_api
from people.models import User
from people.validators import validate_single_line
from recognition.api_badges import ROUTES as BADGE_ROUTES
from recognition.api_filters import KudosFilter
from recognition.forms.kudos import NO_ARTICLE, NO_PAIRING, NO_SESSION, TICKET_MAX, USERNAME_MAX
from recognition.models import Kudos, Reaction, Value
from recognition.models.kudos import MESSAGE_MAX, POINTS_MAX
from recognition.selectors.wall import kudos_card, kudos_cards
from recognition.services import kudos as kudos_services
from recognition.services.kudos import MAX_RECIPIENTS
from training.api.common import BAD_FILTER, ListFiltersOnly, bad_request, error, not_found
from training.models import Session

# The id is documented as what it is; the route takes any segment (see `lookup_value_regex`).
KUDOS_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of a kudos you may see."
)
# The project's one error body (`people.api`), described for these operations.
NOT_FOUND = not_found("kudos")
BAD_REQUEST = bad_request(
    "Refused, nothing saved: messages by field in `fields` (an item of a list by its "
    "position, `recipients.0`), the rest in `detail`."
)
THROTTLED = error(
    people_api.NOT_FOUND, "Too many kudos posted in a short time: wait and post again."
)
# More values than this on one kudos is not a choice (six are seeded).
VALUES_MAX = 20
# Ids are 64-bit; a larger number is no row, refused as a number out of range.
ID_MAX = 2**63 - 1

# What a kudos was for, as far as the caller may know (see `KudosSerializer.get_target`).
TARGET_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "What the kudos was for (null: nothing in particular). `kind` is article, "
    "session, pairing or customer; `id`, `title` and `url` are there only when you may open "
    "the work (a mentorship never has a title); a customer interaction has its ticket "
    "reference and, when there is one, what the customer said.",
    "properties": {
        "kind": {"type": "string", "enum": ["article", "session", "pairing", "customer"]},
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "ticket_ref": {"type": "string"},
        "customer_quote": {"type": "string"},
    },
    "required": ["kind"],
    "additionalProperties": False,
}


class KudosPersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class KudosReactionCountSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reaction.Kind.values, read_only=True)
    emoji = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    mine = serializers.BooleanField(read_only=True, help_text="Whether you reacted so.")


class KudosSerializer(serializers.Serializer):
    """A kudos as `recognition.selectors.wall.kudos_cards` loads it (with its `card`)."""

    id = serializers.IntegerField(read_only=True)
    giver = KudosPersonSerializer(read_only=True)
    recipients = serializers.SerializerMethodField()
    values = serializers.SerializerMethodField(help_text="The values' slugs.")
    points = serializers.IntegerField(read_only=True, help_text="Points each recipient got.")
    message = serializers.CharField(
        read_only=True, help_text="As typed: plain text, not HTML (escape it to show it)."
    )
    created_at = serializers.DateTimeField(read_only=True)
    target = serializers.SerializerMethodField()
    reactions = KudosReactionCountSerializer(
        many=True, read_only=True, source="card.reactions", help_text="One row per kind."
    )
    comment_count = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=Kudos.Status.values,
        read_only=True,
        help_text="`visible` for everyone; a reported or removed kudos is listed to its giver "
        "and admins only.",
    )

    @cached_property
    def _person(self) -> KudosPersonSerializer:
        # One person serializer for every recipient of the list: a new one per recipient
        # copied its fields each time, a quarter of a page of kudos.
        return KudosPersonSerializer()

    @extend_schema_field(KudosPersonSerializer(many=True))
    def get_recipients(self, kudos: Kudos) -> list[dict]:
        return [self._person.to_representation(row.recipient) for row in kudos.recipient_rows.all()]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_values(self, kudos: Kudos) -> list[str]:
        return [value.slug for value in kudos.values.all()]

    @extend_schema_field(TARGET_SCHEMA)
    def get_target(self, kudos: Kudos) -> dict | None:
        target = kudos.card.target
        if target is None:
            return None
        if target.kind == "customer":
            shown = {"kind": "customer", "ticket_ref": target.ticket_ref}
            return {**shown, "customer_quote": target.quote} if target.quote else shown
        # The card's url is empty exactly when the caller may not open the work.
        if not target.url:
            return {"kind": target.kind}
        work_id = {"article": kudos.article_id, "session": kudos.session_id}.get(
            target.kind, kudos.pairing_id
        )
        shown = {"kind": target.kind, "id": work_id, "url": target.url}
        return {**shown, "title": target.title} if target.title else shown


class KudosCreateSerializer(serializers.Serializer):
    """What `POST /api/kudos/` takes. Types and lengths are checked here; the rules (not
    yourself, nobody inactive, what is left of your allowance, one piece of work at most) are
    `recognition.services.kudos.kudos_give`'s, in the words of the site's form."""

    recipients = serializers.ListField(
        child=serializers.CharField(max_length=USERNAME_MAX),
        allow_empty=False,
        max_length=MAX_RECIPIENTS,
        help_text="The usernames of the colleagues you thank.",
        error_messages={
            "empty": "Choose at least one colleague.",
            "max_length": f"Choose at most {MAX_RECIPIENTS} colleagues.",
        },
    )
    values = serializers.ListField(
        child=serializers.SlugField(max_length=Value._meta.get_field("slug").max_length),
        allow_empty=False,
        max_length=VALUES_MAX,
        help_text="The slugs of the values they showed (`/api/values/` lists them).",
        error_messages={"empty": "Choose at least one value."},
    )
    points = serializers.IntegerField(
        min_value=0,
        max_value=POINTS_MAX,
        default=10,
        help_text="Points for each colleague, paid from your monthly allowance.",
        error_messages={
            "min_value": "Points cannot be negative.",
            "max_value": f"Give at most {POINTS_MAX:,} points to each colleague.",
            "invalid": "Write the points as a whole number.",
        },
    )
    message = serializers.CharField(
        max_length=MESSAGE_MAX,
        help_text="What they did and why it mattered (plain text; links become clickable).",
        error_messages={
            "blank": "Write a message.",
            "max_length": "Keep the message to {max_length} characters.",
        },
    )
    article = serializers.SlugField(
        required=False,
        allow_blank=True,
        max_length=Article._meta.get_field("slug").max_length,
        help_text="The slug of a published knowledge base article it was for.",
        error_messages={"invalid": NO_ARTICLE, "max_length": NO_ARTICLE},
    )
    session = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX,
        help_text="The id of a training session it was for.",
    )  # fmt: skip
    pairing = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX,
        help_text="The id of a mentorship pairing you are part of that it was for.",
    )  # fmt: skip
    ticket_ref = serializers.CharField(
        required=False, allow_blank=True, max_length=TICKET_MAX, validators=[validate_single_line],
        help_text="The ticket of a customer interaction it was for.",
    )  # fmt: skip
    customer_quote = serializers.CharField(
        required=False, allow_blank=True, max_length=MESSAGE_MAX, trim_whitespace=True,
        help_text="What the customer said (with `ticket_ref`).",
    )  # fmt: skip

    def validate_recipients(self, names: list[str]) -> list[User]:
        # Inactive people are found too: the service says why they cannot be thanked.
        found = {person.username: person for person in User.objects.filter(username__in=names)}
        missing = [name for name in dict.fromkeys(names) if name not in found]
        if missing:
            shown = ", ".join(f"“{name}”" for name in missing[:5])
            raise ValidationError(f"No colleague has the username {shown}.")
        return [found[name] for name in dict.fromkeys(names)]

    def validate_values(self, slugs: list[str]) -> list[Value]:
        found = {value.slug: value for value in Value.objects.filter(slug__in=slugs)}
        missing = [slug for slug in dict.fromkeys(slugs) if slug not in found]
        if missing:
            raise ValidationError(f"“{missing[0]}” is not one of the values offered.")
        return [found[slug] for slug in dict.fromkeys(slugs)]

    # Work the giver may not open is refused in the same words as work that does not exist.

    def validate_article(self, slug: str) -> Article | None:
        if not slug:
            return None
        giver = self.context["request"].user
        article = Article.objects.published().visible_to(giver).filter(slug=slug).first()
        if article is None:
            raise ValidationError(NO_ARTICLE)
        return article

    def validate_session(self, pk: int | None) -> Session | None:
        if pk is None:
            return None
        giver = self.context["request"].user
        session = Session.objects.visible_to(giver).filter(pk=pk).first()
        if session is None:
            raise ValidationError(NO_SESSION)
        return session

    def validate_pairing(self, pk: int | None) -> Pairing | None:
        if pk is None:
            return None
        giver = self.context["request"].user
        # The pairings the give form offers: the giver's, running or completed.
        pairing = (
            Pairing.objects.filter(Q(mentor=giver) | Q(mentee=giver), pk=pk)
            .filter(status__in=[Pairing.Status.ACTIVE, Pairing.Status.COMPLETED])
            .first()
        )
        if pairing is None:
            raise ValidationError(NO_PAIRING)
        return pairing


class KudosReactSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Reaction.Kind.values,
        help_text="clap, heart, party, strong or star.",
        error_messages={"invalid_choice": "Choose one of the offered reactions."},
    )
    on = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: make it yours, false: take it back, left out: toggle.",
    )


def _refusal(error: DjangoValidationError) -> ValidationError:
    """The service's refusal as DRF's 400: messages by field, the rest as non-field errors."""
    if hasattr(error, "error_dict"):
        detail = {
            "non_field_errors" if name == "__all__" else name: messages
            for name, messages in error.message_dict.items()
        }
    else:
        detail = {"non_field_errors": error.messages}
    return ValidationError(detail)


@extend_schema_view(
    list=extend_schema(
        responses={200: KudosSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")}
    ),
    retrieve=extend_schema(parameters=[KUDOS_ID], responses={200: KudosSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        request=KudosCreateSerializer,
        responses={201: KudosSerializer, 400: BAD_REQUEST, 429: THROTTLED},
    ),
)
class KudosViewSet(
    ListFiltersOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """The kudos wall, newest first: every visible kudos, and your own while reported or
    removed (all of them for admins); `?team=`, `?person=`, `?value=` and `?period=` narrow it
    as the wall's filters do. `POST` gives kudos from your monthly allowance (the values'
    slugs are listed at `/api/values/`); a reaction is posted to `/api/kudos/<id>/react/`."""

    serializer_class = KudosSerializer
    # Any path segment reaches the view, so `/api/kudos/0.5/` is DRF's JSON 404 rather than
    # the HTML page of an unmatched URL (the router's default stops at a dot).
    lookup_value_regex = "[^/]+"
    # Posting is limited per person (settings REST_FRAMEWORK's "kudos" rate); reading is not.
    throttle_scope = "kudos"
    filterset_class = KudosFilter

    def get_throttles(self):
        if self.action == "create":
            return [ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return Kudos.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return KudosCreateSerializer
        if self.action == "react":
            return KudosReactSerializer
        return KudosSerializer

    def _card(self, kudos: Kudos) -> dict:
        card = kudos_card(viewer=self.request.user, pk=kudos.pk)
        return KudosSerializer(card, context=self.get_serializer_context()).data

    def list(self, request: Request, *args, **kwargs) -> Response:
        # A page of ids, then the page's cards in a constant number of queries.
        kudos = self.filter_queryset(self.get_queryset())
        ids = self.paginate_queryset(kudos.values_list("pk", flat=True))
        cards = {
            k.pk: k
            for k in kudos_cards(viewer=request.user, kudos=Kudos.objects.filter(pk__in=ids))
        }
        rows = [cards[pk] for pk in ids if pk in cards]
        data = KudosSerializer(rows, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self._card(self.get_object()))

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Give kudos; 201 with the kudos, or 400 with the reasons by field (nothing saved)."""
        serializer = KudosCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            kudos = kudos_services.kudos_give(giver=request.user, **serializer.validated_data)
        except DjangoValidationError as refusal:
            raise _refusal(refusal) from None
        return Response(self._card(kudos), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=KudosReactSerializer,
        parameters=[KUDOS_ID],
        responses={200: KudosSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def react(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        """Toggle your reaction of `kind` on a kudos (or set it with `on`); answers with the
        kudos and its reaction counts. Reactions are closed while a kudos is under review."""
        kudos = self.get_object()
        serializer = KudosReactSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            kudos_services.reaction_toggle(
                kudos=kudos, user=request.user, **serializer.validated_data
            )
        except DjangoValidationError as refusal:
            raise _refusal(refusal) from None
        return Response(self._card(kudos))


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("kudos", KudosViewSet, "kudos"), *BADGE_ROUTES]
PATHS: list = []
