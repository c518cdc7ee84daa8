from django.contrib import admin

from notifications.models import Digest, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "kind",
        "message",
        "created_at",
        "read_at",
        "emailed_at",
        "email_failed_at",
        "delivery",
    ]
    list_filter = [
        "kind",
        "delivery",
        "created_at",
        ("email_failed_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["recipient"]
    search_fields = ["message", "recipient__username", "dedupe_key"]
    raw_id_fields = ["recipient", "digest"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_frequency", "digest_weekday", "digest_hour", "updated_at"]
    list_filter = ["digest_frequency", "kb", "training", "mentorship", "recognition"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Sent digests, to answer "did I get one?": written only by the sweep. Deleting an
    unsent claim lets the next sweep try that period again."""

    list_display = ["recipient", "period_start", "period_end", "item_count", "sent_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "period_start"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username"]
    readonly_fields = [f.name for f in Digest._meta.fields]
    date_hierarchy = "period_start"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
