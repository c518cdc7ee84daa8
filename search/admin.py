from django.contrib import admin

from search.models import ContentRequest, ContentRequestAsk, SearchLog, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["terms", "updated_at"]
    search_fields = ["terms"]


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, not something to edit."""

    list_display = ["query", "result_count", "team", "opened_document", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["normalized"]
    list_select_related = ["team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContentRequestAskInline(admin.TabularInline):
    model = ContentRequestAsk
    extra = 0
    raw_id_fields = ["user"]


@admin.register(ContentRequest)
class ContentRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "query", "owner", "status", "created_at"]
    list_filter = ["status", ("owner", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "created_by", "article"]
    inlines = [ContentRequestAskInline]
