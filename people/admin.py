from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from people.models import Interest, Skill, Team, User


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
