"""Mentorship in the admin: every model. Programmes and mentoring profiles are settings and are
edited here; a pairing's life (proposals, answers, completion, the cohort) has rules of its own
(capacity under a lock, the accept window, notifications), so pairings are read-only and change
only through actions that call the services. Ending a pairing early needs a reason and is done
on its page.

The plan (goals, meetings, action items) belongs to the pair: the admin shows when and how
much, never the words (notes, agendas, goal and action titles), as for managers on the site.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr

from mentorship.models import (
    ActionItem,
    Goal,
    Meeting,
    MentoringProfile,
    MentorRequest,
    Milestone,
    MilestoneTemplate,
    Pairing,
    PairingFeedback,
    Participation,
    Program,
)
from mentorship.services import pairings
from people.admin_tools import ReadOnlyAdmin, run_service

# --- Programmes -------------------------------------------------------------------------------


class MilestoneTemplateInline(admin.TabularInline):
    model = MilestoneTemplate
    extra = 0
    fields = ["title", "offset_days"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name", "kind", "is_open", "duration_weeks", "cadence_days", "required_track",
        "participant_count", "created_at",
    ]  # fmt: skip
    list_filter = ["kind", "is_open"]
    list_select_related = ["required_track"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["required_track", "managers"]
    readonly_fields = ["created_at"]
    inlines = [MilestoneTemplateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(participant_count=Count("participations", distinct=True))
        )

    @admin.display(description="mentees", ordering="participant_count")
    def participant_count(self, program: Program) -> int:
        return program.participant_count

    def has_delete_permission(self, request, obj=None):
        # A programme with pairings is protected by the database; closing it is the way.
        if obj is not None and obj.pairings.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    """Edited with their programme; listed here to find them across programmes."""

    list_display = ["title", "program", "offset_days"]
    list_filter = [("program", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["program"]
    search_fields = ["title", "program__name"]
    autocomplete_fields = ["program"]


class _Refused(Exception):
    """A service refused an admin edit: the transaction is rolled back and the reason shown."""


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Who is in a programme's cohort. Added and removed through the services (a closed
    programme takes nobody new; a mentee with a live pairing cannot leave)."""

    list_display = ["mentee", "program", "joined_at", "added_by"]
    list_filter = [("program", admin.RelatedOnlyFieldListFilter), "joined_at"]
    list_select_related = ["mentee", "program", "added_by"]
    search_fields = ["mentee__username", "mentee__display_name", "program__name"]
    autocomplete_fields = ["program", "mentee"]
    date_hierarchy = "joined_at"
    fields = ["program", "mentee", "joined_at", "added_by"]
    readonly_fields = ["joined_at", "added_by"]
    actions = ["remove"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except _Refused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        try:
            joined = pairings.participation_join(
                program=obj.program, mentee=obj.mentee, by=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            reasons = getattr(error, "messages", None) or [str(error)]
            raise _Refused(" ".join(reasons)) from error
        obj.pk, obj.joined_at, obj.added_by = joined.pk, joined.joined_at, joined.added_by

    @admin.action(description="Remove the selected mentees from their programme")
    def remove(self, request, queryset):
        run_service(
            self, request, queryset.select_related("program", "mentee"),
            lambda p: pairings.participation_leave(program=p.program, mentee=p.mentee),
            "{n} mentee(s) removed from their programme.",
        )  # fmt: skip


# --- Profiles ---------------------------------------------------------------------------------


@admin.register(MentoringProfile)
class MentoringProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "open_to_mentor", "capacity", "load", "preferred_format", "updated_at"]
    list_filter = ["open_to_mentor", "preferred_format"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name", "topics__name"]
    autocomplete_fields = ["user"]
    fields = [
        "user", "open_to_mentor", "capacity", "topics", "availability", "develop", "goals",
        "preferred_format", "last_suggested_at", "updated_at",
    ]  # fmt: skip
    # Stamped by the suggestion page (fairness rotation), not by hand.
    readonly_fields = ["last_suggested_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_load()

    @admin.display(description="mentees now", ordering="load")
    def load(self, profile: MentoringProfile) -> int:
        return profile.load

    def has_delete_permission(self, request, obj=None):
        # Deleting takes a mentor out of the pool without a trace; closing it is the way.
        return False


# --- Pairings ---------------------------------------------------------------------------------


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_on", "done_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _request_field(name: str, description: str):
    """A field of the pairing's request, shown on the pairing's page as the admin shows a
    field of its own: dates in the viewer's format, "-" when empty, what someone wrote
    escaped and on its lines."""
    field = MentorRequest._meta.get_field(name)

    @admin.display(description=description)
    def show(self, pairing: Pairing) -> str:
        value = getattr(getattr(pairing, "request", None), name, None)
        return linebreaksbr(display_for_field(value, field, self.get_empty_value_display()))

    return show


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    """Made on the site (requests, assignments, the cohort); here: looked at, and moved on
    through the services."""

    list_display = [
        "__str__", "status", "source", "score", "started_on", "ends_on", "last_meeting",
        "meetings", "goals",
    ]  # fmt: skip
    list_filter = ["status", "source", ("program", admin.RelatedOnlyFieldListFilter), "started_on"]
    list_select_related = ["program", "mentor", "mentee"]
    search_fields = [
        "mentor__username", "mentor__display_name", "mentee__username", "mentee__display_name",
        "program__name",
    ]  # fmt: skip
    date_hierarchy = "created_at"
    # The request that opened it is one per pairing: its fields are a section of this page
    # (a stacked inline would title it "Request: Request: …", its name twice).
    fieldsets = [
        (None, {"fields": [
            "program", "mentor", "mentee", "status", "source", "score", "created_at",
            "started_on", "ends_on", "completed_at", "ended_at", "ended_by", "end_reason",
        ]}),
        ("The request", {"fields": [
            "requested_by", "request_message", "requested_at", "expires_at", "responded_at",
            "decline_reason",
        ]}),
    ]  # fmt: skip
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]
    inlines = [MilestoneInline]
    actions = ["complete", "withdraw", "expire_overdue"]

    def get_queryset(self, request):
        # The change page shows the names too (list_select_related covers the list only).
        return (
            super()
            .get_queryset(request)
            .with_health()
            .select_related("program", "mentor", "mentee", "ended_by", "request__requested_by")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing on its page is edited by hand, so it has no Save buttons; the list keeps
        # the change permission its actions (which call the services) are run with.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    requested_by = _request_field("requested_by", "requested by")
    request_message = _request_field("message", "message")
    requested_at = _request_field("created_at", "asked at")
    expires_at = _request_field("expires_at", "answer by")
    responded_at = _request_field("responded_at", "answered at")
    decline_reason = _request_field("decline_reason", "decline reason")

    @admin.display(description="last meeting", ordering="last_meeting_at")
    def last_meeting(self, pairing: Pairing):
        return pairing.last_meeting_at

    @admin.display(description="meetings held", ordering="meetings_held")
    def meetings(self, pairing: Pairing) -> int:
        return pairing.meetings_held

    @admin.display(description="goals met")
    def goals(self, pairing: Pairing) -> str:
        return f"{pairing.goals_met} of {pairing.goal_count}"

    @admin.action(description="Mark the selected active pairings completed")
    def complete(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda pairing: pairings.pairing_complete(pairing=pairing, user=request.user),
            "{n} pairing(s) completed; both sides are asked for feedback.",
        )  # fmt: skip

    @admin.action(description="Withdraw the selected proposals (not answered yet)")
    def withdraw(self, request, queryset):
        run_service(
            self, request, queryset,
            lambda pairing: pairings.pairing_withdraw(pairing=pairing, user=request.user),
            "{n} proposal(s) withdrawn.",
        )  # fmt: skip

    @admin.action(description="Expire every request past its answer window now (all of them)")
    def expire_overdue(self, request, queryset):
        # The sweep's own service: it expires every overdue request, whatever is selected, and
        # tells each mentee, exactly as the periodic task does.
        expired = pairings.requests_expire()
        self.message_user(request, f"{expired} overdue request(s) expired.", messages.SUCCESS)


@admin.register(MentorRequest)
class MentorRequestAdmin(ReadOnlyAdmin):
    list_display = ["pairing", "requested_by", "created_at", "expires_at", "responded_at"]
    list_filter = ["created_at", "expires_at"]
    list_select_related = [
        "pairing__program", "pairing__mentor", "pairing__mentee", "requested_by"
    ]  # fmt: skip
    search_fields = ["pairing__mentor__username", "pairing__mentee__username", "message"]
    date_hierarchy = "created_at"


@admin.register(PairingFeedback)
class PairingFeedbackAdmin(ReadOnlyAdmin):
    """Read by programme managers (and admins) only; the pair never sees each other's."""

    list_display = ["pairing", "author", "rating", "created_at"]
    list_filter = ["rating", "created_at"]
    list_select_related = ["pairing__program", "pairing__mentor", "pairing__mentee", "author"]
    search_fields = ["author__username", "author__display_name", "comments"]
    date_hierarchy = "created_at"


# --- The plan: the pair's words stay with the pair --------------------------------------------

PAIRING_NAMES = ["pairing__program", "pairing__mentor", "pairing__mentee"]


class ListOnlyAdmin(ReadOnlyAdmin):
    """Rows whose name is the pair's own words (a goal's or an action's title): listed by
    what managers may see too, with no page of their own (a change page is titled with the
    row's name)."""

    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


@admin.register(Goal)
class GoalAdmin(ListOnlyAdmin):
    list_display = ["pk", "pairing", "status", "progress", "track", "due_on", "met_at"]
    list_filter = ["status", "due_on"]
    list_select_related = [*PAIRING_NAMES, "track"]
    search_fields = ["pairing__mentor__username", "pairing__mentee__username"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Milestones are the programme's (their titles come from its templates)."""

    list_display = ["title", "pairing", "due_on", "done_at"]
    list_filter = ["due_on"]
    list_select_related = PAIRING_NAMES
    search_fields = ["title", "pairing__mentor__username", "pairing__mentee__username"]
    date_hierarchy = "due_on"


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "starts_at", "duration_minutes", "created_by"]
    list_filter = ["starts_at"]
    list_select_related = [*PAIRING_NAMES, "created_by"]
    search_fields = ["pairing__mentor__username", "pairing__mentee__username"]
    date_hierarchy = "starts_at"
    fields = ["pairing", "starts_at", "duration_minutes", "created_by", "created_at", "updated_at"]


@admin.register(ActionItem)
class ActionItemAdmin(ListOnlyAdmin):
    list_display = ["pk", "meeting", "owner", "due_on", "done"]
    list_filter = ["done", "due_on"]
    list_select_related = [*(f"meeting__{name}" for name in PAIRING_NAMES), "owner"]
    search_fields = ["owner__username", "owner__display_name"]
