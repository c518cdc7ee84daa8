"""Demo search data for `manage.py seed_demo`: synonym groups, two months of searches (some
that found nothing, some whose results nobody opened) and one content request, so the
insights page has something to show. Idempotent: searches are only added once."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kb.models import Article
from people.models import Role, User
from search import services
from search.models import ContentRequest, SearchLog, Synonym, normalize_query

SYNONYMS = [
    "refund, chargeback, money back, reimbursement",
    "2fa, two-factor, mfa, authenticator",
    "parcel, package, shipment",
    "invoice, bill, receipt",
    "cancel, terminate, end subscription",
]

# (query, searches in the last 30 days, searches in the 30 days before, finds something)
SEARCHES = [
    ("refund", 14, 9, True),
    ("double charge", 6, 2, True),
    ("reset password", 9, 11, True),
    ("customs", 4, 1, True),
    ("gift card balance", 7, 2, False),
    ("loyalty points", 5, 0, False),
    ("warranty claim", 3, 3, False),
    ("delivery address", 4, 2, True),
]
UNOPENED = {"customs"}  # found something, but nobody opened it


@transaction.atomic
def seed(log=print) -> None:
    for terms in SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)
    if SearchLog.objects.exists():
        log("Demo searches exist; left as they are.")
        return
    rng = random.Random(4)
    people = list(User.objects.filter(is_active=True).select_related("team"))
    now = timezone.now()
    published = list(Article.objects.published().values_list("pk", flat=True))
    logs = []
    for query, recent, earlier, finds in SEARCHES:
        for n in range(recent + earlier):
            days_ago = rng.uniform(0, 30) if n < recent else rng.uniform(30, 60)
            person = rng.choice(people)
            opened = finds and query not in UNOPENED and rng.random() < 0.7
            when = now - timedelta(days=days_ago)
            logs.append(
                SearchLog(
                    user=person,
                    team=person.team,
                    query=query,
                    normalized=normalize_query(query),
                    result_count=rng.randint(2, 9) if finds else 0,
                    opened_article_id=rng.choice(published) if opened and published else None,
                    opened_rank=1 if opened else None,
                    opened_at=when + timedelta(seconds=20) if opened else None,
                    created_at=when,
                )
            )
    SearchLog.objects.bulk_create(logs)
    editor = User.objects.with_role(Role.KB_EDITOR).first()
    owner = User.objects.filter(username="mentor").first() or editor
    if editor and owner:
        ContentRequest.objects.get_or_create(
            query="gift card balance",
            status=ContentRequest.Status.OPEN,
            defaults={
                "title": "How to check a gift card balance",
                "note": "Seven searches in a month, none found anything.",
                "owner": owner,
                "created_by": editor,
            },
        )
    # Asked for by agents from a search that found nothing, not assigned yet: the editors'
    # triage list. Asking again is a no-op, so re-seeding adds nothing.
    askers = list(User.objects.filter(username__in=["agent", "mentor"]).order_by("username"))
    for asker in askers:
        services.content_request_ask(
            user=asker,
            query="loyalty points",
            details="A customer wants to know when their points expire."
            if asker.username == "agent"
            else "",
        )
    log(f"Demo searches: {len(logs)} logged, {len(SYNONYMS)} synonym groups.")
