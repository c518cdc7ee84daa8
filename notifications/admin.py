from django.contrib import admin

from notifications.models import Notification


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
    ]
    list_filter = ["kind", "created_at", ("email_failed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["message", "recipient__username", "dedupe_key"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
