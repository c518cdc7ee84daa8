"""Badges, awards and nominations in the admin: badges (one per rule, awarded by the sweep)
and awards are settings; nominations are made on the site and approved or rejected here
through the service, as approvers do on the site."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from people.admin_tools import run_service
from recognition.admin.base import (
    DecisionAdmin,
    NotedDecisionForm,
    ReadOnlyAdmin,
    SettingAdmin,
    people,
)
from recognition.models import Award, Badge, BadgeAward, Nomination
from recognition.services import nominations as nomination_services

# What the list action says when it cannot ask why (the row's page takes a comment).
ADMIN_REJECT_COMMENT = "Not approved by an admin in the admin site."


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    """One badge per rule in `recognition.badges` (seeded): reworded or stopped here, never
    added or deleted (the rules are code)."""

    list_display = ["name", "emoji", "rule", "order", "is_active", "holders"]
    list_filter = ["is_active"]
    search_fields = ["name", "description", "how_to_earn"]
    readonly_fields = ["rule"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(holders=Count("awards", distinct=True))

    @admin.display(description="holders", ordering="holders")
    def holders(self, badge: Badge) -> int:
        return badge.holders

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnlyAdmin):
    """Awarded by the periodic sweep, each badge once per person."""

    list_display = ["badge", "user", "awarded_at"]
    list_filter = ["badge", "awarded_at"]
    list_select_related = ["badge", "user"]
    search_fields = [*people("user"), "badge__name"]
    date_hierarchy = "awarded_at"


@admin.register(Award)
class AwardAdmin(SettingAdmin):
    list_display = ["name", "emoji", "period", "is_active", "nomination_count"]
    list_filter = ["period", "is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(nomination_count=Count("nominations", distinct=True))
        )

    @admin.display(description="nominations", ordering="nomination_count")
    def nomination_count(self, award: Award) -> int:
        return award.nomination_count

    def in_use(self, award: Award) -> bool:
        return award.nominations.exists()


def _nomination_approve(nomination: Nomination, user, note: str = "") -> Nomination:
    return nomination_services.nomination_approve(nomination=nomination, user=user, comment=note)


def _nomination_reject(nomination: Nomination, user, note: str = "") -> Nomination:
    return nomination_services.nomination_reject(
        nomination=nomination, user=user, comment=note or ADMIN_REJECT_COMMENT
    )


class NominationDecisionForm(NotedDecisionForm):
    class Meta:
        model = Nomination
        fields: list[str] = []


@admin.register(Nomination)
class NominationAdmin(DecisionAdmin):
    """Made on the site; approved or rejected here through the service, as approvers do on
    the site (never one's own nomination or one about oneself)."""

    list_display = ["nominee", "award", "period_label", "nominated_by", "status", "created_at",
                    "decided_by"]  # fmt: skip
    list_filter = ["status", "award", "period_label", "created_at"]
    list_select_related = ["nominee", "award", "nominated_by", "decided_by"]
    search_fields = ["reason", "period_label", "award__name", *people("nominee"),
                     *people("nominated_by")]  # fmt: skip
    date_hierarchy = "created_at"
    form = NominationDecisionForm
    fieldsets = [
        (None, {"fields": ["award", "period_label", "nominee", "nominated_by", "reason",
                           "evidence", "status", "created_at", "decided_by", "decided_at",
                           "decision_comment"]}),
        ("Decision", {"fields": ["decision", "decision_note"]}),
    ]  # fmt: skip
    readonly_fields = [name for name in fieldsets[0][1]["fields"]]
    actions = ["approve", "reject"]
    decisions = {
        "approve": ("Approve", _nomination_approve, "{n} nomination(s) approved."),
        "reject": ("Reject", _nomination_reject, "{n} nomination(s) rejected."),
    }
    note_label = "Comment"
    note_help = (
        "Shown to the nominator (and to the nominee when approved). Left empty for a "
        f"rejection: “{ADMIN_REJECT_COMMENT}”"
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("nominee", "award", "nominated_by", "decided_by")
        )

    @admin.action(description="Approve the selected nominations")
    def approve(self, request, queryset):
        run_service(
            self, request, queryset, lambda n: _nomination_approve(n, request.user),
            self.decisions["approve"][2],
        )  # fmt: skip

    @admin.action(description=f"Reject the selected nominations (“{ADMIN_REJECT_COMMENT}”)")
    def reject(self, request, queryset):
        run_service(
            self, request, queryset, lambda n: _nomination_reject(n, request.user),
            self.decisions["reject"][2],
        )  # fmt: skip
