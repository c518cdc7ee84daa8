from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from people import services
from people.admin_tools import ReadOnlyAdmin, run_service
from people.models import ApiToken, Interest, Skill, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "team", "job_title", "is_active"]
    list_filter = ["team", "groups", "experience_level", "is_active", "is_staff"]
    list_select_related = ["team"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "Huddle profile",
            {
                "fields": (
                    "display_name",
                    "job_title",
                    "team",
                    "experience_level",
                    "timezone",
                    "skills",
                    "interests",
                    "career_goals",
                    "email_notifications",
                )
            },
        ),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    search_fields = ["name"]


@admin.register(Skill, Interest)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made by their owners on their profile (the key is shown to them once); an
    admin sees who has which and may revoke one, and never sees a key (only its prefix)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda token: services.api_token_revoke(token=token),
            "{n} token(s) revoked.",
        )
