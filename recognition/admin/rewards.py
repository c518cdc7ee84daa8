"""Rewards in the admin: the catalogue is kept here; redemptions are made on the site with
points received and approved or declined here through the service (a declined redemption
returns its points, once)."""

from __future__ import annotations

from django.contrib import admin

from recognition.admin.base import DecisionAdmin, NotedDecisionForm, SettingAdmin, people
from recognition.models import Redemption, Reward
from recognition.services import rewards as reward_services
from training.admin import run_service  # one way to report a service's refusal per row

# What the list action says when it cannot ask why (the row's page takes a reason).
ADMIN_DECLINE_REASON = "Declined by an admin in the admin site."


@admin.register(Reward)
class RewardAdmin(SettingAdmin):
    list_display = ["name", "price", "stock", "taken", "approver", "is_active"]
    list_filter = ["is_active", "approver"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_taken()

    @admin.display(description="taken (pending or approved)", ordering="taken")
    def taken(self, reward: Reward) -> int:
        return reward.taken

    def in_use(self, reward: Reward) -> bool:
        return reward.redemptions.exists()


def _approve(redemption: Redemption, user, note: str = "") -> Redemption:
    return reward_services.redemption_approve(redemption=redemption, user=user)


def _decline(redemption: Redemption, user, note: str = "") -> Redemption:
    return reward_services.redemption_decline(
        redemption=redemption, user=user, reason=note or ADMIN_DECLINE_REASON
    )


class RedemptionDecisionForm(NotedDecisionForm):
    class Meta:
        model = Redemption
        fields: list[str] = []


@admin.register(Redemption)
class RedemptionAdmin(DecisionAdmin):
    """Made on the site with points received; approved or declined here through the service
    (a declined redemption returns its points, once)."""

    list_display = ["reward", "person", "points", "status", "created_at", "decided_by",
                    "decided_at"]  # fmt: skip
    list_filter = ["status", ("reward", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["reward", "person", "decided_by"]
    search_fields = ["reward__name", "note", *people("person")]
    date_hierarchy = "created_at"
    form = RedemptionDecisionForm
    fieldsets = [
        (None, {"fields": ["reward", "person", "points", "note", "status", "created_at",
                           "decided_by", "decided_at", "reason"]}),
        ("Decision", {"fields": ["decision", "decision_note"]}),
    ]  # fmt: skip
    readonly_fields = [name for name in fieldsets[0][1]["fields"]]
    actions = ["approve", "decline"]
    decisions = {
        "approve": ("Approve", _approve, "{n} redemption(s) approved."),
        "decline": ("Decline (the points go back)", _decline,
                    "{n} redemption(s) declined; the points are back in the balance."),
    }  # fmt: skip
    note_label = "Why you decline it"
    note_help = f"Shown to the person. Left empty: “{ADMIN_DECLINE_REASON}”"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reward", "person", "decided_by")

    @admin.action(description="Approve the selected redemptions")
    def approve(self, request, queryset):
        run_service(
            self, request, queryset, lambda r: _approve(r, request.user),
            self.decisions["approve"][2],
        )  # fmt: skip

    @admin.action(description=f"Decline the selected redemptions (“{ADMIN_DECLINE_REASON}”)")
    def decline(self, request, queryset):
        run_service(
            self, request, queryset, lambda r: _decline(r, request.user),
            self.decisions["decline"][2],
        )  # fmt: skip
