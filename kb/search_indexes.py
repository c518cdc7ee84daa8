"""The search index of the knowledge base: published articles only, as readers see them.

Who may find a document is `ARTICLE_AUDIENCE`, the rule `ArticleQuerySet.visible_to` reads
too, so the index and the database cannot disagree.
"""

from __future__ import annotations

from django.db.models import Count, Q
from haystack import fields as haystack_fields
from haystack import indexes

from kb.models import Article, ArticleFeedback
from kb.querysets import ARTICLE_AUDIENCE
from people.tagging import attach_tags
from searchkit.indexes import DocumentIndex, serve_related

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
        # Tags and votes are read per batch (`prepare_batch`): taggit's prefetch builds a
        # manager and a queryset per row, and a vote count here would GROUP BY every column
        # of the article and its revision.
        return (
            Article.objects.published()
            .select_related("published_revision", "category__parent")
            .prefetch_related("teams")
            .order_by("pk")
        )

    def prepare_batch(self, objs) -> list:
        rows = attach_tags(list(objs))
        serve_related(rows, "tags", "tags_list")  # the document template lists them
        votes = (
            ArticleFeedback.objects.filter(article__in=[row.pk for row in rows])
            .values("article")
            .annotate(
                net=Count("pk", filter=Q(helpful=True)) - Count("pk", filter=Q(helpful=False))
            )
            .order_by()
        )
        net = {vote["article"]: vote["net"] for vote in votes}
        for row in rows:
            row.helpful_net = net.get(row.pk, 0)
        return rows

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
        tags = getattr(obj, "tags_list", None)
        return sorted(tag.slug for tag in (obj.tags.all() if tags is None else tags))

    def prepare_teams(self, obj: Article) -> list[str]:
        if obj.visibility == Article.Visibility.EVERYONE:
            return []
        return [str(team.pk) for team in obj.teams.all()]

    def prepare_helpful(self, obj: Article) -> int:
        """Net helpful votes; `helpful_net` is set by `prepare_batch`, else counted here."""
        net = getattr(obj, "helpful_net", None)
        if net is None:
            votes = list(obj.feedback.values_list("helpful", flat=True))
            net = sum(1 if vote else -1 for vote in votes)
        return net
