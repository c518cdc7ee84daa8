"""The search index of the knowledge base: published articles only, as readers see them.

Who may find a document is stored with it (`audience`), so every search path narrows by the
same rule as `ArticleQuerySet.visible_to`, limited to published articles.
"""

from __future__ import annotations

from django.db.models import Count, Q
from haystack import fields as haystack_fields
from haystack import indexes

from kb.models import Article

TITLE_BOOST = 3.0
EVERYONE = "everyone"


def audience_tokens(article: Article) -> list[str]:
    """Who may read `article`, as tokens: `everyone`, or its teams; plus author and owner."""
    if article.visibility == Article.Visibility.EVERYONE:
        readers = [EVERYONE]
    else:
        readers = [f"team{team.pk}" for team in article.teams.all()]
    return [*readers, f"user{article.author_id}", f"user{article.owner_id}"]


def index_version(article: Article) -> str:
    """Changes whenever what the index holds for `article` should change (reconcile)."""
    return f"{article.published_revision_id}:{article.updated_at.timestamp():.6f}"


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(
        document=True, use_template=True, template_name="search/indexes/kb/article_text.txt"
    )
    title = indexes.CharField(boost=TITLE_BOOST)
    title_auto = indexes.EdgeNgramField()
    body = indexes.CharField(indexed=False)  # stored for highlighted snippets
    kind = indexes.FacetCharField(model_attr="type")
    category = haystack_fields.FacetMultiValueField()
    tags = haystack_fields.FacetMultiValueField()
    teams = haystack_fields.FacetMultiValueField()
    audience = haystack_fields.FacetMultiValueField()
    owner = indexes.IntegerField(model_attr="owner_id")
    updated = indexes.DateTimeField(model_attr="updated_at")
    helpful = indexes.IntegerField()
    version = indexes.CharField(indexed=False)

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

    def prepare_audience(self, obj: Article) -> list[str]:
        return audience_tokens(obj)

    def prepare_helpful(self, obj: Article) -> int:
        """Net helpful votes; `helpful_net` is annotated by the indexer, else counted here."""
        net = getattr(obj, "helpful_net", None)
        if net is None:
            votes = list(obj.feedback.values_list("helpful", flat=True))
            net = sum(1 if vote else -1 for vote in votes)
        return net

    def prepare_version(self, obj: Article) -> str:
        return index_version(obj)
