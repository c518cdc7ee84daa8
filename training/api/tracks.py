"""Tracks and my enrolments: the catalogue as the caller may take it, a track with its steps
as the caller takes them (a step they may not open is named without its article or session,
as on the track page), enrolling and leaving, and completing a step of one's own enrolment."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from training.api.common import (
    BAD_FILTER,
    ID_MAX,
    SERVICE_REFUSALS,
    ListFiltersOnly,
    NulSafeLookup,
    bad_request,
    not_found,
    refusal,
)
from training.api.filters import SLUG_MAX, EnrolmentFilter, TrackFilter
from training.models import Enrolment, StepCompletion, Track, TrackStep
from training.selectors import learning
from training.selectors.editor import catalogue_rows, catalogue_tracks
from training.services import learning as services

TRACK_SLUG = OpenApiParameter(
    "slug", str, OpenApiParameter.PATH, description="The slug of a track you may open."
)
ENROLMENT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of one of your enrolments."
)
STEP_ID = OpenApiParameter(
    "step", int, OpenApiParameter.PATH, description="The id of a step of the enrolment's track."
)
NOT_OPEN = "This track is not open for enrolment."


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Steps done among those that count for you.")
    total = serializers.IntegerField(help_text="Steps that count for you (not skipped).")
    percent = serializers.IntegerField(help_text="Rounded down: only every step done is 100.")


class TrackSerializer(serializers.Serializer):
    """A track of the catalogue (`training.selectors.editor.CatalogueRow`)."""

    slug = serializers.SlugField(source="track.slug")
    title = serializers.CharField(source="track.title")
    description = serializers.CharField(source="track.description")
    skills = serializers.SerializerMethodField(help_text="The slugs of the skills it builds.")
    estimated_minutes = serializers.IntegerField(source="track.estimated_minutes")
    owner = serializers.CharField(source="track.owner.username")
    published_at = serializers.DateTimeField(source="track.published_at", allow_null=True)
    step_count = serializers.IntegerField(help_text="Steps that count for you.")
    my_status = serializers.CharField(
        source="status",
        help_text="not_started, in_progress or completed; empty when you do not take it.",
    )
    url = serializers.CharField(source="track.get_absolute_url", help_text="Its page.")

    def get_skills(self, row) -> list[str]:
        return [skill.slug for skill in row.skills]


class StepSerializer(serializers.Serializer):
    """A step as the caller takes it (`training.selectors.learning.StepRow`)."""

    id = serializers.IntegerField(source="step.pk")
    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TrackStep.Kind.choices, source="step.kind")
    title = serializers.CharField()
    state = serializers.CharField(
        help_text="todo, done, awaiting (a reviewer), outdated (the article changed since you "
        "read it), skipped (you may not open it), session_over or attendance_pending."
    )
    article = serializers.SerializerMethodField(help_text="The article's slug (read steps).")
    session = serializers.SerializerMethodField(help_text="The session's slug (attend steps).")
    url = serializers.SerializerMethodField(help_text="The step's page; null when skipped.")

    def get_article(self, row) -> str | None:
        article = row.step.article if row.step.article_id and not row.is_skipped else None
        return article.slug if article else None

    def get_session(self, row) -> str | None:
        session = row.step.session if row.step.session_id and not row.is_skipped else None
        return session.slug if session else None

    def get_url(self, row) -> str | None:
        return None if row.is_skipped else row.url


class TrackDetailSerializer(serializers.Serializer):
    """A track as its page shows it to the caller (`training.selectors.learning.TrackPage`)."""

    slug = serializers.SlugField(source="track.slug")
    title = serializers.CharField(source="track.title")
    description = serializers.CharField(source="track.description")
    skills = serializers.SerializerMethodField(help_text="The slugs of the skills it builds.")
    estimated_minutes = serializers.IntegerField(source="track.estimated_minutes")
    owner = serializers.CharField(source="track.owner.username")
    status = serializers.ChoiceField(choices=Track.Status.choices, source="track.status")
    published_at = serializers.DateTimeField(source="track.published_at", allow_null=True)
    enrolment = serializers.SerializerMethodField(
        help_text="The id of your enrolment; null when you do not take it (or left it)."
    )
    my_status = serializers.CharField(
        source="status",
        help_text="not_started, in_progress or completed; empty when you do not take it.",
    )
    progress = ProgressSerializer()
    due_on = serializers.SerializerMethodField()
    overdue = serializers.BooleanField()
    steps = StepSerializer(many=True, source="rows")
    url = serializers.CharField(source="track.get_absolute_url", help_text="Its page.")

    def get_skills(self, page) -> list[str]:
        return [skill.slug for skill in page.skills]

    def get_enrolment(self, page) -> int | None:
        return page.enrolment.pk if page.is_learner else None

    def get_due_on(self, page) -> str | None:
        due = page.enrolment.due_on if page.is_learner else None
        return due.isoformat() if due else None


class EnrolmentSerializer(serializers.Serializer):
    """One of the caller's enrolments (`training.selectors.learning.EnrolmentRow`)."""

    id = serializers.IntegerField(source="enrolment.pk")
    track = serializers.SlugField(source="enrolment.track.slug", help_text="The track's slug.")
    track_title = serializers.CharField(source="enrolment.track.title")
    status = serializers.CharField(
        help_text="not_started, in_progress or completed (as `my_status` on a track)."
    )
    progress = ProgressSerializer()
    assigned = serializers.SerializerMethodField(help_text="Whether a manager assigned it.")
    due_on = serializers.DateField(source="enrolment.due_on", allow_null=True)
    due_soon = serializers.BooleanField()
    overdue = serializers.BooleanField()
    enrolled_at = serializers.DateTimeField(source="enrolment.enrolled_at")
    completed_at = serializers.DateTimeField(source="enrolment.completed_at", allow_null=True)
    certificate_url = serializers.SerializerMethodField(
        help_text="The certificate's page, once completed; null before."
    )

    def get_assigned(self, row) -> bool:
        return row.enrolment.assigned_by_id is not None

    def get_certificate_url(self, row) -> str | None:
        enrolment = row.enrolment
        return enrolment.get_certificate_url() if enrolment.is_completed else None


class EnrolSerializer(serializers.Serializer):
    track = serializers.SlugField(
        max_length=SLUG_MAX,
        help_text="The slug of a published track you may take.",
        error_messages={"invalid": NOT_OPEN, "max_length": NOT_OPEN},
    )


class StepCompleteSerializer(serializers.Serializer):
    """What completing a step takes: nothing for a read or an external step, `evidence` for a
    practical task, `answers` for a quiz."""

    evidence = serializers.CharField(
        required=False, allow_blank=True, max_length=services.EVIDENCE_MAX_LENGTH,
        trim_whitespace=True, help_text="A practical task's evidence: what you did and learned.",
    )  # fmt: skip
    answers = serializers.DictField(
        required=False,
        child=serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=ID_MAX), max_length=50
        ),
        help_text="A quiz's answers: question id to the chosen option ids.",
    )


class StepCompletedSerializer(serializers.Serializer):
    step = serializers.IntegerField(help_text="The step's id.")
    state = serializers.ChoiceField(
        choices=["done", "awaiting_review", "failed"],
        help_text="done; awaiting_review (a task waiting for a reviewer); failed (a quiz "
        "attempt below the pass mark: try again).",
    )
    score = serializers.IntegerField(allow_null=True, help_text="A quiz attempt's percent.")
    enrolment_status = serializers.ChoiceField(
        choices=Enrolment.Status.choices, help_text="`completed` once every step is done."
    )


def _enrolment_rows(user, enrolments: list[Enrolment]) -> list[learning.EnrolmentRow]:
    counted, _ = learning.counted_steps(track_ids={e.track_id for e in enrolments}, user=user)
    return learning.enrolment_rows(
        enrolments=enrolments, counted=counted, today=timezone.localdate()
    )


@extend_schema_view(
    list=extend_schema(
        responses={200: TrackSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")},
    ),
    retrieve=extend_schema(
        parameters=[TRACK_SLUG],
        responses={200: TrackDetailSerializer, 404: not_found("track")},
    ),
)
class TrackViewSet(
    NulSafeLookup,
    ListFiltersOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Training tracks. The list is the catalogue: published tracks you may take, by title,
    with your own status on each; a track's page (drafts for their owner and KB editors, a
    track you take even after it changed audience) lists its steps as you take them."""

    # The schema reads the model here; `get_queryset` is what requests get.
    queryset = Track.objects.none()
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    ordering_fields = ["title", "published_at", "estimated_minutes"]

    def get_queryset(self):
        if self.action == "list":
            return catalogue_tracks(user=self.request.user)
        return Track.objects.visible_to(self.request.user).select_related("owner")

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = catalogue_rows(user=request.user, tracks=page)
        return self.get_paginated_response(TrackSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        track = self.get_object()
        page = learning.track_page(track=track, user=request.user)
        return Response(TrackDetailSerializer(page).data)


@extend_schema_view(
    list=extend_schema(
        responses={200: EnrolmentSerializer(many=True), 400: BAD_FILTER, 404: not_found("page")},
    ),
    retrieve=extend_schema(
        parameters=[ENROLMENT_ID],
        responses={200: EnrolmentSerializer, 404: not_found("enrolment")},
    ),
    create=extend_schema(
        request=EnrolSerializer,
        responses={
            200: EnrolmentSerializer,
            201: EnrolmentSerializer,
            400: bad_request("Not enrolled: not a track you may take; messages by field."),
        },
    ),
)
class EnrolmentViewSet(
    ListFiltersOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Your training, as "my training" shows it: the tracks you take or completed (not the
    ones you left), newest first. `POST` enrols you in a track (201; 200 when you already
    take it); a step is completed at `/api/enrolments/<id>/steps/<step>/complete/`."""

    queryset = Enrolment.objects.none()  # for the schema; requests get `get_queryset`
    lookup_value_regex = "[^/]+"
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
    ordering_fields = ["enrolled_at", "due_on", "completed_at"]

    def get_queryset(self):
        user = self.request.user
        visible = Track.objects.visible_to(user).values("pk")
        return (
            Enrolment.objects.filter(user=user)
            .current()
            # A completed track keeps its certificate even if the track is unpublished since.
            .filter(Q(status=Enrolment.Status.COMPLETED) | Q(track__in=visible))
            .select_related("track")
        )

    def get_serializer_class(self):
        return {"create": EnrolSerializer, "complete": StepCompleteSerializer}.get(
            self.action, EnrolmentSerializer
        )

    def _row(self, enrolment: Enrolment) -> dict:
        enrolment = self.get_queryset().get(pk=enrolment.pk)
        return EnrolmentSerializer(_enrolment_rows(self.request.user, [enrolment])[0]).data

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = _enrolment_rows(request.user, list(page))
        return self.get_paginated_response(EnrolmentSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        enrolment = self.get_object()
        return Response(EnrolmentSerializer(_enrolment_rows(request.user, [enrolment])[0]).data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Enrol in a track, through `training.services.learning.track_enrol`: a track you
        may not take is refused in the same words as one that does not exist."""
        serializer = EnrolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        track = Track.objects.filter(slug=serializer.validated_data["track"]).first()
        if track is None:
            raise ValidationError({"track": [NOT_OPEN]})
        taking = Enrolment.objects.filter(user=request.user, track=track).current().exists()
        try:
            enrolment = services.track_enrol(track=track, user=request.user)
        except SERVICE_REFUSALS as refused:
            raise refusal(refused) from None
        answer = status.HTTP_200_OK if taking else status.HTTP_201_CREATED
        return Response(self._row(enrolment), status=answer)

    @extend_schema(
        request=None,
        parameters=[ENROLMENT_ID],
        responses={
            200: EnrolmentSerializer,
            400: bad_request("Not left: a completed track keeps its certificate."),
            404: not_found("enrolment"),
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None, format: str | None = None):
        """Leave a track you take; your progress is kept if you enrol again (the enrolment
        then leaves this list until you do)."""
        enrolment = self.get_object()
        try:
            enrolment = services.track_withdraw(enrolment=enrolment, user=request.user)
        except SERVICE_REFUSALS as refused:
            raise refusal(refused) from None
        row = _enrolment_rows(request.user, [enrolment])[0]
        return Response(EnrolmentSerializer(row).data)

    @extend_schema(
        request=StepCompleteSerializer,
        parameters=[ENROLMENT_ID, STEP_ID],
        responses={
            200: StepCompletedSerializer,
            400: bad_request("Not completed (a step you may not open, a session step, a task "
                             "without evidence, answers not of this quiz); messages by field."),
            404: not_found("enrolment or step"),
        },
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<step>[^/]+)/complete")
    def complete(
        self, request: Request, pk: str | None = None, step: str | None = None,
        format: str | None = None,
    ) -> Response:  # fmt: skip
        """Complete a step of your own enrolment, as its page does: an article read (again,
        once it changed), an external resource gone through, a practical task handed in with
        `evidence` (waiting for a reviewer when the step asks for one), or a quiz attempt
        with `answers` (done when it reaches the pass mark). A session step is completed by
        the presenter's attendance record."""
        enrolment = self.get_object()
        step = get_object_or_404(
            TrackStep.objects.select_related("article__published_revision", "session"),
            pk=step,
            track_id=enrolment.track_id,
        )
        serializer = StepCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        score = None
        try:
            if step.kind == TrackStep.Kind.ARTICLE:
                state = services.article_step_read(enrolment=enrolment, step=step).status
            elif step.kind == TrackStep.Kind.EXTERNAL:
                state = services.external_step_done(enrolment=enrolment, step=step).status
            elif step.kind == TrackStep.Kind.TASK:
                completion = services.task_evidence_submit(
                    enrolment=enrolment, step=step, evidence=data.get("evidence", "")
                )
                state = completion.status
            elif step.kind == TrackStep.Kind.QUIZ:
                attempt = services.quiz_attempt_submit(
                    enrolment=enrolment, step=step, answers=data.get("answers", {})
                )
                score = attempt.score
                state = StepCompletion.Status.DONE if attempt.passed else "failed"
            else:
                raise ValidationError(
                    {"non_field_errors": ["The presenter's attendance record completes this step."]}
                )
        except SERVICE_REFUSALS as refused:
            raise refusal(refused) from None
        enrolment.refresh_from_db(fields=["status"])
        body = {"step": step.pk, "state": state, "score": score,
                "enrolment_status": enrolment.status}  # fmt: skip
        return Response(StepCompletedSerializer(body).data)
