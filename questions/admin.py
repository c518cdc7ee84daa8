"""Questions in the admin. What people wrote (titles, bodies, answers, comments, votes, edit
history, routes) is a record: shown, never rewritten here, because the site keeps its history,
its rendering and its notifications. What an admin may fix by hand are plain fields of a
question (who asked it, its category, urgency and audience, the article it links to); those
edits queue the question's search document, whose audience they may change. Closing goes
through the service, as on the site; spam is deleted (a question with its thread, an answer
not accepted, a comment)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from kb.models import Category
from people.admin_tools import run_service
from questions.models import Answer, Comment, Question, Revision, Route, Vote
from questions.services.asking import TEAMS_REQUIRED, question_close
from searchkit.pipeline import queue_update

PROMOTE_FIRST = "Promote the question from its page first: that links it to its article."
PEOPLE = ["username", "display_name", "first_name", "last_name"]


def people(prefix: str) -> list[str]:
    """The search fields that find a person through the relation `prefix`."""
    return [f"{prefix}__{field}" for field in PEOPLE]


def excerpt(text: str, words: int = 12) -> str:
    return Truncator(text).words(words, truncate="…")


class JoinedAdmin(admin.ModelAdmin):
    """`list_select_related` and `also_related` (what a row's own page shows) read with the
    row. The changelist applies `list_select_related` only to a queryset that joins nothing
    yet, so a `get_queryset` that joins must name both."""

    also_related: list[str] = []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related, *self.also_related)
        )


class PostAdmin(JoinedAdmin):
    """A question or an answer, deleted with its thread. The rows of `goes_with` (answers,
    votes, edits, routes) are never deleted on their own, so deleting their post must not ask
    for a permission nobody has."""

    goes_with: tuple = ()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed -= {str(m._meta.verbose_name) for m in self.goes_with}
        return deleted, counts, perms_needed, protected


class RecordAdmin(JoinedAdmin):
    """Something that happened on the site: looked at, never made or rewritten by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CategoryFilter(admin.SimpleListFilter):
    """The knowledge base's categories, named with their parents in one query (the default
    filter would read each parent on its own)."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        rows = Category.objects.select_related("parent").order_by("parent__name", "name")
        return [(str(c.pk), str(c)) for c in rows]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        # A hand-typed address (not a number, or one no database holds) matches nothing.
        if not (value.isascii() and value.isdigit() and len(value) < 19):
            return queryset.none()
        return queryset.filter(category_id=int(value))


class AcceptedFilter(admin.SimpleListFilter):
    title = "accepted"
    parameter_name = "accepted"

    def lookups(self, request, model_admin):
        return [("yes", "Accepted"), ("no", "Not accepted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(accepted_at__isnull=True)
        return queryset


class PostFilter(admin.SimpleListFilter):
    """Whether a vote, comment or edit is on a question or on an answer."""

    title = "on"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        return [("question", "A question"), ("answer", "An answer")]

    def queryset(self, request, queryset):
        if self.value() in ("question", "answer"):
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


def post_of(row) -> str:
    """What a vote, comment or revision is on, in words."""
    if row.answer_id:
        return f"Answer #{row.answer_id} to “{row.answer.question.title}”"
    return f"“{row.question.title}”"


# The joins `post_of` reads, for list_select_related.
POST = ["question", "answer__question"]


# --- Questions --------------------------------------------------------------------------------


class AnswerInline(admin.TabularInline):
    """The thread at a glance; each answer's own page has the rest."""

    model = Answer
    fields = ["author", "body_excerpt", "accepted_at", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        # Each row is named after its question (`__str__`): read it with the row.
        return super().get_queryset(request).select_related("author", "question")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="answer")
    def body_excerpt(self, answer: Answer) -> str:
        return excerpt(answer.body, 20)


class RouteInline(admin.TabularInline):
    """Who the question was brought to, and why."""

    model = Route
    fields = ["person", "kind", "round", "reason", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "question")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["author", "urgency", "category", "visibility", "teams", "article"]

    def clean(self):
        cleaned = super().clean()
        # The link to an article is made by promoting the question (which dates it); here it
        # may only be corrected or removed.
        if cleaned.get("article") and self.instance.promoted_at is None:
            self.add_error("article", PROMOTE_FIRST)
        # The site's rule: a question limited to teams names at least one, or nobody but its
        # asker and the editors could read it.
        if cleaned.get("visibility") == Question.Visibility.TEAMS and not cleaned.get("teams"):
            self.add_error("teams", TEAMS_REQUIRED)
        return cleaned


@admin.register(Question)
class QuestionAdmin(PostAdmin):
    form = QuestionAdminForm
    list_display = [
        "title", "author", "status", "urgency", "category", "answer_count", "score", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "urgency", CategoryFilter, "visibility"]
    list_select_related = ["author", "category__parent"]
    search_fields = ["title", *people("author")]
    autocomplete_fields = ["author", "teams"]
    raw_id_fields = ["article"]
    fieldsets = [
        (None, {"fields": [
            "title", "author", "status", "urgency", "category", "tag_names", "visibility",
            "teams",
        ]}),
        ("Details", {"fields": ["body", "body_html"]}),
        ("Dates", {"fields": [
            "created_at", "updated_at", "last_activity_at", "first_answered_at", "closed_at",
        ]}),
        ("Answered by existing content", {"fields": [
            "deflected_by_article", "deflected_by_question",
        ]}),
        ("Knowledge base", {"fields": ["article", "promoted_at", "promoted_by"]}),
    ]  # fmt: skip
    # The text and the state change on the site (edits keep a history, closing and accepting
    # tell people); here they are shown.
    readonly_fields = [
        "title", "status", "tag_names", "body", "body_html", "created_at", "updated_at",
        "last_activity_at", "first_answered_at", "closed_at", "deflected_by_article",
        "deflected_by_question", "promoted_at", "promoted_by",
    ]  # fmt: skip
    inlines = [AnswerInline, RouteInline]
    goes_with = (Answer, Vote, Revision, Route)
    actions = ["close"]

    also_related = [
        "deflected_by_article__published_revision",
        "deflected_by_article__latest_revision",
        "deflected_by_question",
        "promoted_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            # Each choice is named with its parent: read them with it.
            kwargs["queryset"] = Category.objects.select_related("parent")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="answers", ordering="answer_count")
    def answer_count(self, question: Question) -> int:
        return question.answer_count

    @admin.display(description="votes", ordering="score")
    def score(self, question: Question) -> int:
        return question.score

    @admin.display(description="tags")
    def tag_names(self, question: Question) -> str:
        return ", ".join(sorted(question.tags.names(), key=str.casefold)) or "-"

    @admin.action(description="Close (no more routing or answers)")
    def close(self, request, queryset):
        run_service(
            self, request, queryset.order_by("pk"),
            lambda question: question_close(question=question, user=request.user),
            "{n} question(s) closed.",
        )  # fmt: skip

    # Plain edits bypass the services, so they queue the search document themselves (the
    # task rereads the row: a deleted question leaves the index).
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        queue_update(form.instance)

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        queue_update(Question, pk)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for pk in pks:
            queue_update(Question, pk)


# --- Answers ----------------------------------------------------------------------------------


@admin.register(Answer)
class AnswerAdmin(PostAdmin):
    """Written and accepted on the site. An answer that is not the accepted one may be deleted
    (spam, a duplicate); the accepted one is un-accepted on the question's page first."""

    list_display = ["body_excerpt", "question", "author", "accepted", "created_at"]
    list_filter = [AcceptedFilter, "created_at"]
    list_select_related = ["question", "author"]
    search_fields = ["body", "question__title", *people("author")]
    fields = [
        "question", "author", "body", "body_html", "created_at", "updated_at", "accepted_at",
        "accepted_by",
    ]  # fmt: skip
    readonly_fields = fields

    also_related = ["accepted_by"]
    goes_with = (Vote, Revision)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_accepted:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # A bulk delete would not ask each row whether it is the accepted answer.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        question_id = obj.question_id
        super().delete_model(request, obj)
        queue_update(Question, question_id)

    @admin.display(description="answer")
    def body_excerpt(self, answer: Answer) -> str:
        return excerpt(answer.body)

    @admin.display(description="accepted", boolean=True, ordering="accepted_at")
    def accepted(self, answer: Answer) -> bool:
        return answer.is_accepted


# --- Records ----------------------------------------------------------------------------------


@admin.register(Vote)
class VoteAdmin(RecordAdmin):
    list_display = ["voter", "value_shown", "post", "post_author", "created_at"]
    list_filter = [PostFilter, "value", "created_at"]
    list_select_related = ["voter", "post_author", *POST]
    search_fields = [*people("voter"), "question__title", "answer__question__title"]
    fields = ["voter", "value_shown", "question", "answer", "post_author", "created_at"]
    readonly_fields = fields

    also_related = ["answer__author"]

    @admin.display(description="vote", ordering="value")
    def value_shown(self, vote: Vote) -> str:
        return "+1" if vote.value > 0 else "-1"

    @admin.display(description="on")
    def post(self, vote: Vote) -> str:
        return post_of(vote)


@admin.register(Comment)
class CommentAdmin(RecordAdmin):
    """Written on the site; an admin may delete an inappropriate one."""

    list_display = ["author", "body_excerpt", "post", "created_at"]
    list_filter = [PostFilter, "created_at"]
    list_select_related = ["author", *POST]
    search_fields = ["body", *people("author")]
    fields = ["author", "question", "answer", "body", "created_at"]
    readonly_fields = fields

    also_related = ["answer__author"]

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    @admin.display(description="comment")
    def body_excerpt(self, comment: Comment) -> str:
        return excerpt(comment.body)

    @admin.display(description="on")
    def post(self, comment: Comment) -> str:
        return post_of(comment)


@admin.register(Revision)
class RevisionAdmin(RecordAdmin):
    """The text a question or answer had before an edit."""

    list_display = ["created_at", "editor", "post", "title", "body_excerpt"]
    list_filter = [PostFilter, "created_at"]
    list_select_related = ["editor", *POST]
    search_fields = ["title", "body", *people("editor")]
    fields = ["question", "answer", "editor", "title", "body", "created_at"]
    readonly_fields = fields

    also_related = ["answer__author"]

    @admin.display(description="text before the edit")
    def body_excerpt(self, revision: Revision) -> str:
        return excerpt(revision.body)

    @admin.display(description="on")
    def post(self, revision: Revision) -> str:
        return post_of(revision)


@admin.register(Route)
class RouteAdmin(RecordAdmin):
    """Who each question was brought to (a likely expert or the asker's team lead), and why."""

    list_display = ["question", "person", "kind", "round", "reason", "created_at"]
    list_filter = ["kind", "round", "created_at"]
    list_select_related = ["question", "person"]
    search_fields = ["question__title", "reason", *people("person")]
    fields = ["question", "person", "kind", "round", "reason", "created_at"]
    readonly_fields = fields
