"""What recognition adds to an article's page (`kb.hooks`): how many colleagues thanked the
author for it, the latest thanks, and a button to thank the author too."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse

from kb.hooks import Panel, article_panel
from kb.models import Article
from recognition.models import Kudos

# Thanks quoted on the article; the rest are a click away on the wall.
LATEST = 2


@article_panel("recognition.thanks", order=10)
def thanks(viewer, article) -> Panel | None:
    """On a published article: the distinct givers of kudos for it that count (a reported or
    removed one never does), the latest two, and "Thank the author" prefilled with its owner
    and author (never the viewer). One query whatever the numbers: the latest kudos carry the
    count."""
    if article.status != Article.Status.PUBLISHED:
        return None
    counted = Kudos.objects.counted().filter(article=article)
    givers = (
        Kudos.objects.counted()
        .filter(article=OuterRef("article"))
        .order_by()
        .values("article")
        .annotate(n=Count("giver", distinct=True))
        .values("n")
    )
    latest = list(
        counted.select_related("giver")
        .annotate(givers=Subquery(givers))
        .order_by("-created_at", "-pk")[:LATEST]
    )
    context = {
        "article": article,
        "count": latest[0].givers if latest else 0,
        "latest": latest,
        "give_url": _give_url(viewer, article),
    }
    return Panel("recognition/includes/article_thanks.html", context)


def _give_url(viewer, article) -> str:
    """The give page for this article, to its owner and its author (once each, active ones,
    not the viewer); empty when that leaves nobody to thank."""
    people = {person.pk: person for person in (article.owner, article.author)}
    usernames = [p.username for p in people.values() if p.is_active and p.pk != viewer.pk]
    if not usernames:
        return ""
    query = {"to": ",".join(usernames), "article": article.slug, "next": article.get_absolute_url()}
    return f"{reverse('recognition:give')}?{urlencode(query)}"
