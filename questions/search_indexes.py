"""Questions in search: the questions the lists show (open, answered, closed; a deflected one
is a record of an answer found elsewhere, not content), found by their title, details and
answers on the same search page and in the same autocomplete as articles.

Who may find a document is `QUESTION_AUDIENCE`, the rule `QuestionQuerySet.visible_to` reads
too. The services queue an update after each change (`searchkit.pipeline.queue_update`); the
periodic reconcile compares `version_of` and catches what was missed.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from haystack import fields as haystack_fields
from haystack import indexes

from kb.rendering import plain_text
from people.tagging import attach_tags
from questions.models import Answer, Question
from questions.querysets import QUESTION_AUDIENCE
from questions.rendering import body_text
from searchkit.indexes import DocumentIndex, serve_related

TITLE_BOOST = 3.0
QUESTION = "question"
# Besides the accepted one, the best voted answers lend their words (a good second answer is
# often what a searcher needs); answers nobody voted up do not.
OTHER_ANSWERS = 2


def _digest(*parts) -> str:
    encoded = json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()[:20]


def _accepted(field: str):
    accepted = Answer.objects.accepted().filter(question=OuterRef("pk"))
    return Subquery(accepted.values(field)[:1])


def _words(post) -> str:
    """The words of a question's or an answer's body, read from the HTML its service stored
    when it was written: the same text as rendering the Markdown again (`body_text`), which
    costs a Markdown parser per post and was most of a rebuild's time on questions."""
    if post.body_html or not post.body.strip():
        return plain_text(post.body_html)
    return body_text(post.body)


class QuestionIndex(DocumentIndex, indexes.Indexable):
    # Rendered by `prepare_text` (with the answers' words), not by haystack.
    text = indexes.CharField(
        document=True, template_name="search/indexes/questions/question_text.txt"
    )
    title = indexes.CharField(model_attr="title", boost=TITLE_BOOST)
    title_auto = indexes.EdgeNgramField(model_attr="title")
    body = indexes.CharField(indexed=False)  # stored for highlighted snippets
    type = indexes.FacetCharField()
    category = haystack_fields.FacetMultiValueField()
    tags = haystack_fields.FacetMultiValueField()
    teams = haystack_fields.FacetMultiValueField()
    # The last answer, comment or edit: "newest" lists questions with fresh answers first.
    updated = indexes.DateTimeField(model_attr="last_activity_at")

    audience_rule = QUESTION_AUDIENCE
    type_labels = {QUESTION: "Question"}

    def get_model(self):
        return Question

    def index_queryset(self, using=None):
        answers = Answer.objects.ranked()
        # Tags are read per batch (`prepare_batch`), without taggit's per-row prefetch work.
        return (
            Question.objects.listed()
            .select_related("category__parent")
            .prefetch_related("teams", Prefetch("answers", queryset=answers))
            .order_by("pk")
        )

    def prepare_batch(self, objs) -> list:
        rows = attach_tags(list(objs))
        serve_related(rows, "tags", "tags_list")  # the document template lists them
        return rows

    def version_queryset(self):
        return (
            Question.objects.listed()
            .annotate(accepted_id=_accepted("pk"), accepted_updated=_accepted("updated_at"))
            .prefetch_related("teams")
            .order_by("pk")
        )

    def version_batch(self, rows: list) -> list:
        # One tag query for every question, not taggit's prefetch (a manager per row).
        return attach_tags(rows)

    def version_of(self, obj: Question) -> str:
        """What the document is found by and who may find it: an edit, a new answer or
        comment (`last_activity_at`), another accepted answer, new tags or teams."""
        if hasattr(obj, "accepted_id"):
            accepted = (obj.accepted_id, obj.accepted_updated)
        else:
            answer = next((a for a in obj.answers.all() if a.is_accepted), None)
            accepted = (answer.pk, answer.updated_at) if answer else (None, None)
        return _digest(
            obj.title,
            obj.status,
            obj.visibility,
            obj.category_id,
            obj.updated_at,
            obj.last_activity_at,
            accepted,
            self.prepare_tags(obj),
            self.prepare_teams(obj),
        )

    def readable(self, user):
        accepted = Answer.objects.accepted().filter(question=OuterRef("pk"))
        return (
            Question.objects.listed()
            .visible_to(user)
            .with_counts()
            .annotate(has_accepted=Exists(accepted))
            .select_related("author", "category")
        )

    def result_rows(self, rows: list) -> None:
        serve_related(attach_tags(rows), "tags", "tags_list")

    def _answers(self, obj: Question) -> list[Answer]:
        """The accepted answer and the best voted others, in the ranked order."""
        ranked = list(obj.answers.all())
        others = [a for a in ranked if not a.is_accepted and getattr(a, "score", 0) > 0]
        return [a for a in ranked if a.is_accepted] + others[:OTHER_ANSWERS]

    def prepare_text(self, obj: Question) -> str:
        answers = [_words(answer) for answer in self._answers(obj)]
        context = {"object": obj, "details": _words(obj), "answers": answers}
        return render_to_string(self.fields["text"].template_name, context)

    def prepare_body(self, obj: Question) -> str:
        """The details, then the accepted answer: what a snippet is cut from."""
        accepted = next((a for a in obj.answers.all() if a.is_accepted), None)
        parts = [_words(obj), _words(accepted) if accepted else ""]
        return "\n".join(part for part in parts if part)

    def prepare_type(self, obj: Question) -> str:
        return QUESTION

    def prepare_category(self, obj: Question) -> list[str]:
        # Found under the category's parent too, as articles are.
        if obj.category is None:
            return []
        return [c.slug for c in (obj.category, obj.category.parent) if c is not None]

    def prepare_tags(self, obj: Question) -> list[str]:
        tags = getattr(obj, "tags_list", None)
        return sorted(tag.slug for tag in (obj.tags.all() if tags is None else tags))

    def prepare_teams(self, obj: Question) -> list[str]:
        if obj.visibility == Question.Visibility.EVERYONE:
            return []
        return sorted(str(team.pk) for team in obj.teams.all())
