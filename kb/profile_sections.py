"""What the knowledge base adds to a person's profile (`people.hooks`): the articles they own
and the ones they last verified, among those the viewer may read."""

from __future__ import annotations

from django.db.models import Count, Q

from kb.models import Article
from kb.querysets import EXPLICITLY_VERIFIED
from people.hooks import ProfileSection, profile_section

SHOWN = 10


@profile_section("kb.articles", order=10)
def articles(viewer, person) -> ProfileSection | None:
    """Published articles `viewer` may read that `person` owns or last verified on purpose
    (approving is not verifying here, as for the article page's experts), the most
    recent `SHOWN` of each with the full counts; nothing when there are none. At most three
    queries, whatever the numbers."""
    readable = Article.objects.published().visible_to(viewer)
    counts = readable.aggregate(
        owned=Count("pk", filter=Q(owner=person)),
        verified=Count("pk", filter=Q(verified_by=person) & EXPLICITLY_VERIFIED),
    )
    if not (counts["owned"] or counts["verified"]):
        return None
    rows = readable.select_related("published_revision", "category__parent")
    owned = rows.filter(owner=person).order_by("-updated_at", "-pk")[:SHOWN]
    verified = rows.filter(EXPLICITLY_VERIFIED, verified_by=person).order_by("-verified_at", "-pk")[
        :SHOWN
    ]
    owned = list(owned) if counts["owned"] else []
    verified = list(verified) if counts["verified"] else []
    return ProfileSection(
        "kb/includes/profile_articles.html",
        {
            "person": person,
            "owned": owned,
            "owned_count": counts["owned"],
            "owned_more": counts["owned"] - len(owned),
            "verified": verified,
            "verified_count": counts["verified"],
            "verified_more": counts["verified"] - len(verified),
        },
    )
