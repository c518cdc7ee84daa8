"""Training in the admin: every model, read-mostly. State changes (publishing a track,
cancelling a session, issuing a new calendar address) are actions that call the services, so
they run the same checks, notifications and search updates as on the site; sign-ups,
progress and approvals, which have rules of their own (capacity, waitlists, both managers),
are shown, not edited."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count

from people.admin_tools import run_service
from searchkit.pipeline import queue_update
from training.models import (
    CalendarFeed,
    Enrolment,
    ExternalLearning,
    QuizAttempt,
    QuizOption,
    QuizQuestion,
    Rotation,
    Session,
    SessionSignup,
    StepCompletion,
    Track,
    TrackStep,
)

# Links typed without a scheme are https (Django 6's default, chosen now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# What a step's shown title reads (its article's title comes from a revision).
STEP_TITLE = [
    "step__article__published_revision", "step__article__latest_revision", "step__session"
]  # fmt: skip


class IndexedAdmin(admin.ModelAdmin):
    """Admin edits bypass the services, so they queue the search index update themselves
    (the task rereads the row: a deleted one leaves the index)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        queue_update(form.instance)

    def delete_model(self, request, obj):
        model, pk = type(obj), obj.pk
        super().delete_model(request, obj)
        queue_update(model, pk)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in pks:
            queue_update(queryset.model, pk)


# --- Tracks ---------------------------------------------------------------------------------


class TrackStepInline(admin.StackedInline):
    model = TrackStep
    extra = 0
    fields = [
        ("position", "kind"),
        "title",
        "description",
        ("article", "session"),
        "url",
        ("pass_mark", "requires_confirmation"),
    ]
    autocomplete_fields = ["article", "session"]
    formfield_overrides = HTTPS_URLS


@admin.register(Track)
class TrackAdmin(IndexedAdmin):
    list_display = [
        "title", "status", "visibility", "owner", "estimated_minutes", "step_count",
        "enrolment_count", "published_at",
    ]  # fmt: skip
    list_filter = ["status", "visibility", "published_at"]
    list_select_related = ["owner"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["owner", "teams"]
    # Publishing checks the steps first: it is an action, not a field.
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    inlines = [TrackStepInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_step_count()
            .annotate(enrolment_count=Count("enrolments", distinct=True))
        )

    @admin.display(description="steps", ordering="step_count")
    def step_count(self, track: Track) -> int:
        return track.step_count

    @admin.display(description="enrolments", ordering="enrolment_count")
    def enrolment_count(self, track: Track) -> int:
        return track.enrolment_count

    @admin.action(description="Publish the selected tracks")
    def publish(self, request, queryset):
        from training.services.tracks import track_publish

        run_service(
            self, request, queryset,
            lambda track: track_publish(track=track, user=request.user),
            "{n} track(s) published.",
        )  # fmt: skip

    @admin.action(description="Unpublish the selected tracks (back to draft)")
    def unpublish(self, request, queryset):
        from training.services.tracks import track_unpublish

        run_service(
            self, request, queryset,
            lambda track: track_unpublish(track=track, user=request.user),
            "{n} track(s) back to draft.",
        )  # fmt: skip


class QuizOptionInline(admin.TabularInline):
    model = QuizOption
    extra = 0
    fields = ["position", "text", "is_correct"]


@admin.register(QuizQuestion)
class QuizQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "step", "track", "position"]
    list_filter = [("step__track", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["step__track", *STEP_TITLE]
    search_fields = ["text", "step__title", "step__track__title"]
    raw_id_fields = ["step"]
    inlines = [QuizOptionInline]

    @admin.display(ordering="step__track__title")
    def track(self, question: QuizQuestion) -> Track:
        return question.step.track


# --- Progress -------------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what people did: looked at, never made or rewritten by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """People enrol or are assigned on the site; here only the due date can move."""

    list_display = [
        "user",
        "track",
        "status",
        "assigned_by",
        "due_on",
        "enrolled_at",
        "completed_at",
    ]
    list_filter = ["status", ("track", admin.RelatedOnlyFieldListFilter), "due_on"]
    list_select_related = ["user", "track", "assigned_by"]
    search_fields = ["user__username", "user__display_name", "track__title", "certificate_code"]
    date_hierarchy = "enrolled_at"
    fields = [
        "user", "track", "status", "assigned_by", "due_on", "enrolled_at", "completed_at",
        "withdrawn_at", "certificate_code",
    ]  # fmt: skip
    readonly_fields = [f for f in fields if f != "due_on"]

    def has_add_permission(self, request):
        return False


@admin.register(StepCompletion)
class StepCompletionAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "step", "status", "completed_at", "reviewed_by"]
    list_filter = ["status", "completed_at"]
    list_select_related = ["enrolment__user", "enrolment__track", *STEP_TITLE, "reviewed_by"]
    search_fields = ["enrolment__user__username", "enrolment__track__title", "evidence"]
    date_hierarchy = "completed_at"


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["enrolment", "step", "score", "passed", "submitted_at"]
    list_filter = ["passed", "submitted_at"]
    list_select_related = ["enrolment__user", "enrolment__track", *STEP_TITLE]
    search_fields = ["enrolment__user__username", "enrolment__track__title"]
    date_hierarchy = "submitted_at"

    def has_delete_permission(self, request, obj=None):
        return False


# --- Sessions -------------------------------------------------------------------------------


class SessionSignupInline(admin.TabularInline):
    """Sign-ups follow the capacity and the waitlist's order, on the site."""

    model = SessionSignup
    extra = 0
    fields = ["user", "status", "signed_up_at", "promoted_at", "cancelled_at", "attended"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Session)
class SessionAdmin(IndexedAdmin):
    list_display = [
        "title", "kind", "starts_at", "status", "organiser", "visibility", "seats_taken",
        "capacity",
    ]  # fmt: skip
    list_filter = ["status", "kind", "visibility", "starts_at"]
    list_select_related = ["organiser"]
    search_fields = ["title", "slug", "agenda"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organiser", "presenters", "teams"]
    date_hierarchy = "starts_at"
    formfield_overrides = HTTPS_URLS
    # Cancelling tells everyone signed up: it is an action, not a field.
    readonly_fields = [
        "status",
        "attendance_recorded_at",
        "notes_article",
        "created_at",
        "updated_at",
    ]
    inlines = [SessionSignupInline]
    actions = ["cancel"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_seat_counts()

    @admin.display(description="signed up", ordering="confirmed_count")
    def seats_taken(self, session: Session) -> int:
        return session.confirmed_count

    @admin.action(description="Cancel the selected sessions (everyone signed up is told)")
    def cancel(self, request, queryset):
        from training.services.sessions import session_cancel

        run_service(
            self, request, queryset,
            lambda session: session_cancel(session=session, user=request.user),
            "{n} session(s) cancelled.",
        )  # fmt: skip


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """The token is the feed's only key: never shown here, only replaced."""

    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["user", "created_at"]
    readonly_fields = fields
    actions = ["rotate"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke: give the selected feeds a new secret address")
    def rotate(self, request, queryset):
        from training.services.sessions import calendar_feed_rotate

        run_service(
            self, request, queryset,
            lambda feed: calendar_feed_rotate(user=feed.user),
            "{n} calendar feed(s) given a new address; the old ones stopped working.",
        )  # fmt: skip


# --- Cross-training and external learning ---------------------------------------------------


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin):
    """Requests, approvals and reflections go through the site (both managers approve)."""

    list_display = [
        "participant", "kind", "host_team", "host_person", "starts_on", "ends_on", "status"
    ]  # fmt: skip
    list_filter = ["status", "kind", "host_team", "starts_on"]
    list_select_related = ["participant", "host_team", "host_person"]
    search_fields = ["participant__username", "participant__display_name", "goals"]
    autocomplete_fields = ["participant", "host_team", "host_person"]
    date_hierarchy = "starts_on"
    readonly_fields = [
        "status", "manager_approved_by", "manager_approved_at", "host_approved_by",
        "host_approved_at", "decided_by", "decline_reason", "reflected_at",
        "host_confirmed_by", "host_confirmed_at", "article", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(ExternalLearning)
class ExternalLearningAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "kind", "provider", "starts_on", "hours", "approval"]
    list_filter = ["kind", "approval", "starts_on"]
    list_select_related = ["person"]
    search_fields = ["title", "provider", "person__username", "person__display_name"]
    autocomplete_fields = ["person"]
    date_hierarchy = "starts_on"
    formfield_overrides = HTTPS_URLS
    readonly_fields = [
        "approval", "decided_by", "decided_at", "decline_reason", "article", "created_at"
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False
