"""Kudos in the admin: given on the site, where the allowance is spent, so read-only here; a
reported kudos waits for a decision through the services (restore it or remove it), and a
person's wallet is the one place their monthly allowance differs from the default. The service
values are settings, edited here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q

from recognition.admin.base import (
    DecisionAdmin,
    DecisionForm,
    ReadOnlyAdmin,
    SettingAdmin,
    excerpt,
    people,
)
from recognition.models import Kudos, KudosComment, KudosRecipient, Reaction, Value, Wallet
from recognition.services import kudos as kudos_services
from training.admin import run_service  # one way to report a service's refusal per row


@admin.register(Value)
class ValueAdmin(SettingAdmin):
    list_display = ["name", "emoji", "slug", "order", "is_active", "kudos_count"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "description", "qualifies"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(kudos_count=Count("kudos", distinct=True))

    @admin.display(description="kudos", ordering="kudos_count")
    def kudos_count(self, value: Value) -> int:
        return value.kudos_count

    def in_use(self, value: Value) -> bool:
        return value.kudos.exists()


class ModerationFilter(admin.SimpleListFilter):
    title = "moderation"
    parameter_name = "moderation"

    def lookups(self, request, model_admin):
        return [
            ("waiting", "Reported, waiting"),
            ("removed", "Removed"),
            ("restored", "Restored after a report"),
            ("visible", "Visible"),
        ]

    def queryset(self, request, queryset):
        rules = {
            "waiting": Q(status=Kudos.Status.REPORTED),
            "removed": Q(status=Kudos.Status.REMOVED),
            "restored": Q(status=Kudos.Status.VISIBLE, decided_at__isnull=False),
            "visible": Q(status=Kudos.Status.VISIBLE),
        }
        rule = rules.get(self.value())
        return queryset if rule is None else queryset.filter(rule)


class KudosRecipientInline(admin.TabularInline):
    model = KudosRecipient
    fk_name = "kudos"
    extra = 0
    fields = ["recipient", "points"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _restore(kudos: Kudos, user, note: str = "") -> Kudos:
    return kudos_services.kudos_restore(kudos=kudos, admin=user)


def _remove(kudos: Kudos, user, note: str = "") -> Kudos:
    return kudos_services.kudos_remove(kudos=kudos, admin=user)


class KudosDecisionForm(DecisionForm):
    class Meta:
        model = Kudos
        fields: list[str] = []


@admin.register(Kudos)
class KudosAdmin(DecisionAdmin):
    """Given on the site (the allowance is spent there). A reported kudos waits here for a
    decision: restore it (it shows and counts again) or remove it (hidden for good)."""

    list_display = [
        "__str__", "message_excerpt", "recipient_names", "points", "status", "target",
        "created_at",
    ]  # fmt: skip
    list_filter = [ModerationFilter, "values", "created_at"]
    list_select_related = ["giver"]
    search_fields = ["message", "ticket_ref", "report_reason", *people("giver"),
                     *people("recipients")]  # fmt: skip
    date_hierarchy = "created_at"
    form = KudosDecisionForm
    fieldsets = [
        (None, {"fields": [
            "giver", "message", "values", "points", "created_at", "status",
        ]}),
        ("What it was for", {"fields": [
            "article", "session", "pairing", "ticket_ref", "customer_quote",
        ]}),
        ("Report", {"fields": [
            "reported_by", "reported_at", "report_reason", "decided_by", "decided_at",
        ]}),
        ("Decision", {"fields": ["decision"]}),
    ]  # fmt: skip
    readonly_fields = [
        name for _, options in fieldsets for name in options["fields"] if name != "decision"
    ]
    inlines = [KudosRecipientInline]
    actions = ["restore", "remove"]
    decisions = {
        "restore": ("Restore (show again)", _restore, "{n} kudos restored: shown again."),
        "remove": ("Remove (uphold the report)", _remove, "{n} kudos removed."),
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "giver", "reported_by", "decided_by", "article__published_revision",
                "article__latest_revision", "session", "pairing__mentor", "pairing__mentee",
                "pairing__program",
            )
            .prefetch_related("recipients", "values")
        )  # fmt: skip

    @admin.display(description="message")
    def message_excerpt(self, kudos: Kudos) -> str:
        return excerpt(kudos.message)

    @admin.display(description="recipients")
    def recipient_names(self, kudos: Kudos) -> str:
        return ", ".join(person.name for person in kudos.recipients.all())

    @admin.display(description="for")
    def target(self, kudos: Kudos) -> str:
        for name in ("article", "session", "pairing"):
            if getattr(kudos, f"{name}_id"):
                return name
        return "customer" if kudos.ticket_ref else "-"

    @admin.action(description="Restore (show again)")
    def restore(self, request, queryset):
        run_service(
            self, request, queryset, lambda kudos: _restore(kudos, request.user),
            self.decisions["restore"][2],
        )  # fmt: skip

    @admin.action(description="Remove (uphold the report)")
    def remove(self, request, queryset):
        run_service(
            self, request, queryset, lambda kudos: _remove(kudos, request.user),
            self.decisions["remove"][2],
        )  # fmt: skip


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyAdmin):
    list_display = ["kind_label", "user", "kudos", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["user", "kudos__giver"]
    search_fields = people("user")
    date_hierarchy = "created_at"

    @admin.display(description="reaction", ordering="kind")
    def kind_label(self, reaction: Reaction) -> str:
        return f"{reaction.get_kind_display()} {Reaction.LABELS.get(reaction.kind, '')}"


@admin.register(KudosComment)
class KudosCommentAdmin(ReadOnlyAdmin):
    """Written on the site; an admin may delete an inappropriate one."""

    list_display = ["__str__", "body_excerpt", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["author"]
    search_fields = ["body", *people("author")]
    date_hierarchy = "created_at"
    fields = ["kudos", "author", "body", "created_at"]

    @admin.display(description="comment")
    def body_excerpt(self, comment: KudosComment) -> str:
        return excerpt(comment.body)

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


@admin.register(Wallet)
class WalletAdmin(admin.ModelAdmin):
    """The one place a person's monthly allowance differs from the organisation's default.
    Balances and what was given are sums over the kudos, never stored here."""

    list_display = ["user", "monthly_allowance", "allowance"]
    list_select_related = ["user"]
    search_fields = people("user")
    autocomplete_fields = ["user"]
    fields = ["user", "monthly_allowance"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None else []

    @admin.display(description="allowance this month")
    def allowance(self, wallet: Wallet) -> int:
        return wallet.allowance
