from django.contrib import admin

from dashboard.models import HandOver
from people.admin_tools import ReadOnlyAdmin


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdmin):
    """Hand-overs are made on the hand-over page (the service checks and notifies); here
    they are read back."""

    list_display = ["person", "action", "from_team", "to_team", "by", "created_at"]
    list_filter = ["action", "created_at"]
    list_select_related = ["person", "by", "from_team", "to_team"]
    search_fields = ["person__username", "person__display_name", "by__username"]
    date_hierarchy = "created_at"
