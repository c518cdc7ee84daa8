"""Reads of the knowledge base that take more than one queryset."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.functions import Lower
from taggit.models import Tag

from kb.models import Article
from kb.querysets import EXPLICITLY_VERIFIED
from people.models import TaggedSkill, User
from searchkit import query
from searchkit.audience import principals

log = logging.getLogger(__name__)

# How long an article's more-like-this list is reused. Its own edits and publications change
# the key at once; other articles' changes show within this time. What is shown is re-read
# from the database with the reader's visibility on every request, so it is never hidden
# from them nor out of date, only possibly not the very latest choice.
RELATED_TTL = 120


def _audience_digest(user) -> str:
    """Readers with the same principals may open the same articles."""
    return hashlib.sha1(",".join(sorted(principals(user))).encode()).hexdigest()[:16]


def _version(article: Article) -> str:
    return f"{article.pk}:{article.published_revision_id}:{article.updated_at.timestamp():.6f}"


def _related_key(article: Article, user, limit: int) -> str:
    # The index answers per audience: readers with the same principals get the same hits.
    return f"kb:related:{_version(article)}:{limit}:{_audience_digest(user)}"


def related_articles(*, article: Article, user, limit: int = 5) -> list[Article]:
    """More like this: published articles `user` may read whose words, title, tags and
    category are closest to `article`'s; none for an unpublished article."""
    if article.status != Article.Status.PUBLISHED:
        return []
    key = _related_key(article, user, limit)
    pks = cache.get(key)
    if pks is None:
        try:
            # Articles only, so tracks and sessions do not take the places and leave fewer.
            hits = query.more_like_this(user=user, obj=article, limit=limit, models=("kb.article",))
        except Exception:  # a missing or broken index must not break the article page
            log.exception("More-like-this failed for article %s", article.pk)
            return []
        pks = [hit.pk for hit in hits if hit.label == "kb.article"]
        cache.set(key, pks, RELATED_TTL)
    # The database re-checks what the index (or the cached list) says, on every request,
    # with the one visibility rule; the page shows titles and links only.
    rows = (
        Article.objects.published()
        .visible_to(user)
        .select_related("published_revision")
        .in_bulk(pks)
    )
    return [rows[pk] for pk in pks if pk in rows]


@dataclass(frozen=True)
class Expert:
    """Someone who knows an article's topic, and in a few words why."""

    user: User
    reason: str
    score: int


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _strongest(counts: Counter) -> tuple[str, int]:
    """The topic with the most articles (alphabetical on ties) and how many."""
    tag, n = min(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return tag, n


def article_experts(*, article: Article, user, limit: int = 5) -> list[Expert]:
    """People who know `article`'s topic, best first: owners and last verifiers of other
    published articles `user` may read that share one of its tags, and people with a skill
    named like one of its tags (case-insensitive). Each shared tag of each such article counts
    one, and each matching skill one. Inactive people and `user` are left out. Three queries
    at most, whatever the numbers (the tags are read in subqueries)."""
    # Its tag names in lower case: "VPN" on one article and "vpn" on another are one topic.
    topics = article.tags.annotate(lowered=Lower("name")).values("lowered")
    same_topic = Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in=topics)
    shared = (
        Article.objects.published()
        .visible_to(user)
        .exclude(pk=article.pk)
        .filter(tags__in=same_topic.values("pk"))
        .order_by()
        # The topic comes from the same join as the filter: only the shared tags.
        .values(
            "owner", "owner__is_active", "verified_by", "verified_by__is_active",
            topic=Lower("tags__name"),
            # Approval records the approving editor as the verifier; only a verification
            # made on purpose says the verifier knows the topic.
            checked=ExpressionWrapper(EXPLICITLY_VERIFIED, output_field=BooleanField()),
        )
        .annotate(n=Count("pk", distinct=True))
    )  # fmt: skip
    owned: dict[int, Counter] = defaultdict(Counter)
    verified: dict[int, Counter] = defaultdict(Counter)
    for row in shared:
        if row["owner__is_active"]:
            owned[row["owner"]][row["topic"]] += row["n"]
        if row["verified_by"] and row["verified_by__is_active"] and row["checked"]:
            verified[row["verified_by"]][row["topic"]] += row["n"]
    skills: dict[int, list[str]] = defaultdict(list)
    matching_skills = (
        TaggedSkill.objects.annotate(lowered=Lower("tag__name"))
        .filter(content_object__is_active=True, lowered__in=topics)
        .order_by("tag__name")
        .values_list("content_object", "tag__name")
    )
    for person_id, name in matching_skills:
        skills[person_id].append(name)
    scores = {
        pk: sum(owned[pk].values()) + sum(verified[pk].values()) + len(skills[pk])
        for pk in {*owned, *verified, *skills} - {user.pk}
    }
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]
    if not best:
        return []
    people = User.objects.in_bulk(best)
    experts = []
    for pk in best:
        reasons = []
        if owned[pk]:
            tag, n = _strongest(owned[pk])
            reasons.append(f"owns {_plural(n, 'article')} on {tag}")
        if verified[pk]:
            tag, n = _strongest(verified[pk])
            reasons.append(f"verified {_plural(n, 'article')} on {tag}")
        if skills[pk]:
            reasons.append(f"skill: {', '.join(skills[pk][:2])}")
        # Short: the two strongest facts.
        experts.append(Expert(user=people[pk], reason=" · ".join(reasons[:2]), score=scores[pk]))
    return experts
