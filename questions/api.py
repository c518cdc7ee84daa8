"""Questions and answers for integrators: the lists (filters, ordering, pagination), one
question with its answers ranked (accepted first), asking, answering, voting and accepting,
through the same services and the same visibility rule as the pages.

A question the caller may not read is a 404, and so is an answer to one
(`Question.objects.visible_to`); who may accept is the model's to say (the asker or a KB
editor: anyone else who may read it gets 403); a refusal by state (a closed question, a vote
on one's own post) is a 400 with the service's message, and nothing changes.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kb.api import FORBIDDEN, THROTTLED, PersonRefSerializer, WriteThrottle, service_refusals
from kb.api_filters import SLUG_MAX
from kb.models import Category
from people.api import BAD_REQUEST, NOT_FOUND
from people.models import Team
from questions import services
from questions.api_filters import QuestionFilter
from questions.forms.ask import MAX_TAGS, TAG_MAX_CHARS
from questions.models import BODY_MAX, TITLE_MAX, Answer, Question, Vote
from questions.selectors.thread import answers_for_viewer, my_vote, question_for_viewer

QUESTION_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of a question you may read."
)
ANSWER_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of an answer to a question you may read."
)
MISSING = OpenApiResponse(
    NOT_FOUND.response, description="No such question or answer that you may read, or no such page."
)
ID_MAX = 2**63 - 1  # ids are 64-bit; a larger number names no row


def _pk_or_404(value: str) -> int:
    """A path's id as a number, or 404 for anything that cannot name a row."""
    if not value.isascii() or not value.isdigit() or int(value) > ID_MAX:
        raise Http404("No such question or answer, or it is not shared with you.")
    return int(value)


class AnswerSerializer(serializers.ModelSerializer):
    author = PersonRefSerializer()
    body_markdown = serializers.CharField(source="body")
    body_html = serializers.CharField(help_text="The rendered text: sanitised HTML.")
    score = serializers.IntegerField(default=0, help_text="The sum of the votes (+1/-1).")
    my_vote = serializers.IntegerField(
        default=None, allow_null=True, help_text="Your vote: 1, -1 or null."
    )
    accepted = serializers.BooleanField(source="is_accepted")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Answer
        fields = [
            "id", "question", "author", "body_markdown", "body_html", "score", "my_vote",
            "accepted", "accepted_at", "created_at", "updated_at", "url",
        ]  # fmt: skip
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    """A question as the lists show it."""

    author = serializers.CharField(source="author.username", help_text="The asker's username.")
    category = serializers.CharField(
        source="category.slug", allow_null=True, default=None, help_text="A category slug."
    )
    tags = serializers.SerializerMethodField()
    answer_count = serializers.IntegerField()
    score = serializers.IntegerField(help_text="The sum of the votes (+1/-1).")
    has_accepted_answer = serializers.BooleanField(source="has_accepted")
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Question
        fields = [
            "id", "title", "status", "urgency", "author", "category", "tags", "answer_count",
            "score", "has_accepted_answer", "created_at", "last_activity_at", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_tags(self, question: Question) -> list[str]:
        """Tag slugs."""
        return [tag.slug for tag in question.tags.all()]


class QuestionDetailSerializer(serializers.ModelSerializer):
    """One question with its text, who may read it, and its answers ranked: the accepted
    one first, then by votes, then oldest first."""

    author = PersonRefSerializer()
    body_markdown = serializers.CharField(source="body")
    body_html = serializers.CharField(help_text="The rendered details: sanitised HTML.")
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)
    tags = serializers.SerializerMethodField()
    teams = serializers.SerializerMethodField()
    answer_count = serializers.IntegerField()
    score = serializers.IntegerField()
    my_vote = serializers.IntegerField(allow_null=True, help_text="Your vote: 1, -1 or null.")
    can_accept_answers = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Question
        fields = [
            "id", "title", "status", "urgency", "visibility", "teams", "author",
            "body_markdown", "body_html", "category", "tags", "answer_count", "score",
            "my_vote", "can_accept_answers", "created_at", "last_activity_at", "closed_at",
            "answers", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_tags(self, question: Question) -> list[str]:
        return [tag.slug for tag in question.tags.all()]

    def get_teams(self, question: Question) -> list[str]:
        """The slugs of the teams that may read it (empty: everyone may)."""
        return [team.slug for team in question.teams.all()]

    def get_can_accept_answers(self, question: Question) -> bool:
        """Whether you may accept an answer now (the asker or a KB editor, while it is open)."""
        return question.can_accept_answers(self.context["request"].user)

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, question: Question) -> list:
        viewer = self.context["request"].user
        answers = answers_for_viewer(question=question, viewer=viewer)
        return AnswerSerializer(answers, many=True).data


class AskSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, help_text="The question in one line.")
    body = serializers.CharField(
        max_length=BODY_MAX, required=False, allow_blank=True, default="", trim_whitespace=False,
        help_text="Details (Markdown); @username notifies a colleague who may read it.",
    )  # fmt: skip
    tags = serializers.ListField(
        child=serializers.CharField(max_length=TAG_MAX_CHARS),
        max_length=MAX_TAGS,
        required=False,
        default=list,
        help_text="Tag names of the knowledge base.",
    )
    category = serializers.SlugField(
        max_length=SLUG_MAX, required=False, allow_null=True, default=None,
        help_text="A category slug.",
    )  # fmt: skip
    visibility = serializers.ChoiceField(
        choices=Question.Visibility.choices, default=Question.Visibility.EVERYONE
    )
    teams = serializers.ListField(
        child=serializers.SlugField(max_length=SLUG_MAX),
        max_length=50,
        required=False,
        default=list,
        help_text="Team slugs, with `visibility: teams`.",
    )
    urgency = serializers.ChoiceField(
        choices=Question.Urgency.choices, default=Question.Urgency.NORMAL
    )

    def validate_category(self, slug: str | None) -> Category | None:
        if not slug:
            return None
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            raise ValidationError("No such category.")
        return category

    def validate_teams(self, slugs: list[str]) -> list[Team]:
        teams = list(Team.objects.filter(slug__in=slugs))
        if len(teams) != len(set(slugs)):
            raise ValidationError("No such team: use the slugs of existing teams.")
        return teams


class AnswerPostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX, help_text="Markdown.")


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[(Vote.UP, "up"), (Vote.DOWN, "down")],
        help_text="1 (up) or -1 (down). The same vote again takes it back.",
    )


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="The post's score after your vote.")


class AcceptSerializer(serializers.Serializer):
    accept = serializers.BooleanField(
        default=True, help_text="`false` takes the acceptance back (the question opens again)."
    )


def _vote(request: Request, **post) -> Response:
    vote = VoteSerializer(data=request.data)
    vote.is_valid(raise_exception=True)
    with service_refusals():
        score = services.vote_cast(voter=request.user, value=vote.validated_data["value"], **post)
    return Response(ScoreSerializer({"score": score}).data)


class _Writes:
    """Writes are throttled per person as well as every request (`WriteThrottle`)."""

    throttle_scope = "questions-write"

    def get_throttles(self):
        if self.request.method == "POST":
            return [*super().get_throttles(), WriteThrottle()]
        return super().get_throttles()


class QuestionViewSet(
    _Writes,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Questions you may read, newest first. Filters: `status`, `tag` and `category`
    (slugs), `mine` and `for_me` (`true`); without `status` or `mine`, deflected questions
    are left out, as on the page. `ordering`: `created_at`, `last_activity_at`, `score`,
    `answer_count` (`-` first for the highest first)."""

    lookup_value_regex = "[^/]+"
    filterset_class = QuestionFilter
    ordering_fields = ["created_at", "last_activity_at", "score", "answer_count"]
    ordering = ["-created_at", "-pk"]

    def get_serializer_class(self):
        return {
            "retrieve": QuestionDetailSerializer,
            "create": AskSerializer,
            "answers": AnswerPostSerializer,
            "vote": VoteSerializer,
        }.get(self.action, QuestionSerializer)

    def get_queryset(self):
        questions = Question.objects.visible_to(self.request.user)
        if self.action != "list":
            return questions
        accepted = Answer.objects.accepted().filter(question=OuterRef("pk"))
        return (
            questions.with_counts()
            .annotate(has_accepted=Exists(accepted))
            .select_related("author", "category")
            .prefetch_related("tags")
        )

    def get_object(self) -> Question:
        pk = _pk_or_404(self.kwargs["pk"])
        if self.action == "retrieve":
            question = question_for_viewer(viewer=self.request.user, pk=pk)
        else:
            question = self.get_queryset().filter(pk=pk).first()
        if question is None:
            raise Http404("No such question, or it is not shared with you.")
        return question

    @extend_schema(responses={200: QuestionSerializer(many=True), 400: BAD_REQUEST, 404: MISSING})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[QUESTION_ID], responses={200: QuestionDetailSerializer, 404: MISSING}
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        """One question you may read, with its answers (accepted first)."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=AskSerializer,
        responses={201: QuestionDetailSerializer, 400: BAD_REQUEST, 429: THROTTLED},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Ask the team: the likely experts are told, as when asking on the page. Tags must be
        tags of the knowledge base; `visibility: teams` needs at least one team."""
        ask = AskSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        with service_refusals():
            question = services.question_ask(author=request.user, **ask.validated_data)
        question = question_for_viewer(viewer=request.user, pk=question.pk)
        body = QuestionDetailSerializer(question, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[QUESTION_ID],
        request=AnswerPostSerializer,
        responses={201: AnswerSerializer, 400: BAD_REQUEST, 404: MISSING, 429: THROTTLED},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def answers(self, request: Request, pk: str | None = None, format: str | None = None):
        """Answer a question (open or answered; a closed one takes no more answers: 400)."""
        question = self.get_object()
        answer = AnswerPostSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        with service_refusals():
            posted = services.answer_post(
                question=question, author=request.user, body=answer.validated_data["body"]
            )
        return Response(AnswerSerializer(posted).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[QUESTION_ID],
        request=VoteSerializer,
        responses={200: ScoreSerializer, 400: BAD_REQUEST, 404: MISSING, 429: THROTTLED},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def vote(self, request: Request, pk: str | None = None, format: str | None = None):
        """Vote the question up or down (never your own)."""
        return _vote(request, question=self.get_object())


class AnswerViewSet(_Writes, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Answers to the questions you may read: one answer, voting on it, accepting it."""

    serializer_class = AnswerSerializer
    lookup_value_regex = "[^/]+"
    filter_backends: list = []

    def get_queryset(self):
        return (
            Answer.objects.visible_to(self.request.user)
            .with_score()
            .annotate(my_vote=my_vote(self.request.user, "answer"))
            .select_related("author", "question")
        )

    def get_object(self) -> Answer:
        answer = self.get_queryset().filter(pk=_pk_or_404(self.kwargs["pk"])).first()
        if answer is None:
            raise Http404("No such answer, or its question is not shared with you.")
        return answer

    @extend_schema(parameters=[ANSWER_ID], responses={200: AnswerSerializer, 404: MISSING})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[ANSWER_ID],
        request=VoteSerializer,
        responses={200: ScoreSerializer, 400: BAD_REQUEST, 404: MISSING, 429: THROTTLED},
    )
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk: str | None = None, format: str | None = None):
        """Vote the answer up or down (never your own)."""
        return _vote(request, answer=self.get_object())

    @extend_schema(
        parameters=[ANSWER_ID],
        request=AcceptSerializer,
        responses={
            200: AnswerSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: MISSING,
            429: THROTTLED,
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None, format: str | None = None):
        """Accept the answer (the asker or a KB editor; others 403): the question is answered.
        `accept: false` takes it back."""
        answer = self.get_object()
        choice = AcceptSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        with service_refusals():
            services.answer_accept(
                answer=answer, user=request.user, accept=choice.validated_data["accept"]
            )
        return Response(AnswerSerializer(self.get_object()).data)


# Registered on the project's router (prefix, viewset, basename); PATHS sit beside them.
ROUTES = [("questions", QuestionViewSet, "question"), ("answers", AnswerViewSet, "answer")]
PATHS: list = []
