from django.contrib import admin

from kb import services
from kb.models import Article, ArticleRevision, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "verification_days"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "title", "editor", "change_note", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-mostly: content changes go through the site so they get revisions and review."""

    list_display = ["__str__", "type", "status", "category", "owner", "updated_at"]
    list_filter = ["status", "type", "visibility", "category"]
    list_select_related = ["published_revision", "latest_revision", "category__parent", "owner"]
    search_fields = ["slug", "revisions__title"]
    raw_id_fields = ["author", "owner", "verified_by", "published_revision", "latest_revision"]
    filter_horizontal = ["teams"]
    inlines = [RevisionInline]

    # Admin edits bypass the services, so they queue the search index update themselves.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.article_reindex(form.instance.pk)

    def delete_model(self, request, obj):
        services.article_delete(article=obj, editor=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article, editor=request.user)
