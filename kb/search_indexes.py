"""The search index of the knowledge base: published articles only, as readers see them.

Who may find a document is `ARTICLE_AUDIENCE`, the rule `ArticleQuerySet.visible_to` reads
too, so the index and the database cannot disagree.
"""

from __future__ import annotations

from django.db.models import Count, Q
from haystack import fields as haystack_fields
from haystack import indexes

from kb.models import Article
from kb.querysets import ARTICLE_AUDIENCE
from searchkit.indexes import DocumentIndex

TITLE_BOOST = 3.0


class ArticleIndex(DocumentIndex, indexes.Indexable):
    text = indexes.CharField(
        document=True, use_template=True, template_name="search/indexes/kb/article_text.txt"
    )
    title = indexes.CharField(boost=TITLE_BOOST)
    title_auto = indexes.EdgeNgramField()
    body = indexes.CharField(indexed=False)  # stored for highlighted snippets
    type = indexes.FacetCharField(model_attr="type")
    category = haystack_fields.FacetMultiValueField()
    tags = haystack_fields.FacetMultiValueField()
    teams = haystack_fields.FacetMultiValueField()
    owner = indexes.IntegerField(model_attr="owner_id")
    updated = indexes.DateTimeField(model_attr="updated_at")
    helpful = indexes.IntegerField()

    audience_rule = ARTICLE_AUDIENCE
    type_labels = dict(Article.Type.choices)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.published()
            .select_related("published_revision", "category__parent")
            .prefetch_related("tags", "teams")
            .annotate(
                helpful_net=Count("feedback", filter=Q(feedback__helpful=True))
                - Count("feedback", filter=Q(feedback__helpful=False))
            )
            .order_by("pk")
        )

    def version_queryset(self):
        return Article.objects.published().only("pk", "published_revision", "updated_at")

    def version_of(self, obj: Article) -> str:
        return f"{obj.published_revision_id}:{obj.updated_at.timestamp():.6f}"

    def readable(self, user):
        return (
            Article.objects.published()
            .visible_to(user)
            .select_related("category__parent", "owner", "published_revision", "verified_by")
        )

    def prepare_title(self, obj: Article) -> str:
        return obj.published_revision.title

    def prepare_title_auto(self, obj: Article) -> str:
        return obj.published_revision.title

    def prepare_body(self, obj: Article) -> str:
        revision = obj.published_revision
        return "\n".join(text for text in (revision.summary, revision.body_text) if text)

    def prepare_category(self, obj: Article) -> list[str]:
        # A topic's articles are also found under its parent category.
        return [c.slug for c in (obj.category, obj.category.parent) if c is not None]

    def prepare_tags(self, obj: Article) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]

    def prepare_teams(self, obj: Article) -> list[str]:
        if obj.visibility == Article.Visibility.EVERYONE:
            return []
        return [str(team.pk) for team in obj.teams.all()]

    def prepare_helpful(self, obj: Article) -> int:
        """Net helpful votes; `helpful_net` is annotated by the indexer, else counted here."""
        net = getattr(obj, "helpful_net", None)
        if net is None:
            votes = list(obj.feedback.values_list("helpful", flat=True))
            net = sum(1 if vote else -1 for vote in votes)
        return net
