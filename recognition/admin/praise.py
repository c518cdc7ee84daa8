"""Customer praise and success stories in the admin: recorded and promoted on the site (where
the people named are told), corrected here."""

from __future__ import annotations

from django.contrib import admin

from recognition.admin.base import excerpt, people
from recognition.models import Praise, SuccessStory


@admin.register(Praise)
class PraiseAdmin(admin.ModelAdmin):
    """Recorded on the site (the agents are told there); corrected here."""

    list_display = ["__str__", "quote_excerpt", "agent_names", "channel", "csat", "received_on",
                    "recorded_by"]  # fmt: skip
    list_filter = ["channel", "csat", "received_on"]
    list_select_related = ["recorded_by"]
    search_fields = ["quote", "customer", "ticket_ref", *people("agents")]
    date_hierarchy = "received_on"
    autocomplete_fields = ["agents"]
    fields = ["quote", "customer", "channel", "received_on", "agents", "ticket_ref", "csat",
              "recorded_by", "created_at"]  # fmt: skip
    readonly_fields = ["recorded_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agents")

    @admin.display(description="quote")
    def quote_excerpt(self, praise: Praise) -> str:
        return excerpt(praise.quote)

    @admin.display(description="agents")
    def agent_names(self, praise: Praise) -> str:
        return ", ".join(person.name for person in praise.agents.all())

    def has_add_permission(self, request):
        return False


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    """Promoted by a manager on the site; its title, lesson and pinned period are edited here
    (deleting one unpins it for good)."""

    list_display = ["title", "source", "pinned_from", "pinned_until", "created_by", "article"]
    list_filter = ["pinned_from", "pinned_until"]
    search_fields = ["title", "learned", *people("created_by")]
    date_hierarchy = "pinned_from"
    fields = ["title", "learned", "pinned_from", "pinned_until", "kudos", "praise",
              "created_by", "created_at", "article"]  # fmt: skip
    readonly_fields = ["kudos", "praise", "created_by", "created_at", "article"]

    def get_queryset(self, request):
        # Also the list's: a queryset that selects related rows makes the list ignore
        # `list_select_related`.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "kudos__giver", "praise", "created_by", "article__published_revision",
                "article__latest_revision",
            )
        )  # fmt: skip

    @admin.display(description="from")
    def source(self, story: SuccessStory) -> str:
        return "kudos" if story.kudos_id else "customer praise"

    def has_add_permission(self, request):
        return False
